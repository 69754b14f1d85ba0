/**
 * The Telegram door: one webhook update in, the conversation moved on, at most one case registered through
 * the intake command, the replies sent. The conversation itself is the pure machine in conversation.ts;
 * this module does the I/O around it.
 *
 * Exactly once per update: the update id, the conversation's new state and whatever the step did (a case
 * with its photos, a linked phone) commit in one transaction, so a retried update (Telegram retries until
 * it gets a 2xx) finds its id and changes nothing, and a failure half-way stores nothing. The replies are
 * sent after the commit: a reply lost to a network failure is not sent again (the person can ask again;
 * the state is right). A photo is fetched before the transaction (no network I/O while it is open).
 */
import type { Logger } from 'pino';
import { addAttachment, type AttachmentDeps } from '../../core/attachments.ts';
import { DomainError } from '../../core/errors.ts';
import { submitCase, type IntakeDeps, type Receipt } from '../../core/intake.ts';
import type { Language } from '../../core/model.ts';
import { formatLocal } from '../../core/notices.ts';
import type { Principal } from '../../core/principal.ts';
import type { BusinessCalendar } from '../../core/sla/calendar.ts';
import type { TelegramChatRow, TelegramStore } from '../../storage/telegram-store.ts';
import type { BotApi } from './bot-api.ts';
import {
  advance,
  afterLinked,
  afterSubmitFailed,
  afterSubmitted,
  draftOf,
  languageOf,
  statusReply,
  stepOf,
  type Conversation,
  type Draft,
  type Input,
  type Limits,
  type Reply,
  type StatusLine,
  type StepContext,
} from './conversation.ts';
import { fetchPhoto } from './photos.ts';
import { idempotencyKeyOf, submissionOf } from './submission.ts';
import { parseUpdate, type TelegramEvent } from './update.ts';

export interface TelegramDoorDeps {
  store: TelegramStore;
  botApi: BotApi;
  intake: IntakeDeps;
  attachments: AttachmentDeps;
  calendar: Pick<BusinessCalendar, 'utcOffsetMinutes'>;
  logger: Logger;
  limits: Limits;
}

export type UpdateOutcome =
  | { status: 'handled'; updateId: number; caseId?: string }
  /** Handled before (a retry of Telegram's): nothing done. */
  | { status: 'duplicate'; updateId: number }
  /** Nothing for the door (a group chat, an edited message, a poll…): recorded as handled. */
  | { status: 'ignored'; updateId: number };

/** How many cases /status lists, newest first. */
const STATUS_LIMIT = 10;

export const conversationOf = (row: TelegramChatRow): Conversation => ({
  chatId: row.chatId,
  language: row.language,
  step: stepOf(row.step),
  draft: draftOf(row.draft),
  userId: row.userId,
});

const rowOf = (c: Conversation): TelegramChatRow => ({ chatId: c.chatId, language: c.language, step: c.step, draft: c.draft, userId: c.userId });

/** The update's content as the machine's input; a photo is fetched only when the conversation waits for one. */
async function inputOf(deps: TelegramDoorDeps, event: TelegramEvent): Promise<Input> {
  const content = event.content;
  switch (content.type) {
    case 'photo': {
      const row = await deps.store.getChat(event.chatId);
      const c = row ? conversationOf(row) : null;
      if (!c || c.step !== 'photos' || !c.draft || c.draft.photos.length >= deps.limits.maxPhotos) return { type: 'photo_unexpected' };
      return fetchPhoto({ ...deps.attachments, botApi: deps.botApi, maxBytes: Math.min(deps.attachments.maxBytes, deps.limits.maxPhotoBytes) }, content.file);
    }
    case 'contact':
      return { type: 'contact', phone: content.phone, own: content.userId !== null && content.userId === event.fromId };
    case 'button':
      return { type: 'button', data: content.data };
    default:
      return content;
  }
}

/** A submission refused by intake (bad text, a category the channel refuses…): the report stays to be corrected. */
class SubmitRefused extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

async function register(deps: TelegramDoorDeps, c: Conversation, draft: Draft & { text: string }, language: Language, at: Date): Promise<Receipt & { trackingCode?: string }> {
  const classification = await deps.intake.classifier.classify({ text: deps.intake.normalise(draft.text), language, channel: 'city' });
  const principal: Principal = c.userId ? { type: 'citizen', userId: c.userId } : { type: 'public' };
  const receipt = await submitCase(deps.intake, principal, submissionOf(draft, language, classification), { idempotencyKey: idempotencyKeyOf(draft) });
  // The person who filed it adds the photos: the citizen, or for an anonymous report the holder of its code.
  const owner: Principal = c.userId ? principal : { type: 'tracking', caseId: receipt.caseId };
  for (const photo of draft.photos) {
    const bytes = await deps.attachments.blobs.get(photo.sha256);
    if (!bytes) {
      deps.logger.warn({ caseId: receipt.caseId, sha256: photo.sha256 }, 'telegram photo missing from the blob store; not attached');
      continue;
    }
    await addAttachment(deps.attachments, owner, receipt.caseId, { bytes, fileName: photo.fileName });
  }
  await deps.store.linkCase(receipt.caseId, c.chatId, at);
  return receipt;
}

