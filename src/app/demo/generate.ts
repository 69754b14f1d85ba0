import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DATA_FILES } from '../../config/paths.ts';
import { complainAboutAnswer, rateAnswer } from '../../core/after-answer.ts';
import { addAttachment } from '../../core/attachments.ts';
import { assignCase, performAction, type ActionParams } from '../../core/case-work.ts';
import { runDeadlineTick } from '../../jobs/deadline-worker.ts';
import { channelPolicies, isCrimeReport } from '../../core/channels.ts';
import { DomainError } from '../../core/errors.ts';
import { submitCase, type Submission } from '../../core/intake.ts';
import { caseKinds, channels, languages, urgencies, type CaseRecord, type GeoPoint, type Language } from '../../core/model.ts';
import type { Principal, StaffPrincipal } from '../../core/principal.ts';
import { workflows } from '../../core/workflow/registry.ts';
import type { DistrictEntry } from '../../storage/reference-store.ts';
import type { ManualClock } from '../manual-clock.ts';
import type { Platform } from '../platform.ts';
import type { DemoStaff } from './accounts.ts';
import { Prng } from './prng.ts';
import { stagesFor, type Step } from './stages.ts';

const messagesSchema = z.object({
  messages: z.array(
    z.object({
      category: z.string(),
      channel: z.enum(channels),
      kind: z.enum(caseKinds),
      urgency: z.enum(urgencies),
      language: z.enum(languages),
      text: z.string().min(1),
    }),
  ),
});
const phrases = z.record(z.enum(languages), z.array(z.string()).min(1));
const dialogSchema = z.object({
  answers: phrases,
  documentRequests: phrases,
  dispatchNotes: phrases,
  firstContacts: phrases,
  reasons: z.object({ redirect: z.string(), reopen: z.string(), extend: z.string() }),
  complaints: phrases,
  ratingComments: phrases,
});

const readData = <T>(file: string, schema: z.ZodType<T>): T => schema.parse(JSON.parse(readFileSync(path.join(DATA_FILES, 'demo', file), 'utf8')));

const mayBeAnonymous = (s: Submission): boolean =>
  channelPolicies[s.channel].anonymous === 'always' || (channelPolicies[s.channel].anonymous === 'crime_only' && s.category !== undefined && isCrimeReport(s.category));

export interface DemoOptions {
  cases: number;
  seed: number;
  /** The demo's "today": cases are spread over the 120 days before it. */
  now: Date;
  /** The clock the platform was built with: the generator moves it to each case's moment. */
  clock: ManualClock;
  onProgress?: (done: number) => void;
}

const DAY = 86_400_000;
/** A 1×1 PNG: the demo's "photo of the fix" (the bytes are sniffed, so it must be a real image). */
const DEMO_PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const CITY_WEIGHTS = [['astana', 40], ['almaty', 40], ['shymkent', 20]] as const;
const CITY_NAMES: readonly [string, RegExp][] = [
  ['shymkent', /шымкент|shymkent|чимкент/i],
  ['astana', /астан|astana/i],
  ['almaty', /алмат(?!ы аудан)|almaty(?! audany)/i],
];

/** A message that names its city is placed there; the rest are spread by population. */
const cityOf = (prng: Prng, text: string): string => CITY_NAMES.find(([, re]) => re.test(text))?.[0] ?? prng.weighted(CITY_WEIGHTS);

function randomPointIn(prng: Prng, district: DistrictEntry, platform: Platform): GeoPoint | undefined {
  const rings = district.geometry.type === 'Polygon' ? district.geometry.coordinates : district.geometry.coordinates.flat();
  const points = rings.flat();
  const lons = points.map((p) => p[0]!);
  const lats = points.map((p) => p[1]!);
  const [minLon, maxLon, minLat, maxLat] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  for (let attempt = 0; attempt < 30; attempt++) {
    const point = { lat: +(minLat + prng.next() * (maxLat - minLat)).toFixed(6), lon: +(minLon + prng.next() * (maxLon - minLon)).toFixed(6) };
    if (platform.intake.locator.districtAt(point)?.districtId === district.id) return point;
  }
  return undefined;
}

class DemoWorld {
  private readonly byOrg = new Map<string, DemoStaff[]>();
  private readonly dialog = readData('dialog.json', dialogSchema);

  constructor(
    private readonly platform: Platform,
    private readonly prng: Prng,
    staff: readonly DemoStaff[],
  ) {
    for (const s of staff) this.byOrg.set(s.organisationId, [...(this.byOrg.get(s.organisationId) ?? []), s]);
  }

