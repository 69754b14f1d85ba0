import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { Logger } from 'pino';
import type { Config } from '../config/index.ts';
import type { AfterAnswerDeps } from '../core/after-answer.ts';
import type { StatisticsDeps } from '../core/statistics.ts';
import { createStatisticsStore } from '../storage/statistics-store.ts';
import type { AttachmentDeps } from '../core/attachments.ts';
import type { ReadDeps } from '../core/case-access.ts';
import type { DeadlineDeps } from '../core/deadlines.ts';
import type { WorkDeps } from '../core/case-work.ts';
import type { IdentityDeps } from '../core/identity/identity.ts';
import { maskPhone } from '../core/identity/phone.ts';
import type { OneTimeCodeSender } from '../core/identity/ports.ts';
import type { IntakeDeps } from '../core/intake.ts';
import type { Classifier, Clock } from '../core/ports.ts';
import type { BusinessCalendar } from '../core/sla/calendar.ts';
import { createLegalClock } from '../core/sla/legal-clock.ts';
import { workflows } from '../core/workflow/registry.ts';
import { createDistrictLocator } from '../geo/district-locator.ts';
import { normaliseText } from '../nlp/normalise.ts';
import { createFileBlobStore } from '../storage/blob-store.ts';
import { createCaseStore } from '../storage/case-store.ts';
import type { Db } from '../storage/db.ts';
import { createIdentityStore } from '../storage/identity-store.ts';
import { createContactStore, type ContactStore } from '../storage/contact-store.ts';
import type { OutboxDeps } from '../notify/outbox.ts';
import { createOutbox } from './outbox.ts';
import { loadReferenceCatalog, type ReferenceCatalog } from '../storage/reference-store.ts';
import { loadProcedures, loadTermPolicies } from './clock-data.ts';
import { createLiveCalendar, type CalendarAdmin } from './live-calendar.ts';
import { createIdGenerator } from './ids.ts';
import { createSimilarCases } from './similar-index.ts';
import { loadModelBundle } from './nlp-data.ts';
import { lazyUnderstanding, type UnderstandingService } from './understanding.ts';

/** Everything a door (HTTP, CLI, a channel) needs to call the core: built once, shared by all. */
export interface Platform {
  config: Config;
  db: Db;
  reference: ReferenceCatalog;
  clock: Clock;
  /** Kazakhstan working days: the one calendar every computation of the legal clock uses. */
  calendar: BusinessCalendar;
  /** Admin overrides of that calendar: the commands' dependencies and the refresh of this process's copy. */
  calendarAdmin: CalendarAdmin;
  intake: IntakeDeps;
  statistics: StatisticsDeps;
  /** The classifier and language identifier (issue 5). */
  understanding: UnderstandingService;
  /** Rating, complaints about an answer, the survey: case work that may register a new case. */
  afterAnswer: AfterAnswerDeps;
  work: WorkDeps;
  read: ReadDeps;
  attachments: AttachmentDeps;
  identity: IdentityDeps;
  /** What the deadline worker needs: the registration path (silence complaints) and the reference data. */
  deadlines: DeadlineDeps;
  /** What the outbox worker needs to deliver notices (src/notify/outbox.ts). */
  outbox: OutboxDeps;
  /** A person's e-mail address and language (GET/PATCH /api/v1/me). */
  contacts: ContactStore;
  logger: Logger;
}

export const systemClock: Clock = { now: () => new Date() };

/** The model file is read once per process: every platform (server, CLI, tests) shares it. */
let sharedUnderstanding: UnderstandingService | undefined;
const defaultUnderstanding = (): UnderstandingService => (sharedUnderstanding ??= lazyUnderstanding(loadModelBundle));


function codeSender(config: Config, logger: Logger): OneTimeCodeSender {
  const mode = config.OTP_SENDER ?? (config.DEMO ? 'demo' : 'log');
  if (mode === 'demo') return { revealsCode: true, send: async () => undefined };
  // No SMS gateway is configured: the code goes to the server log (never with the full number).
  // Under "to", not "phone": the logger censors any "phone", and the operator needs the last digits to pass the code on.
  return { revealsCode: false, send: async (phone, code) => logger.info({ to: maskPhone(phone), code }, 'sign-in code') };
}

export interface PlatformOptions {
  clock?: Clock;
  classifier?: Classifier;
  /** The trained models; by default models/classifier.bin (none: no classification). */
  understanding?: UnderstandingService;
  secretKey: string;
  logger: Logger;
}

export async function createPlatform(config: Config, db: Db, options: PlatformOptions): Promise<Platform> {
  const clock = options.clock ?? systemClock;
  const reference = await loadReferenceCatalog(db);
  // The data plus the admin overrides in calendar_events, refreshed after each change (see live-calendar.ts).
  const { calendar, admin: calendarAdmin } = await createLiveCalendar(db, { clock, logger: options.logger, refreshMs: config.CALENDAR_REFRESH_MS });
  const policies = loadTermPolicies();
  const store = createCaseStore(db);
  const identities = createIdentityStore(db);
  const ids = createIdGenerator(options.secretKey);
  const legalClock = createLegalClock(calendar, policies);
  const understanding = options.understanding ?? defaultUnderstanding();
  const similarCases = createSimilarCases(db, clock);
  const work: WorkDeps = {
    store,
    reference,
    staff: identities,
    clock,
    calendar,
    legalClock,
    procedures: loadProcedures(),
    pauseWhileAwaitingApplicant: config.CLOCK_PAUSE_WHILE_AWAITING_APPLICANT,
    ids,
    normalise: normaliseText,
    textMaxChars: config.TEXT_MAX_CHARS,
    similarCases,
  };
  const intake: IntakeDeps & WorkDeps = {
    ...work,
    classifier: options.classifier ?? understanding.classifier,
    locator: createDistrictLocator(reference.districts),
    detectLanguage: understanding.detectLanguage,
    initialState: (channel) => {
      const wf = workflows[channel];
      return { state: wf.initial, stateKind: wf.states[wf.initial]!.kind };
    },
  };
  return {
    config,
    db,
    reference,
    clock,
    calendar,
    calendarAdmin,
    logger: options.logger,
    read: { store, clock },
    work,
    intake,
    deadlines: intake,
    outbox: createOutbox(config, db, clock, options.logger),
    contacts: createContactStore(db),
    afterAnswer: intake,
    understanding,
    statistics: {
      statistics: createStatisticsStore(db),
      calendar,
      subtree: reference.subtree,
      hasOrganisation: (id) => reference.organisation(id) !== undefined,
    },
    attachments: {
      ...work,
      blobs: createFileBlobStore(path.join(config.DATA_DIR, 'blobs')),
      sniffType: async (bytes) => (await fileTypeFromBuffer(bytes))?.mime ?? null,
      maxBytes: config.ATTACHMENT_MAX_BYTES,
      allowedTypes: config.ATTACHMENT_TYPES,
    },
    identity: {
      identities,
      sender: codeSender(config, options.logger),
      clock,
      ids,
      subtree: reference.subtree,
      hasOrganisation: (id) => reference.organisation(id) !== undefined,
      tokenTtlHours: config.TOKEN_TTL_HOURS,
      codeTtlSeconds: config.OTP_TTL_SECONDS,
      codeMaxAttempts: config.OTP_MAX_ATTEMPTS,
    },
  };
}
