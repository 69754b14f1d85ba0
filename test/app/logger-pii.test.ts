import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.ts';

/**
 * Logs must not carry personal data: whatever string reaches the logger (message, fields, nested
 * objects, errors, child bindings), no IIN, phone, e-mail or card number comes out the other end.
 */

/** A valid IIN built from the rule: 900101 (1 Jan 1990), century digit 3, serial 0012, check digit. */
function iin(first11: string): string {
  const d = [...first11].map(Number);
  const sum = (weights: readonly number[]): number => weights.reduce((s, w, i) => s + w * d[i]!, 0) % 11;
  let c = sum([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  if (c === 10) c = sum([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
  if (c === 10) throw new Error('pick another serial');
  return `${first11}${c}`;
}

const IIN = iin('90010130012');
const PHONE = '+7 701 234 56 78';
const EMAIL = 'aigul.serikkyzy@mail.kz';
const CARD = '4111 1111 1111 1111';
/** Every way each piece could appear in the output (JSON may keep spaces; digits may be run together). */
const SECRETS = [IIN, PHONE, PHONE.replace(/\D/g, ''), '7012345678', '234 56 78', EMAIL, CARD, CARD.replace(/\D/g, '')];

function capture(): { log: Logger; output: () => string } {
  const lines: string[] = [];
  const log = createLogger({ LOG_LEVEL: 'trace' }, { write: (s: string) => void lines.push(s) });
  return { log, output: () => lines.join('') };
}

const leaks = (output: string): string[] => SECRETS.filter((s) => output.includes(s));

describe('the logger masks personal data', () => {
  it('checks that the capture works (the message is written)', () => {
    const { log, output } = capture();
    log.info('hello');
    expect(output()).toContain('"msg":"hello"');
  });

  it('secrets in a query string (an Open311 api_key, a stream ticket), as a request logs its url', () => {
    const { log, output } = capture();
    log.info({ req: { method: 'GET', url: '/open311/v2/requests.json?api_key=k3y-s3cret&page=2' } }, 'incoming request');
    log.info({ req: { url: '/api/v1/board/stream?ticket=t1ck3t' } }, 'incoming request');
    expect(output()).not.toContain('k3y-s3cret');
    expect(output()).not.toContain('t1ck3t');
    expect(output()).toContain('page=2');
  });

  it('in a message string', () => {
    const { log, output } = capture();
    log.info(`Заявитель ИИН ${IIN}, тел ${PHONE}, почта ${EMAIL}, карта ${CARD}`);
    expect(output()).toContain('[IIN]');
    expect(leaks(output())).toEqual([]);
  });

  it('in an object, at every level and in arrays', () => {
    const { log, output } = capture();
    log.info({ applicant: { iin: IIN, contact: PHONE, mail: EMAIL, payment: { card: CARD } }, list: [IIN, { note: `тел ${PHONE}` }] }, 'saved');
    expect(output()).toContain('[CARD]');
    expect(leaks(output())).toEqual([]);
  });

  it('in printf-style arguments', () => {
    const { log, output } = capture();
    log.warn('applicant %s called from %s, wrote from %s, paid with %s', IIN, PHONE, EMAIL, CARD);
    expect(leaks(output())).toEqual([]);
  });

  it('at every level', () => {
    const { log, output } = capture();
    for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) log[level]({ who: IIN }, `from ${PHONE}`);
    expect(leaks(output())).toEqual([]);
  });

  it('in a deeply nested request body', () => {
    const { log, output } = capture();
    log.info({ req: { body: { applicant: { contacts: [{ kind: 'mobile', value: PHONE }, { kind: 'mail', value: EMAIL }] } } } }, 'request');
    expect(leaks(output())).toEqual([]);
  });

  it('in an error (message and stack), logged as { err } or on its own', () => {
    const { log, output } = capture();
    log.error({ err: new Error(`duplicate key value (iin)=(${IIN})`) }, 'insert failed');
    log.error(new Error(`card ${CARD} declined for ${EMAIL}`));
    expect(output()).toContain('insert failed');
    expect(leaks(output())).toEqual([]);
  });

  it("in a child logger's bindings", () => {
    const { log, output } = capture();
    log.child({ applicant: IIN, phone2: PHONE }).info('request started');
    expect(leaks(output())).toEqual([]);
  });
});

describe('the logger stays fast', () => {
  // Masking runs on every string of every record, on the event loop: a long unbroken word (20,000
  // letters, well under the 100,000 a case's text may have) must not stall the process.
  it('logs a 20,000-letter word within 5 s', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const logger = new URL('../../src/app/logger.ts', import.meta.url).href;
    const script = [
      `const { createLogger } = await import(${JSON.stringify(logger)});`,
      `const log = createLogger({ LOG_LEVEL: 'info' }, { write() {} });`,
      `log.info({ body: { note: 'а'.repeat(20_000) } }, 'long');`,
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, timeout: 5_000, encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
  }, 30_000);
});
