import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { multipart, type FilePart } from '../support/files.ts';

export const URL_REPORTS = '/api/v1/police/reports';

export async function report(t: TestApp, fields: Record<string, string>, files: readonly FilePart[] = [], headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  const body = await multipart(fields, files, 'files');
  return t.request({ method: 'POST', url: URL_REPORTS, headers: { 'content-type': body.contentType, ...headers }, payload: body.payload });
}

export function expectError(res: LightMyRequestResponse, status: number, code: string): Record<string, unknown> {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json<{ error: { code: string; details: Record<string, unknown> | null } }>();
  expect(body.error.code).toBe(code);
  return body.error.details ?? {};
}

/**
 * A multipart body whose one file is `size` bytes of `head` then zeros, produced only as it is read:
 * `pulled()` says how much the server took before it answered (a 2 GB upload must stop early).
 */
export function streamingForm(fields: Record<string, string>, head: Uint8Array, size: number, fileName: string) {
  const boundary = `----tyndau${Date.now().toString(16)}`;
  const preamble = Buffer.from(
    Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('') + `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const trailer = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(256 * 1024);
  let produced = 0;
  let fileSent = 0;
  let stage: 'preamble' | 'file' | 'trailer' | 'done' = 'preamble';
  const next = (): Buffer | null => {
    if (stage === 'preamble') {
      stage = 'file';
      produced += preamble.length;
      return preamble;
    }
    if (stage === 'file') {
      let piece = fileSent === 0 ? Buffer.concat([head, chunk.subarray(head.length)]) : chunk;
      piece = piece.subarray(0, Math.min(piece.length, size - fileSent));
      fileSent += piece.length;
      produced += piece.length;
      if (fileSent >= size) stage = 'trailer';
      return piece;
    }
    if (stage === 'trailer') {
      stage = 'done';
      produced += trailer.length;
      return trailer;
    }
    return null;
  };
  // Asynchronous, as a socket is: each piece arrives on a later turn of the event loop.
  const stream = new Readable({
    read() {
      setImmediate(() => this.push(next()));
    },
  });
  return { stream, contentType: `multipart/form-data; boundary=${boundary}`, pulled: () => produced, declaredLength: preamble.length + size + trailer.length };
}

/** Rows a refused request must not have left behind, and the files under the blob folder. */
export async function stored(t: TestApp): Promise<{ cases: number; attachments: number; evidence: number; blobs: number }> {
  const count = async (table: string): Promise<number> =>
    Number((await t.testDb.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  const files = (dir: string): number => {
    let n = 0;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return 0;
    }
    for (const e of entries) {
      const p = path.join(dir, e);
      n += statSync(p).isDirectory() ? files(p) : 1;
    }
    return n;
  };
  return { cases: await count('cases'), attachments: await count('case_attachments'), evidence: await count('case_evidence'), blobs: files(path.join(t.platform.config.DATA_DIR, 'blobs')) };
}
