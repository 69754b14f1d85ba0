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
import type { BlobStore, Classifier, Clock } from '../core/ports.ts';
import type { BusinessCalendar } from '../core/sla/calendar.ts';
import { createLegalClock } from '../core/sla/legal-clock.ts';
import { workflows } from '../core/workflow/registry.ts';
import { readGazetteer } from '../geo/gazetteer-data.ts';
import { readRegions } from '../geo/geo-files.ts';
import { createGeoLocator, type GeoLocator } from '../geo/locator.ts';
import { normaliseText } from '../nlp/normalise.ts';
import { createFileBlobStore } from '../storage/blob-store.ts';
import { createThumbnails, THUMBNAIL_NAMESPACE, type Thumbnails } from '../media/thumbnails.ts';
import { readCaptureFacts } from '../media/exif.ts';
import type { PoliceDeps } from '../core/police.ts';
import { createCaseStore } from '../storage/case-store.ts';
import type { Db } from '../storage/db.ts';
import { createIdentityStore } from '../storage/identity-store.ts';
import { createContactStore, type ContactStore } from '../storage/contact-store.ts';
import type { Open311Deps } from '../channels/open311/commands.ts';
import { placeContext } from '../channels/open311/input.ts';
import { createOpen311Store } from '../storage/open311-store.ts';
import type { OutboxDeps } from '../notify/outbox.ts';
import { createOutbox } from './outbox.ts';
import { createBotApi, type BotApi } from '../channels/telegram/bot-api.ts';
import { createTelegramStore, type TelegramStore } from '../storage/telegram-store.ts';
import { loadReferenceCatalog, type ReferenceCatalog } from '../storage/reference-store.ts';
import { loadProcedures, loadTermPolicies } from './clock-data.ts';
import { createLiveCalendar, type CalendarAdmin } from './live-calendar.ts';
import { createIdGenerator } from './ids.ts';
import { createSimilarCases } from './similar-index.ts';
import { createLiveFeed, type PollingLiveFeed } from './live-feed.ts';
import { createLiveFeedStore } from '../storage/live-feed-store.ts';
import type { BoardDeps } from '../core/board.ts';
import { createBoardStore, createBoardTicketStore } from '../storage/board-store.ts';
import { loadModelBundle } from './nlp-data.ts';
import { lazyUnderstanding, type UnderstandingService } from './understanding.ts';
import { DATA_FILES } from '../config/paths.ts';
import { lazyKnowledgeBase, type KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { loadKnowledgeData } from '../knowledge/load.ts';
import type { AnswersStore } from '../knowledge/similar-answers.ts';
import { createAnswersStore } from '../storage/answers-store.ts';
import type { ChildDeps } from '../core/child-deps.ts';
import { createChildDeps } from './child-platform.ts';
import { createSocialIngest, type SocialIngest } from '../social/ingest.ts';
import { createSocialStore } from '../storage/social-store.ts';
import { fanOut } from '../social/post.ts';
import { lazyIssueSink } from './social-issues.ts';

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
  /** Image thumbnails, made on first request and kept beside the originals (src/media/thumbnails.ts). */
  thumbnails: Thumbnails;
  /** The police door (102): intake plus evidence files (limits per photo/video, EXIF, the same blob store). */
  police: PoliceDeps;
  identity: IdentityDeps;
  /** The Open311 GeoReport v2 door (/open311/v2): intake and work as its clients' principals, the public view. */
  open311: Open311Deps;
  /** What the deadline worker needs: the registration path (silence complaints) and the reference data. */
  deadlines: DeadlineDeps;
  /** What the outbox worker needs to deliver notices (src/notify/outbox.ts). */
  outbox: OutboxDeps;
  /** A person's e-mail address and language (GET/PATCH /api/v1/me). */
  contacts: ContactStore;
  /** Places: point → district (grid index), city extents, the gazetteer (src/geo/). */
  geo: GeoLocator;
  /** The Telegram bot door's tables and, when TELEGRAM_BOT_TOKEN is set, its Bot API (src/channels/telegram/). */
  telegram: { store: TelegramStore; botApi: BotApi | null };
  /** Committed case changes from every node, for live boards and chats (polls only while someone listens). */
  feed: PollingLiveFeed;
  /** The live dispatch board of 102/109 (src/core/board.ts): its rows, the feed and the stream's tickets. */
  board: BoardDeps;
  /** The knowledge base (data/knowledge, read on first use) and the answered cases behind "earlier answers". */
  knowledge: { base: KnowledgeBase; answers: AnswersStore };
  /** The child door (Bala Qorgau): schools and QR links, anonymous reports, the live chat, the on-call roster, per-school statistics. */
  child: ChildDeps;
  /** Social listening's ingestion (src/social/ingest.ts): connectors → evidence (social_posts) → the sink. */
  socialIngest: SocialIngest;
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

/** Originals and their thumbnails: files under DATA_DIR, or one S3 bucket under two prefixes (MEDIA_STORE). */
async function mediaStores(config: Config, logger: Logger): Promise<{ originals: BlobStore; thumbnails: BlobStore }> {
  if (config.MEDIA_STORE === 'local') {
    return { originals: createFileBlobStore(path.join(config.DATA_DIR, 'blobs')), thumbnails: createFileBlobStore(path.join(config.DATA_DIR, THUMBNAIL_NAMESPACE), { verify: false }) };
  }
  const settings = {
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    bucket: config.S3_BUCKET!,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
  };
  // The S3 SDK is large: loaded only by a process that stores in S3.
  const { createS3BlobStore, createS3Client } = await import('../storage/s3-blob-store.ts');
  const client = createS3Client(settings);
  return {
    originals: createS3BlobStore(settings, { prefix: 'blobs/', client, log: logger }),
    thumbnails: createS3BlobStore(settings, { prefix: `${THUMBNAIL_NAMESPACE}/`, client, log: logger, verify: false }),
  };
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
  const media = await mediaStores(config, options.logger);
  const identities = createIdentityStore(db);
  const ids = createIdGenerator(options.secretKey);
  const legalClock = createLegalClock(calendar, policies);
  const understanding = options.understanding ?? defaultUnderstanding();
  const similarCases = createSimilarCases(db, clock);
  const geo = createGeoLocator({ districts: reference.districts, regions: () => readRegions(reference.districts), gazetteer: readGazetteer });
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
    locator: geo,
    detectLanguage: understanding.detectLanguage,
    initialState: (channel) => {
      const wf = workflows[channel];
      return { state: wf.initial, stateKind: wf.states[wf.initial]!.kind };
    },
  };
  const feed = createLiveFeed(createLiveFeedStore(db), { intervalMs: config.LIVE_FEED_POLL_MS, logger: options.logger });
  // The bot is on when it has a token; outside production its Bot API must be on this machine (config + client check).
  const telegramBotApi = config.TELEGRAM_BOT_TOKEN
    ? createBotApi({ baseUrl: config.TELEGRAM_API_URL, token: config.TELEGRAM_BOT_TOKEN, timeoutMs: config.NOTIFY_SEND_TIMEOUT_MS, allowRemote: config.NODE_ENV === 'production' })
    : null;
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
    outbox: createOutbox(config, db, clock, options.logger, telegramBotApi),
    contacts: createContactStore(db),
    geo,
    telegram: { store: createTelegramStore(db), botApi: telegramBotApi },
    feed,
    board: {
      source: createBoardStore(db),
      feed,
      maxRows: config.BOARD_MAX_ROWS,
      tickets: createBoardTicketStore(db),
      findUser: (id) => identities.findUser(id),
      subtree: reference.subtree,
      hasOrganisation: (id) => reference.organisation(id) !== undefined,
      clock,
      ttlSeconds: config.BOARD_TICKET_TTL_SECONDS,
    },
    afterAnswer: intake,
    child: createChildDeps(config, db, { reference, calendar, intake, work, read: { store, clock } }),
    socialIngest: createSocialIngest({
      store: createSocialStore(db),
      reading: {
        understand: (text) => understanding.understand(text),
        detectLanguage: (text) => understanding.detectLanguage(text),
        resolvePlace: (text) => geo.resolvePlace(text),
        districtAt: (point) => geo.districtAt(point),
      },
      secretKey: options.secretKey,
      clock,
      uuid: ids.uuid,
      // The issue clustering (src/social/issues/), built on the first post.
      sink: fanOut([lazyIssueSink(db, clock, options.logger)]),
      onSinkError: (err, post, kind) => options.logger.error({ err, postId: post.id, kind }, 'social sink failed'),
    }),
    understanding,
    knowledge: {
      // The classifier's top categories raise their articles (none without a model).
      base: lazyKnowledgeBase(() => loadKnowledgeData(path.join(DATA_FILES, 'knowledge'), (code) => reference.hasCategory(code)), (text) => understanding.understand(text)?.top ?? []),
      answers: createAnswersStore(db),
    },
    statistics: {
      statistics: createStatisticsStore(db),
      calendar,
      subtree: reference.subtree,
      hasOrganisation: (id) => reference.organisation(id) !== undefined,
    },
    attachments: {
      ...work,
      blobs: media.originals,
      sniffType: async (bytes) => (await fileTypeFromBuffer(bytes))?.mime ?? null,
      maxBytes: config.ATTACHMENT_MAX_BYTES,
      allowedTypes: config.ATTACHMENT_TYPES,
    },
    thumbnails: createThumbnails({ originals: media.originals, cache: media.thumbnails }),
    police: {
      intake,
      blobs: media.originals,
      sniffType: async (bytes) => (await fileTypeFromBuffer(bytes))?.mime ?? null,
      readCapture: readCaptureFacts,
      // Kazakhstan's own outline (its regions), not just a bounding box: Tashkent lies inside the box.
      inCountry: (point) => {
        try {
          geo.placeOf(point);
          return true;
        } catch {
          return false;
        }
      },
      policy: {
        maxFiles: config.POLICE_MAX_FILES,
        photoMaxBytes: config.POLICE_PHOTO_MAX_BYTES,
        videoMaxBytes: config.POLICE_VIDEO_MAX_BYTES,
        photoTypes: config.POLICE_PHOTO_TYPES,
        videoTypes: config.POLICE_VIDEO_TYPES,
      },
    },
    open311: {
      intake,
      work,
      store: createOpen311Store(db),
      catalog: reference,
      places: placeContext(reference.districts),
      // A request's token is random (122 bits): it resolves to a public id, but only its client has it.
      newToken: () => `o311_${ids.uuid().replace(/-/g, '')}`,
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
