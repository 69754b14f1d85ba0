import { createHmac, randomUUID } from 'node:crypto';
import type { IdGenerator } from '../core/ports.ts';

// Crockford's base32: no I, L, O, U, so a code read aloud or copied by hand survives.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Buffer, chars: number): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** Ids and the tracking codes of anonymous cases: HMAC(secret, case id), 100 bits, in groups of four. */
export function createIdGenerator(secretKey: string): IdGenerator {
  return {
    uuid: randomUUID,
    trackingCodeFor(caseId) {
      const code = base32(createHmac('sha256', secretKey).update(`tracking:${caseId}`).digest(), 20);
      return code.match(/.{4}/g)!.join('-');
    },
  };
}
