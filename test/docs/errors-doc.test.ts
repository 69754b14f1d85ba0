import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalogue, type ErrorCode } from '../../src/core/errors.ts';
import { statusOf } from '../../src/http/plugins/errors.ts';

const doc = readFileSync(new URL('../../docs/ERRORS.md', import.meta.url), 'utf8');
const documented = new Map([...doc.matchAll(/^\| `(ERR_[A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1]!, Number(m[2])]));

describe('docs/ERRORS.md', () => {
  it('lists every code of the catalogue with its HTTP status', () => {
    for (const code of Object.keys(errorCatalogue) as ErrorCode[]) {
      expect(documented.get(code), code).toBe(statusOf(code));
    }
  });

  it('lists no code the catalogue does not have', () => {
    expect([...documented.keys()].filter((c) => !(c in errorCatalogue))).toEqual([]);
  });
});