async function statusOf(deps: TelegramDoorDeps, chatId: number): Promise<StatusLine[]> {
  const ids = await deps.store.casesOfChat(chatId, STATUS_LIMIT);
  const lines: StatusLine[] = [];
  for (const id of ids) {
    const record = await deps.intake.store.get(id);
    if (!record) continue;
    // A confidential case's state is not shown in a messenger (the phone may be in the wrong hands).
    lines.push({
      registrationNumber: record.registrationNumber,
      state: record.state,
      stateKind: record.stateKind,
      confidential: record.confidential,
      registeredOn: formatLocal(deps.calendar, record.registeredAt).slice(0, 10),
    });
  }
  return lines;
}

interface Step {
  replies: Reply[];
  buttonNotice?: string | undefined;
  caseId?: string;
}

/** The transaction of one update: its id, the conversation, and the effect of the step. Null: already handled. */
function handleInTransaction(deps: TelegramDoorDeps, updateId: number, event: TelegramEvent, input: Input): Promise<Step | null> {
  const at = deps.intake.clock.now();
  return deps.store.atomically(async () => {
    if (!(await deps.store.markHandled(updateId, event.chatId, at))) return null;
    const before = conversationOf(await deps.store.lockChat(event.chatId, at));
    const ctx = contextOf(deps, event);
    const t = advance(before, input, ctx);
    let next = t.next;
    let replies = t.replies;
    let caseId: string | undefined;
    const effect = t.effect;
    if (effect?.type === 'submit') {
      let receipt: Receipt & { trackingCode?: string };
      try {
        receipt = await register(deps, before, effect.draft, effect.language, at);
      } catch (err) {
        if (err instanceof DomainError && err.errorClass !== 'unavailable' && err.errorClass !== 'internal') throw new SubmitRefused(err.code);
        throw err;
      }
      caseId = receipt.caseId;
      replies = [...replies, ...afterSubmitted(effect.language, receipt)];
    } else if (effect?.type === 'status') {
      replies = [...replies, ...statusReply(languageOf(before, event.languageCode), await statusOf(deps, event.chatId))];
    } else if (effect?.type === 'link') {
      const userId = await deps.intake.staff.findOrCreateCitizen(effect.phone, at);
      const linked = afterLinked(next, userId, ctx);
      next = linked.next;
      replies = [...replies, ...linked.replies];
    }
    await deps.store.saveChat(rowOf(next), at);
    return { replies, buttonNotice: t.buttonNotice, ...(caseId ? { caseId } : {}) };
  });
}

function contextOf(deps: TelegramDoorDeps, event: TelegramEvent): StepContext {
  return { ...deps.limits, newDraftId: () => deps.intake.ids.uuid(), normalise: deps.intake.normalise, languageHint: event.languageCode };
}

/** Sends the replies in order; a failure is logged (never with the token or the text) and the rest still go. */
async function deliver(deps: TelegramDoorDeps, event: TelegramEvent, step: Step): Promise<void> {
  if (event.content.type === 'button') {
    await deps.botApi.answerCallbackQuery(event.content.callbackQueryId, step.buttonNotice).catch((err: unknown) => {
      deps.logger.warn({ err: (err as Error).message }, 'telegram answerCallbackQuery failed');
    });
  }
  for (const reply of step.replies) {
    try {
      await deps.botApi.sendMessage(event.chatId, reply.text, { keyboard: reply.keyboard });
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message }, 'telegram sendMessage failed');
    }
  }
}

/** Handles one webhook body (the secret is checked by the route). Throws ERR_TELEGRAM_UPDATE_INVALID for a malformed update. */
export async function handleUpdate(deps: TelegramDoorDeps, body: unknown): Promise<UpdateOutcome> {
  const { updateId, event } = parseUpdate(body);
  if (await deps.store.isHandled(updateId)) return { status: 'duplicate', updateId };
  if (!event || event.chatType !== 'private') {
    const first = await deps.store.atomically(() => deps.store.markHandled(updateId, event?.chatId ?? null, deps.intake.clock.now()));
    return first ? { status: 'ignored', updateId } : { status: 'duplicate', updateId };
  }
  const input = await inputOf(deps, event);
  let step: Step | null;
  try {
    step = await handleInTransaction(deps, updateId, event, input);
  } catch (err) {
    if (!(err instanceof SubmitRefused)) throw err;
    // Nothing of the report was stored; the update is recorded as handled and the person told why.
    const row = await deps.store.getChat(event.chatId);
    const language = languageOf(row ? conversationOf(row) : { chatId: event.chatId, language: null, step: 'idle', draft: null, userId: null }, event.languageCode);
    const first = await deps.store.atomically(() => deps.store.markHandled(updateId, event.chatId, deps.intake.clock.now()));
    step = first ? { replies: afterSubmitFailed(language, err.code) } : null;
  }
  if (!step) return { status: 'duplicate', updateId };
  await deliver(deps, event, step);
  return { status: 'handled', updateId, ...(step.caseId ? { caseId: step.caseId } : {}) };
}