  /** Staff of the case's organisation who may take the action: the step's role, else whoever the workflow allows. */
  actorFor(c: CaseRecord, step: Step): StaffPrincipal | null {
    const allowed = workflows[c.channel].actions[step.action]?.roles ?? [];
    const roles = [step.actor, 'head', 'executor', 'dispatcher', 'registrar'] as const;
    const role = roles.find((r) => r !== 'applicant' && (step.action === 'assign' ? r === 'head' : allowed.includes(r)) && this.has(c, r));
    return role && role !== 'applicant' ? this.principal(c, role) : null;
  }

  private has(c: CaseRecord, role: string): boolean {
    return (this.byOrg.get(c.organisationId) ?? []).some((s) => s.role === role);
  }

  principal(c: CaseRecord, role: DemoStaff['role']): StaffPrincipal | null {
    const member = (this.byOrg.get(c.organisationId) ?? []).find((s) => s.role === role);
    if (!member) return null;
    const scope = role === 'head' || role === 'controller' ? this.platform.reference.subtree(c.organisationId) : new Set([c.organisationId]);
    return { type: 'staff', userId: member.id, role, organisationId: c.organisationId, scope };
  }

  phrase(kind: 'answers' | 'documentRequests' | 'dispatchNotes' | 'firstContacts', language: Language, at: Date): string {
    return this.prng.pick(this.dialog[kind][language] ?? this.dialog[kind].ru!).replace('{date}', at.toISOString().slice(0, 10));
  }

  /** Fills in what a step needs, in the case's language. */
  params(step: Step, c: CaseRecord, at: Date): ActionParams {
    switch (step.fill) {
      case 'answer':
        return { outcome: this.prng.weighted([['satisfied', 5], ['explained', 4]] as const), answer: this.phrase('answers', c.language, at) };
      case 'explain':
        return { outcome: 'explained', answer: this.phrase('answers', c.language, at) };
      case 'refuse':
        return { outcome: 'refused', answer: this.phrase('answers', c.language, at) };
      case 'hearing':
        return { message: this.phrase('answers', c.language, at) };
      case 'extend':
        return { reason: this.dialog.reasons.extend, until: this.extendedUntil(c) };
      case 'documents':
        return { message: this.phrase('documentRequests', c.language, at) };
      case 'dispatch':
        // The crew's call sign from the case number: no draw from the generator, so the demo stays as it was.
        return { message: this.phrase('dispatchNotes', c.language, at), unit: `Патруль-${(Number(c.registrationNumber.slice(-4)) % 90) + 10}` };
      case 'first_contact':
        return { message: this.phrase('firstContacts', c.language, at) };
      case 'redirect':
        return { organisationId: this.redirectTarget(c), reason: this.dialog.reasons.redirect };
      case 'reopen':
        return { reason: this.dialog.reasons.reopen };
      case 'terminate':
        return { terminationReason: this.prng.pick(['no_substance', 'repeat_without_new_arguments', 'court_act_exists'] as const) };
      case 'provide':
        return { message: c.language === 'kk' ? 'Құжаттарды тіркедім.' : c.language === 'en' ? 'Documents attached.' : 'Документы приложил(а).' };
      default:
        return {};
    }
  }

  /** Twenty working days past the current term: well within the two months the law allows. */
  extendedUntil(c: CaseRecord): string | undefined {
    const calendar = this.platform.calendar;
    return c.dueAt ? calendar.addWorkingDays(calendar.localDate(c.dueAt), 20) : undefined;
  }

  /** The applicant's word after the answer: a rating, sometimes with a comment, or a complaint. */
  async afterAnswer(step: Step, c: CaseRecord, applicant: Principal): Promise<void> {
    const deps = this.platform.afterAnswer;
    if (step.action === 'rate') {
      const score = this.prng.weighted([[5, 4], [4, 3], [3, 1], [2, 1], [1, 1]] as const);
      await rateAnswer(deps, applicant, c.id, { score, ...(score <= 3 ? { comment: this.prng.pick(this.dialog.ratingComments[c.language]) } : {}) });
    } else {
      await complainAboutAnswer(deps, applicant, c.id, { text: this.prng.pick(this.dialog.complaints[c.language]) });
    }
  }

  /** A photo of the fix, uploaded by the executor: city cases close only with proof. */
  async proof(c: CaseRecord, executor: Principal): Promise<string> {
    const attachment = await addAttachment(this.platform.attachments, executor, c.id, { bytes: DEMO_PHOTO, fileName: 'after.png' });
    return attachment.id;
  }

