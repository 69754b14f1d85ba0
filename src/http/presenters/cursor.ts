import { DomainError } from '../../core/errors.ts';

/** Opaque keyset cursors: the (createdAt, id) of the last item of a page. */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/** A date the database can store (years 1–9999 UTC), or null: a valid JS Date may still be out of its range. */
export function parseInstant(text: string): Date | null {
  const at = new Date(text);
  const ms = at.getTime();
  return Number.isNaN(ms) || ms < EARLIEST || ms > LATEST ? null : at;
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string' && UUID.test(value[1])) {
      const createdAt = parseInstant(value[0]);
      if (createdAt) return { createdAt, id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new DomainError('ERR_INVALID_CURSOR');
}
