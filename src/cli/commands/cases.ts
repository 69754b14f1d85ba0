import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { ManualClock } from '../../app/manual-clock.ts';
import { listCases } from '../../core/case-access.ts';
import { DomainError } from '../../core/errors.ts';
import { submitCase, type Submission as SubmissionInput } from '../../core/intake.ts';
import { channels, type Channel } from '../../core/model.ts';
import type { StaffPrincipal } from '../../core/principal.ts';
import { presentCase } from '../../http/presenters/case.ts';
import { makeAjv } from '../../http/plugins/validation.ts';
import { Submission } from '../../http/routes/cases/schema.ts';
import { maskPii } from '../../nlp/pii.ts';
import { openContext, openPlatform } from '../context.ts';
import { progressBar } from '../progress.ts';

// The API's own body validator: an import line is held to exactly what POST /cases accepts.
const validateSubmission = makeAjv({ coerceTypes: false }).compile<SubmissionInput>(Submission);

/** Imports and exports act as the processing centre's registrar: a machine, never a person. */
function processingCentre(scope: ReadonlySet<string>): StaffPrincipal {
  return { type: 'machine', userId: 'cli', role: 'registrar', organisationId: 'kz.processing_centre', scope };
}

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (line.trim()) n++;
  return n;
}

interface ImportFailure {
  line: number;
  code: string;
  message: string;
}

function parseLine(text: string): { submission: SubmissionInput; receivedAt: Date | null } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DomainError('ERR_MALFORMED_JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DomainError('ERR_VALIDATION', 'Each line must be a JSON object');
  const { receivedAt, ...rest } = value as Record<string, unknown>;
  const at = receivedAt === undefined ? null : new Date(String(receivedAt));
  if (at && Number.isNaN(at.getTime())) throw new DomainError('ERR_VALIDATION', 'receivedAt is not an ISO date-time');
  if (!validateSubmission(rest)) throw new DomainError('ERR_VALIDATION', validateSubmission.errors?.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; '));
  return { submission: rest, receivedAt: at };
}

/**
 * `tyndau cases import FILE.jsonl`: one submission per line, through the same intake as every door.
 * Each line's hash is its idempotency key, so running an import twice adds nothing the second time.
 */
export async function importCases(file: string): Promise<void> {
  const ctx = await openContext();
  try {
    const clock = new ManualClock();
    const platform = await openPlatform(ctx, clock);
    const actor = processingCentre(platform.reference.subtree('kz.government'));
    const bar = progressBar('import', await countLines(file));
    const failures: ImportFailure[] = [];
    let lineNo = 0;
    let done = 0;
    for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      lineNo++;
      if (!text.trim()) continue;
      try {
        const { submission, receivedAt } = parseLine(text);
        clock.set(receivedAt ?? new Date());
        const key = `import-${createHash('sha256').update(text).digest('hex').slice(0, 40)}`;
        await submitCase(platform.intake, actor, submission, { idempotencyKey: key });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        failures.push({ line: lineNo, code: err.code, message: err.message });
      }
      bar.update(++done);
    }
    bar.stop();
    process.stdout.write(`imported ${done - failures.length} of ${done} lines\n`);
    for (const f of failures.slice(0, 50)) process.stderr.write(`line ${f.line}: ${f.code} ${f.message}\n`);
    if (failures.length) process.exitCode = 2;
  } finally {
    await ctx.close();
  }
}

export interface ExportOptions {
  channel?: string;
  from?: string;
  to?: string;
  out?: string;
}

/** `tyndau cases export`: every non-confidential case as JSON lines, newest first, page by page, personal data masked. */
export async function exportCases(options: ExportOptions): Promise<void> {
  if (options.channel && !(channels as readonly string[]).includes(options.channel)) throw new DomainError('ERR_UNKNOWN_CHANNEL');
  const ctx = await openContext();
  const out = options.out ? createWriteStream(options.out) : process.stdout;
  try {
    const platform = await openPlatform(ctx);
    const actor = processingCentre(platform.reference.subtree('kz.government'));
    let cursor: { createdAt: Date; id: string } | undefined;
    let total = 0;
    for (;;) {
      const page = await listCases(platform.read, actor, {
        channel: options.channel as Channel | undefined,
        from: options.from ? new Date(options.from) : undefined,
        to: options.to ? new Date(options.to) : undefined,
        limit: 500,
        cursor,
      });
      for (const c of page) {
        // An export leaves the platform: the text and address lose their IINs, phones, e-mails and card numbers.
        const shown = presentCase(c, actor, platform.reference);
        const masked = { ...shown, text: shown.text === null ? null : maskPii(shown.text), address: shown.address === null ? null : maskPii(shown.address) };
        if (!out.write(`${JSON.stringify(masked)}\n`)) await once(out, 'drain');
      }
      total += page.length;
      const last = page[page.length - 1];
      if (page.length < 500 || !last) break;
      cursor = { createdAt: last.createdAt, id: last.id };
    }
    process.stderr.write(`exported ${total} cases\n`);
  } finally {
    if (out !== process.stdout) out.end();
    await ctx.close();
  }
}