  redirectTarget(c: CaseRecord): string {
    const org = this.platform.reference.organisation(c.organisationId);
    const akimat = c.city ? `${c.city}.akimat` : 'kz.processing_centre';
    return org?.higherBodyId && org.higherBodyId !== c.organisationId ? org.higherBodyId : akimat === c.organisationId ? 'kz.processing_centre' : akimat;
  }
}

/**
 * Deterministic demo cases: realistic messages, spread over cities, districts and four months, taken
 * through the real intake and workflow commands (never written to tables directly), so the demo
 * exercises the same code as real use.
 */
export async function generateDemoCases(platform: Platform, staff: readonly DemoStaff[], options: DemoOptions): Promise<number> {
  const prng = new Prng(options.seed);
  const world = new DemoWorld(platform, prng, staff);
  const messages = readData('messages.json', messagesSchema).messages;
  const clock = options.clock;
  let created = 0;
  for (let i = 0; i < options.cases; i++) {
    const message = prng.pick(messages);
    const ageDays = Math.pow(prng.next(), 1.6) * 120;
    const receivedAt = new Date(options.now.getTime() - ageDays * DAY);
    clock.set(receivedAt);
    const city = cityOf(prng, message.text);
    const district = prng.pick(platform.reference.districts.filter((d) => d.city === city));
    const withPoint = prng.chance(0.75);
    const submission: Submission = {
      channel: message.channel,
      text: message.text,
      category: prng.chance(0.9) ? message.category : undefined,
      kind: message.kind,
      urgency: message.urgency,
      language: message.language,
      ...(withPoint ? { location: randomPointIn(prng, district, platform) } : { districtId: district.id }),
    };
    const principal: Principal = prng.chance(message.channel === 'child' ? 0.8 : 0.25) && mayBeAnonymous(submission)
      ? { type: 'public' }
      : { type: 'citizen', userId: await platform.identity.identities.findOrCreateCitizen(`+7701${String(1_000_000 + prng.int(8_000_000)).padStart(7, '0')}`, receivedAt) };
    const receipt = await submitCase(platform.intake, principal, submission);
    await advance(platform, world, prng, clock, receipt.caseId, principal, ageDays, receivedAt);
    created++;
    options.onProgress?.(created);
  }
  // The legal clock catches up to today, as the worker would after downtime: warnings, breaches,
  // escalations, silence complaints, lapsed applicant deadlines and surveys.
  clock.set(options.now);
  while ((await runDeadlineTick(platform.deadlines, { batchSize: 1000 })).claimed > 0);
  return created;
}

async function advance(
  platform: Platform,
  world: DemoWorld,
  prng: Prng,
  clock: ManualClock,
  caseId: string,
  applicant: Principal,
  ageDays: number,
  receivedAt: Date,
) {
  let record = (await platform.read.store.get(caseId))!;
  const applicantPrincipal: Principal = applicant.type === 'public' ? { type: 'tracking', caseId } : applicant;
  const steps = prng.pick(stagesFor(record.channel, ageDays));
  let at = receivedAt;
  for (const step of steps) {
    at = new Date(at.getTime() + (0.5 + prng.next() * Math.min(ageDays, 10)) * 3_600_000 * (step.hoursScale ?? 6));
    if (at.getTime() > receivedAt.getTime() + ageDays * DAY) at = new Date(receivedAt.getTime() + ageDays * DAY);
    clock.set(at);
    const actor = step.actor === 'applicant' ? applicantPrincipal : world.actorFor(record, step);
    if (!actor) return;
    try {
      if (step.action === 'rate' || step.action === 'complain') {
        await world.afterAnswer(step, record, actor);
        continue;
      }
      if (step.action === 'assign') {
        const executor = world.principal(record, step.assignee ?? 'executor');
        if (executor) record = await assignCase(platform.work, actor, caseId, executor.userId);
      } else {
        const params = world.params(step, record, at);
        if (step.fill === 'proof') {
          params.outcome = 'satisfied';
          params.answer = world.phrase('answers', record.language, at);
          params.proofAttachmentIds = [await world.proof(record, actor)];
        }
        record = await performAction(platform.work, actor, caseId, step.action, params);
      }
    } catch (err) {
      // A path that does not fit this case (e.g. no such action for an anonymous applicant) just stops there.
      if (err instanceof DomainError) return;
      throw err;
    }
  }
}
