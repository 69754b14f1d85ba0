import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

export const thumbnailUrl = (caseId: string, attachmentId: string): string => `/api/v1/cases/${caseId}/attachments/${attachmentId}/thumbnail`;
export const contentUrl = (caseId: string, attachmentId: string): string => `/api/v1/cases/${caseId}/attachments/${attachmentId}/content`;

export function expectError(res: LightMyRequestResponse, status: number, code: string): Record<string, unknown> | null {
  expect(res.statusCode, res.body).toBe(status);
  const { error } = res.json<{ error: { code: string; details: Record<string, unknown> | null } }>();
  expect(error.code).toBe(code);
  return error.details;
}
