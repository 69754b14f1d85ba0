import { performance } from 'node:perf_hooks';
import { noisePhoto } from '../src/app/demo/police.ts';
import { benchAdminUrl, flagReader, startListeningApp, withBenchDatabase, withDataDir } from './support/setup.ts';

/**
 * npm run bench -- police [--engine postgres|pglite] [--requests N]
 *
 * A 102 report with two ~5 MB photos (real JPEGs of random noise, so they do not compress, with EXIF time
 * and GPS) posted over HTTP to a listening server: sniffed, hashed, EXIF read, the bytes stored, the case,
 * attachments, evidence and events committed in PostgreSQL. The baseline, in the same run and
 * interleaved request by request: the same multipart bodies to a route that only reads and discards the
 * bytes. Prints p50/p95 of both, in ms and as a ratio. Target: the report's p50 and p95 ≤ 300 ms.
 */
interface Options {
  engine: 'postgres' | 'pglite';
  requests: number;
  adminUrl: string;
}

function parse(args: string[]): Options {
  const get = flagReader(args);
  return {
    engine: get('engine', 'postgres') === 'pglite' ? 'pglite' : 'postgres',
    requests: Math.max(5, Number(get('requests', '40'))),
    adminUrl: benchAdminUrl(),
  };
}

const ASTANA = { lat: 51.1283, lon: 71.4305 };

/**
 * A comment segment (COM) right after the start of the image: the JPEG stays valid and its EXIF readable,
 * but every request sends new bytes, so each is hashed and stored anew (the store keeps one copy per hash).
 */
function unique(jpeg: Buffer, tag: string): Buffer {
  const text = Buffer.from(tag);
  const com = Buffer.concat([Buffer.from([0xff, 0xfe, (text.length + 2) >> 8, (text.length + 2) & 0xff]), text]);
  return Buffer.concat([jpeg.subarray(0, 2), com, jpeg.subarray(2)]);
}

async function body(photos: readonly Buffer[], i: number): Promise<{ payload: Buffer; contentType: string }> {
  const form = new FormData();
  form.append('text', `Разбили окно машины и украли сумку, вор убежал к набережной (#${i})`);
  form.append('category', 'safety.theft');
  form.append('lat', String(ASTANA.lat));
  form.append('lon', String(ASTANA.lon));
  form.append('occurredAt', new Date(Date.now() - 10 * 60_000).toISOString());
  photos.forEach((p, k) => form.append('files', new Blob([new Uint8Array(unique(p, `bench ${i}.${k}`))], { type: 'image/jpeg' }), `IMG_${i}_${k}.jpg`));
  const encoded = new Response(form);
  return { payload: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type')! };
}

const withDatabase = <T>(o: Options, fn: (url: string | undefined) => Promise<T>): Promise<T> =>
  o.engine === 'pglite' ? fn(undefined) : withBenchDatabase(o.adminUrl, 'police', fn);

const percentile = (xs: readonly number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

export async function benchPolice(args: string[]): Promise<void> {
  const o = parse(args);
  await withDataDir('police', (dataDir) =>
    withDatabase(o, async (databaseUrl) => {
      const { base, stop } = await startListeningApp({
        dataDir,
        ...(databaseUrl ? { databaseUrl } : {}),
        poolSize: 10,
        config: { LOG_LEVEL: 'silent', DEADLINE_WORKER_INTERVAL_MS: 0, NOTIFY_WORKER_INTERVAL_MS: 0 },
        // The baseline route: the same multipart parsing, every byte read and thrown away.
        extend: (app) =>
          app.post('/bench/discard', async (request, reply) => {
            let bytes = 0;
            for await (const part of request.parts({ limits: { fileSize: 200 * 1024 * 1024, files: 10, fields: 20, parts: 30, fieldSize: 100_000 } })) {
              if (part.type === 'file') for await (const chunk of part.file as AsyncIterable<Buffer>) bytes += chunk.length;
            }
            return reply.status(201).send({ bytes });
          }),
      });
      try {
        const phone = '+77017770102';
        const { code } = (await (await fetch(`${base}/api/v1/auth/code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone }) })).json()) as { code: string };
        const { token } = (await (await fetch(`${base}/api/v1/auth/code/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone, code }) })).json()) as { token: string };

        const takenAt = new Date(Date.now() - 12 * 60_000);
        const photos = await Promise.all([0, 1].map((k) => noisePhoto({ width: 1700, height: 1260, quality: 98, takenAt, at: { lat: ASTANA.lat + 0.001 * k, lon: ASTANA.lon } })));
        const post = async (url: string, b: { payload: Buffer; contentType: string }): Promise<{ ms: number; status: number; json: unknown }> => {
          const started = performance.now();
          const res = await fetch(url, { method: 'POST', headers: { 'content-type': b.contentType, authorization: `Bearer ${token}` }, body: b.payload });
          const json: unknown = await res.json();
          return { ms: performance.now() - started, status: res.status, json };
        };

        const report: number[] = [];
        const baseline: number[] = [];
        const warmup = 3;
        let sample: unknown = null;
        for (let i = 0; i < o.requests + warmup; i++) {
          const b = await body(photos, i);
          const discard = await post(`${base}/bench/discard`, b);
          const filed = await post(`${base}/api/v1/police/reports`, b);
          if (discard.status !== 201 || filed.status !== 201) throw new Error(`request ${i}: discard ${discard.status}, report ${filed.status} ${JSON.stringify(filed.json)}`);
          if (i < warmup) continue; // JIT, pool, the first blob folders
          baseline.push(discard.ms);
          report.push(filed.ms);
          sample = filed.json;
        }
        const evidence = (sample as { attachments: { sizeBytes: number; evidence?: { capturedAt: string | null; distanceMeters: number | null } }[] }).attachments;
        if (!evidence.every((a) => a.evidence?.capturedAt)) throw new Error('EXIF was not read back from the stored photos');
        const sizes = evidence.map((a) => `${(a.sizeBytes / 1024 / 1024).toFixed(2)} MB`).join(' + ');
        const [b50, b95, r50, r95] = [percentile(baseline, 50), percentile(baseline, 95), percentile(report, 50), percentile(report, 95)];
        const lines = [
          `engine: ${o.engine}; ${o.requests} requests each (after ${warmup} warm-up), one at a time, interleaved; two photos of ${sizes}`,
          `baseline (same multipart body, bytes read and discarded): p50 ${b50.toFixed(1)} ms, p95 ${b95.toFixed(1)} ms`,
          `police report (sniff, SHA-256, EXIF, blobs, case + attachments + evidence + events in one transaction): p50 ${r50.toFixed(1)} ms, p95 ${r95.toFixed(1)} ms (target ≤ 300 ms)`,
          `ratio report/baseline: p50 ${(r50 / b50).toFixed(2)}, p95 ${(r95 / b95).toFixed(2)}; the report's own work: p50 +${(r50 - b50).toFixed(1)} ms`,
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        await stop();
      }
    }),
  );
}
