import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { bearer, type TestApp } from '../support/app.ts';

export interface AttachmentBody {
  id: string;
  sha256: string;
  mediaType: string;
  sizeBytes: number;
}

/** Uploads one file as a browser would (multipart/form-data built by the platform's own FormData). */
export async function upload(t: TestApp, caseId: string, fileName: string, bytes: Uint8Array, token: string): Promise<LightMyRequestResponse> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), fileName);
  const encoded = new Response(form);
  const payload = Buffer.from(await encoded.arrayBuffer());
  t.clock.advance(1000);
  return t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/attachments`, headers: { ...bearer(token), 'content-type': encoded.headers.get('content-type')! }, payload });
}

export async function uploaded(t: TestApp, caseId: string, fileName: string, bytes: Uint8Array, token: string): Promise<AttachmentBody> {
  const res = await upload(t, caseId, fileName, bytes, token);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<AttachmentBody>();
}

export const thumbnailUrl = (caseId: string, attachmentId: string): string => `/api/v1/cases/${caseId}/attachments/${attachmentId}/thumbnail`;
export const contentUrl = (caseId: string, attachmentId: string): string => `/api/v1/cases/${caseId}/attachments/${attachmentId}/content`;

export function expectError(res: LightMyRequestResponse, status: number, code: string): Record<string, unknown> | null {
  expect(res.statusCode, res.body).toBe(status);
  const { error } = res.json<{ error: { code: string; details: Record<string, unknown> | null } }>();
  expect(error.code).toBe(code);
  return error.details;
}
