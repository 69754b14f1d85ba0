/**
 * Term policies: how long a body has to answer, dispatch, make first contact or register a case.
 * The numbers are data (data/term-policies.json) because laws and local rules change; this module
 * only picks the most specific policy for a case and turns its term into a due instant.
 */
import { z } from 'zod';
import { caseKinds, channels, urgencies, type CaseKind, type Channel, type Urgency } from '../model.ts';
import type { BusinessCalendar } from './calendar.ts';
import { proceduresSchema } from './procedures.ts';

const SEGMENT = '[a-z][a-z0-9_]*';
const CATEGORY_CODE = new RegExp(`^${SEGMENT}(\\.${SEGMENT})*$`);

/** An exact category code, or `prefix.*` for the code and everything below it (as in routing rules). */
const categoryPattern = z
  .string()
  .refine((p) => CATEGORY_CODE.test(p.endsWith('.*') ? p.slice(0, -2) : p), 'must be a category code or a prefix ending in .*');

export const termMatchSchema = z
  .object({
    channel: z.enum(channels),
    kind: z.enum(caseKinds).optional(),
    category: categoryPattern.optional(),
    urgency: z.enum(urgencies).optional(),
    /** Who the applicant is when the law gives them their own term (the media: 7 working days). */
    applicantType: z.string().regex(/^[a-z][a-z_]*$/).optional(),
  })
  .strict();

// Strict objects so a policy with two units ({hours, minutes}) is rejected, not half-read.
export const termSchema = z.union([
  z.object({ workingDays: z.number().int().positive() }).strict(),
  z.object({ hours: z.number().int().positive() }).strict(),
  z.object({ minutes: z.number().int().positive() }).strict(),
]);

/**
 * What falls due on a case. Duties of the body (answer, dispatch, first contact, register, and telling the
 * applicant of an extension) warn at 75% and are breached when missed; timers (the applicant's deadline
 * to complete an appeal, the four-week survey) simply go off.
 */
export const obligationSchema = z.enum(['answer', 'dispatch', 'first_contact', 'register', 'notify_extension', 'applicant_response', 'survey']);
/** The obligations a term policy may set at registration. */
export const firstObligationSchema = z.enum(['answer', 'dispatch', 'first_contact', 'register']);

export const termPolicySchema = z
  .object({ match: termMatchSchema, term: termSchema, obligation: firstObligationSchema, note: z.string().optional() })
  .strict();

export const termPoliciesSchema = z
  .object({ source: z.string().optional(), policies: z.array(termPolicySchema).min(1), procedures: proceduresSchema })
  .strict()
  .superRefine((file, ctx) => {
    for (const message of policyProblems(file.policies)) ctx.addIssue({ code: 'custom', path: ['policies'], message });
  });

export type TermMatch = z.output<typeof termMatchSchema>;
export type Term = z.output<typeof termSchema>;
export type Obligation = z.output<typeof obligationSchema>;
export type TermPolicy = z.output<typeof termPolicySchema>;
export type TermPolicies = z.output<typeof termPoliciesSchema>;

/** What a case contributes to the choice of its term. */
export interface TermCase {
  channel: Channel;
  kind: CaseKind;
  category: string;
  urgency: Urgency;
  applicantType?: string | undefined;
}

const MATCH_FIELDS = ['channel', 'kind', 'category', 'urgency', 'applicantType'] as const;

function matchKey(m: TermMatch): string {
  return MATCH_FIELDS.map((f) => m[f] ?? '').join('|');
}

/** Two policies with the same match would make the choice depend on file order; each channel needs a fallback. */
function policyProblems(policies: readonly TermPolicy[]): string[] {
  const problems: string[] = [];
  const keys = policies.map((p) => matchKey(p.match));
  keys.forEach((k, i) => {
    if (keys.indexOf(k) !== i) problems.push(`duplicate match ${JSON.stringify(policies[i]?.match)}`);
  });
  for (const channel of new Set(policies.map((p) => p.match.channel))) {
    if (!policies.some((p) => fieldCount(p.match) === 1 && p.match.channel === channel)) {
      problems.push(`channel ${channel} has no fallback policy (match on channel only)`);
    }
  }
  return problems;
}

function categoryMatches(pattern: string | undefined, code: string): boolean {
  if (pattern === undefined) return true;
  if (!pattern.endsWith('.*')) return pattern === code;
  const root = pattern.slice(0, -2);
  return code === root || code.startsWith(`${root}.`);
}

function matches(m: TermMatch, c: TermCase): boolean {
  return (
    m.channel === c.channel &&
    (m.kind === undefined || m.kind === c.kind) &&
    (m.urgency === undefined || m.urgency === c.urgency) &&
    (m.applicantType === undefined || m.applicantType === c.applicantType) &&
    categoryMatches(m.category, c.category)
  );
}

function fieldCount(m: TermMatch): number {
  return MATCH_FIELDS.filter((f) => m[f] !== undefined).length;
}

/** An exact code beats any prefix; a longer prefix beats a shorter one. */
function categoryRank(pattern: string | undefined): number {
  if (pattern === undefined) return 0;
  if (!pattern.endsWith('.*')) return 1_000;
  return pattern.split('.').length - 1;
}

/**
 * Specificity, compared element by element: more constrained fields first; on a tie urgency, then
 * applicant type, then kind decide (an emergency must not wait for a category's ordinary term);
 * last the precision of the category.
 */
function specificity(m: TermMatch): number[] {
  const has = (v: unknown): number => (v === undefined ? 0 : 1);
  return [fieldCount(m), has(m.urgency), has(m.applicantType), has(m.kind), categoryRank(m.category)];
}

function compareSpecificity(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The most specific policy matching the case, or undefined when none does. */
export function selectTerm(policies: readonly TermPolicy[], c: TermCase): TermPolicy | undefined {
  let best: TermPolicy | undefined;
  for (const p of policies) {
    if (!matches(p.match, c)) continue;
    if (!best || compareSpecificity(specificity(p.match), specificity(best.match)) > 0) best = p;
  }
  return best;
}

/**
 * When a term ends. Working days follow the legal rule of the calendar (registration day, then N
 * working days, end of the working day); hours and minutes are elapsed clock time, because
 * operational services work around the clock.
 */
export function computeDueAt(calendar: Pick<BusinessCalendar, 'dueAt'>, term: Term, receivedAt: Date): Date {
  if ('workingDays' in term) return calendar.dueAt(receivedAt, term.workingDays);
  const t = receivedAt.getTime();
  if (Number.isNaN(t)) throw new RangeError('invalid Date');
  const ms = 'hours' in term ? term.hours * 3_600_000 : term.minutes * 60_000;
  return new Date(t + ms);
}
