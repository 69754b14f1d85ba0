/**
 * The child door (Bala Qorgau): a child writes what is wrong, from their school's QR link or not. Anonymous
 * by default: no phone, no account; the secret tracking code in the receipt is the only key. A signed-in
 * child may choose to link the case to their account (`anonymous: false`). The case goes through the one
 * intake command, and in the same transaction the school is recorded and an emergency pages the on-call
 * psychologist.
 */
import type { ChildReports, School, SchoolDirectory } from './child-ports.ts';
import { pageCrisisIfEmergency, type CrisisDeps, type CrisisPage } from './child-triage.ts';
import { DomainError } from './errors.ts';
import { submitCase, type IntakeDeps, type IntakeOptions, type Receipt } from './intake.ts';
import type { Language } from './model.ts';
import type { Classification, Classifier } from './ports.ts';
import type { Principal } from './principal.ts';

/** What a child may say the trouble is; without it the classifier decides (a child category or "other"). */
export const childTopics = ['child.bullying', 'child.cyberbullying', 'child.abuse', 'child.crisis'] as const;
export type ChildTopic = (typeof childTopics)[number];

export interface ChildSubmission {
  text: string;
  /** The code on the school's QR plate: places the case in the school's district. */
  schoolCode?: string | undefined;
  /** Without a school: the city (astana, almaty, shymkent), so the city's psychologists take the case. */
  city?: string | undefined;
  topic?: ChildTopic | undefined;
  /** "I am in danger now": the case is an emergency whatever the classifier reads. */
  inDanger?: boolean | undefined;
  language?: Language | undefined;
  /** Default true. A signed-in child may say false to follow the case in their account. */
  anonymous?: boolean | undefined;
}

export interface ChildReceipt extends Receipt {
  school: School | null;
  urgency: string;
  crisisPage: CrisisPage | null;
}

export interface ChildIntakeDeps extends CrisisDeps {
  intake: IntakeDeps;
  schools: SchoolDirectory;
  reports: ChildReports;
  /** The cities that have a psychologists' service. */
  cities: readonly string[];
  /** Runs fn in one database transaction: every write inside it (intake's included) commits together. */
  atomically: <T>(fn: () => Promise<T>) => Promise<T>;
}

/** Below this probability a child category from the classifier's top three is not trusted. */
const TOP_CHILD_MIN = 0.2;

/** The child category the classifier reads in the text, or null (the case is then "other", triaged by the psychologists). */
export function childCategoryOf(c: Classification | null): string | null {
  if (!c) return null;
  if (c.confident && c.category.startsWith('child.')) return c.category;
  const top = (c.top ?? []).find((t) => t.category.startsWith('child.') && t.probability >= TOP_CHILD_MIN);
  return top?.category ?? null;
}

async function place(deps: ChildIntakeDeps, s: ChildSubmission): Promise<{ school: School | null; districtId?: string; city?: string }> {
  if (s.schoolCode !== undefined) {
    const school = await deps.schools.find(s.schoolCode);
    if (!school) throw new DomainError('ERR_UNKNOWN_SCHOOL', undefined, { schoolCode: s.schoolCode });
    return { school, districtId: school.districtId };
  }
  const city = s.city?.trim().toLowerCase();
  if (!city || !deps.cities.includes(city)) {
    throw new DomainError('ERR_VALIDATION', 'Give the school code (schoolCode) or the city (city)', { city: s.city ?? null, cities: deps.cities });
  }
  return { school: null, city };
}

/** Who registers the case: nobody for an anonymous one (so no account is tied to it), else the signed-in child. */
function submitter(principal: Principal, anonymous: boolean): Principal {
  if (principal.type === 'citizen') return anonymous ? { type: 'public' } : principal;
  if (!anonymous) throw new DomainError('ERR_UNAUTHENTICATED', 'Sign in to link the case to your account, or send it anonymously');
  // Staff taking a call on the line register it (the event names them); a tracking-code holder writes anew.
  return principal.type === 'tracking' ? { type: 'public' } : principal;
}

/**
 * Reads the text once before intake: a child case is routed by a child category (so a message about
 * violence goes to the psychologists, not to the police by the classifier's category), and intake reuses
 * the same reading instead of classifying twice.
 */
async function readText(deps: ChildIntakeDeps, s: ChildSubmission): Promise<{ category: string; classifier: Classifier }> {
  const { intake } = deps;
  const text = intake.normalise(s.text);
  if (text.length === 0 || text.length > intake.textMaxChars) return { category: s.topic ?? 'other', classifier: intake.classifier };
  const language = s.language ?? intake.detectLanguage(text);
  const predicted = await intake.classifier.classify({ text, language, channel: 'child' });
  const classifier: Classifier = {
    classify: (q) => (q.text === text && q.language === language ? Promise.resolve(predicted) : intake.classifier.classify(q)),
  };
  return { category: s.topic ?? childCategoryOf(predicted) ?? 'other', classifier };
}

export async function submitChildReport(deps: ChildIntakeDeps, principal: Principal, s: ChildSubmission, options: IntakeOptions = {}): Promise<ChildReceipt> {
  const anonymous = s.anonymous ?? true;
  const by = submitter(principal, anonymous);
  const where = await place(deps, s);
  const { category, classifier } = await readText(deps, s);
  return deps.atomically(async () => {
    const receipt = await submitCase(
      { ...deps.intake, classifier },
      by,
      {
        channel: 'child',
        text: s.text,
        category,
        urgency: s.inDanger ? 'emergency' : undefined,
        language: s.language,
        districtId: where.districtId,
        city: where.city,
        confidential: true,
      },
      options,
    );
    await deps.reports.link(receipt.caseId, where.school?.code ?? null, deps.clock.now());
    const crisisPage = await deps.intake.store.transaction((tx) => pageCrisisIfEmergency(deps, tx, receipt.caseId));
    const record = await deps.intake.store.get(receipt.caseId);
    return { ...receipt, school: where.school, urgency: record?.urgency ?? 'normal', crisisPage };
  });
}
