/**
 * The firehose path for many nodes: a durable stream (NATS JetStream when NATS_URL is set) delivers feed
 * objects (docs/SOCIAL-JSONL.md), at least once. This consumer is transport-free: an adapter gives it
 * pulled messages with ack/nak; it ingests them in batches and acks only after the batch is committed, so
 * a crash redelivers and the (source, id) idempotency absorbs the repeat. A malformed message is acked and
 * reported (redelivering it would never help). The NATS adapter itself is not part of this build: the
 * `nats` package is not installed (see the report).
 */
import { BadField } from './connectors/common.ts';
import { readFeedPost } from './connectors/jsonl.ts';
import { addCounts, emptyCounts, type IngestCounts, type SocialIngest } from './ingest.ts';
import type { RawPost } from './post.ts';

export interface StreamMessage {
  data: Uint8Array;
  ack(): void;
  /** Ask for redelivery (the batch failed to commit). */
  nak(): void;
}

/** What a stream adapter provides: pull up to `max` messages, waiting at most `waitMs` for the first. */
export interface StreamSource {
  fetch(max: number, waitMs: number): Promise<StreamMessage[]>;
}

export interface StreamReport extends IngestCounts {
  malformed: number;
}

const decoder = new TextDecoder();

/** One pull: reads, ingests, acks. Returns what it did (a caller loops until stopped). */
export async function consumeOnce(source: StreamSource, ingest: SocialIngest, options: { max?: number; waitMs?: number; onMalformed?: (reason: string) => void } = {}): Promise<StreamReport> {
  const messages = await source.fetch(options.max ?? 1_000, options.waitMs ?? 1_000);
  const report: StreamReport = { ...emptyCounts(), malformed: 0 };
  const good: { msg: StreamMessage; post: RawPost }[] = [];
  for (const msg of messages) {
    try {
      good.push({ msg, post: readFeedPost(JSON.parse(decoder.decode(msg.data))) });
    } catch (err) {
      if (!(err instanceof BadField) && !(err instanceof SyntaxError)) throw err;
      report.malformed++;
      options.onMalformed?.(err.message);
      msg.ack();
    }
  }
  if (good.length === 0) return report;
  try {
    addCounts(report, await ingest.ingest('nats', good.map((g) => g.post)));
  } catch (err) {
    for (const g of good) g.msg.nak();
    throw err;
  }
  for (const g of good) g.msg.ack();
  return report;
}

/** Runs until the signal aborts; an ingestion failure naks the batch and waits before the next pull. */
export async function consumeStream(source: StreamSource, ingest: SocialIngest, signal: AbortSignal, onError: (err: unknown) => void): Promise<void> {
  while (!signal.aborted) {
    try {
      await consumeOnce(source, ingest);
    } catch (err) {
      onError(err);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}
