/**
 * Importing a file into the evidence: JSONL streamed line by line in batches (a 100,000-post file is never
 * held whole); Telegram and WhatsApp exports read whole, bounded by SOCIAL_IMPORT_MAX_BYTES. The summary:
 * read, new, edits, duplicates, and what was skipped, grouped by reason, with the first lines and why.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DomainError } from '../core/errors.ts';
import { BadField, parseUtcOffset, type Skipped } from './connectors/common.ts';
import { isSkipped, parseJsonlLine } from './connectors/jsonl.ts';
import { parseTelegramExport } from './connectors/telegram-export.ts';
import { parseWhatsApp } from './connectors/whatsapp.ts';
import { addCounts, emptyCounts, type ImportSummary, type SocialIngest } from './ingest.ts';
import type { RawPost, SocialFormat } from './post.ts';

export const importFormats = ['jsonl', 'telegram-export', 'whatsapp'] as const;
export type ImportFormat = (typeof importFormats)[number];

export interface ImportOptions {
  format: string;
  file: string;
  /** The feed's name: JSONL lines without "source" take it; exports are filed under it. */
  source?: string;
  /** "+05:00": for exports whose times carry no zone (default Kazakhstan's). */
  utcOffset?: string;
  maxBytes: number;
  batchSize?: number;
  /** Called after each batch with the lines or messages done and the total (when known). */
  onProgress?: (done: number, total: number) => void;
}

const EXAMPLES = 100;

/** Skipped lines: every reason counted, the first hundred kept with where and why. */
class SkipTally {
  count = 0;
  readonly byReason: Record<string, number> = {};
  readonly examples: Skipped[] = [];
  add(s: Skipped): void {
    this.count++;
    this.byReason[s.reason] = (this.byReason[s.reason] ?? 0) + 1;
    if (this.examples.length < EXAMPLES) this.examples.push(s);
  }
}

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (line.trim()) n++;
  return n;
}

/** "Unexpected token } in JSON at position 1234" → line and column, for a person to find it. */
function jsonError(err: unknown, content: string): string {
  const message = err instanceof Error ? err.message : String(err);
  const at = /position (\d+)/.exec(message);
  if (!at) return message;
  const before = content.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  return `${message.replace(/\s*\(line \d+ column \d+\)/, '')} (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
}

async function readBounded(file: string, maxBytes: number): Promise<string> {
  const size = (await stat(file)).size;
  if (size > maxBytes) throw new DomainError('ERR_SOCIAL_IMPORT_TOO_LARGE', `${path.basename(file)} is ${size} bytes; the limit is ${maxBytes} (SOCIAL_IMPORT_MAX_BYTES)`, { size, maxBytes });
  const bytes = await readFile(file);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DomainError('ERR_SOCIAL_EXPORT_INVALID', `${path.basename(file)} is not UTF-8 text`);
  }
}

/** "WhatsApp Chat with ЖК Самал-2.txt" → "whatsapp:WhatsApp Chat with ЖК Самал-2". */
const defaultWhatsAppSource = (file: string): string => `whatsapp:${path.basename(file).replace(/\.txt$/i, '')}`.slice(0, 200);

export async function importSocialFile(ingest: SocialIngest, options: ImportOptions): Promise<ImportSummary> {
  if (!(importFormats as readonly string[]).includes(options.format)) throw new DomainError('ERR_SOCIAL_FORMAT_UNKNOWN', undefined, { format: options.format });
  const format = options.format as ImportFormat;
  const offset = options.utcOffset === undefined ? undefined : parseUtcOffset(options.utcOffset);
  if (offset === null) throw new DomainError('ERR_VALIDATION', '--utc-offset must look like +05:00');
  const batchSize = options.batchSize ?? 1_000;
  const counts = emptyCounts();
  const skips = new SkipTally();
  const progress = options.onProgress ?? (() => undefined);
  const feed = async (kind: SocialFormat, posts: RawPost[]) => addCounts(counts, await ingest.ingest(kind, posts));

  if (format === 'jsonl') {
    const total = await countLines(options.file);
    let batch: RawPost[] = [];
    let lineNo = 0;
    let done = 0;
    for await (const line of createInterface({ input: createReadStream(options.file, { encoding: 'utf8' }), crlfDelay: Infinity })) {
      lineNo++;
      const r = parseJsonlLine(line, lineNo, options.source);
      if (r === null) continue;
      done++;
      if (isSkipped(r)) skips.add(r);
      else batch.push(r);
      if (batch.length >= batchSize) {
        await feed('jsonl', batch);
        batch = [];
        progress(done, total);
      }
    }
    if (batch.length) await feed('jsonl', batch);
    progress(done, total);
  } else {
    const content = await readBounded(options.file, options.maxBytes);
    let parsed;
    try {
      if (format === 'telegram-export') {
        let doc: unknown;
        try {
          doc = JSON.parse(content.replace(/^\uFEFF/, ''));
        } catch (err) {
          throw new DomainError('ERR_SOCIAL_EXPORT_INVALID', `${path.basename(options.file)} is not JSON: ${jsonError(err, content)}`);
        }
        parsed = parseTelegramExport(doc, { source: options.source, ...(offset !== undefined ? { utcOffsetMinutes: offset } : {}) });
      } else {
        parsed = parseWhatsApp(content, { source: options.source ?? defaultWhatsAppSource(options.file), ...(offset !== undefined ? { utcOffsetMinutes: offset } : {}) });
      }
    } catch (err) {
      if (err instanceof BadField) throw new DomainError('ERR_SOCIAL_EXPORT_INVALID', `${path.basename(options.file)}: ${err.message}`, { field: err.field });
      throw err;
    }
    for (const s of parsed.skipped) skips.add(s);
    const total = parsed.posts.length;
    for (let i = 0; i < total; i += batchSize) {
      await feed(format, parsed.posts.slice(i, i + batchSize));
      progress(Math.min(i + batchSize, total), total);
    }
    if (total === 0) progress(0, 0);
  }
  return { ...counts, read: counts.received + skips.count, skipped: skips.count, skippedByReason: skips.byReason, examples: skips.examples };
}

/** The summary as a person reads it (the CLI prints it; --json prints the object instead). */
export function formatSummary(s: ImportSummary): string {
  const early = s.early ? ` (${s.early} before their post)` : '';
  const lines = [`read ${s.read}: new ${s.new}, edits ${s.edits}${early}, deletions ${s.deletions}, duplicates ${s.duplicates}, skipped ${s.skipped}`];
  if (s.reconciled) lines.push(`reconciled ${s.reconciled} originals that came after their edit`);
  if (s.sinkErrors) lines.push(`${s.sinkErrors} posts were stored but not passed on to the issues (see the log)`);
  for (const [reason, n] of Object.entries(s.skippedByReason).sort((a, b) => b[1] - a[1])) {
    const where = s.examples.filter((e) => e.reason === reason).slice(0, 5).map((e) => e.at);
    lines.push(`  skipped ${n}: ${reason}${where.length ? ` (at ${where.join(', ')}${n > where.length ? ', …' : ''})` : ''}`);
  }
  const details = s.examples.filter((e) => e.detail).slice(0, 10);
  for (const e of details) lines.push(`  ${e.at}: ${e.detail}`);
  return `${lines.join('\n')}\n`;
}
