import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { Logger } from 'pino';
import type { Config } from '../config/index.ts';
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
import { detectLanguage } from '../nlp/language.ts';
import { normaliseText } from '../nlp/normalise.ts';
import { createFileBlobStore } from '../storage/blob-store.ts';
import { createCaseStore } from '../storage/case-store.ts';
import type { Db } from '../storage/db.ts';
import { createIdentityStore } from '../storage/identity-store.ts';
import { loadReferenceCatalog, type ReferenceCatalog } from '../storage/reference-store.ts';
import { loadBusinessCalendar, loadTermPolicies } from './clock-data.ts';
import { createIdGenerator } from './ids.ts';

/** Everything a door (HTTP, CLI, a channel) needs to call the core: built once, shared by all. */
export interface Platform {
  config: Config;
  db: Db;
  reference: ReferenceCatalog;
  clock: Clock;
  /** Kazakhstan working days: the one calendar every computation of the legal clock uses. */
  calendar: BusinessCalendar;
  intake: IntakeDeps;
  work: WorkDeps;
  read: ReadDeps;
  attachments: AttachmentDeps;
  identity: IdentityDeps;
  /** What the deadline worker needs: the registration path (silence complaints) and the reference data. */
  deadlines: DeadlineDeps;
  logger: Logger;
}

export const systemClock: Clock = { now: () => new Date() };

/** Until the in-house classifier lands (issue 5), cases keep the submitter's category or go to triage. */
const noClassifier: Classifier = { classify: async () => null };


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
  secretKey: string;
  logger: Logger;
}

export async function createPlatform(config: Config, db: Db, options: PlatformOptions): Promise<Platform> {
  const clock = options.clock ?? systemClock;
  const reference = await loadReferenceCatalog(db);
  const calendar = loadBusinessCalendar();
  const policies = loadTermPolicies();
  const store = createCaseStore(db);
  const identities = createIdentityStore(db);
  const ids = createIdGenerator(options.secretKey);
  const work: WorkDeps = { store, reference, staff: identities, clock, calendar, ids, normalise: normaliseText, textMaxChars: config.TEXT_MAX_CHARS };
  const intake: IntakeDeps = {
    ...work,
    classifier: options.classifier ?? noClassifier,
    locator: createDistrictLocator(reference.districts),
    legalClock: createLegalClock(calendar, policies),
    detectLanguage,
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
    logger: options.logger,
    read: { store, clock },
    work,
    intake,
    deadlines: intake,
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
