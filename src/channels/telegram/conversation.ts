/**
 * The conversation of one chat as a pure state machine: language → what happened → where → photos →
 * confirm. It takes the chat's state and one input (already read from the update, and for a photo already
 * fetched and checked by the door), and returns the next state, the replies, and at most one effect the
 * door performs (register the report, list the chat's cases, link a phone). No I/O here.
 */
import { DomainError } from '../../core/errors.ts';
import { normalisePhone } from '../../core/identity/phone.ts';
import type { GeoPoint, Language } from '../../core/model.ts';
import { languages } from '../../core/model.ts';
import { CHOOSE_LANGUAGE, LANGUAGE_BUTTONS, say, stateLabel, type MessageKey } from './texts.ts';

export const steps = ['idle', 'language', 'text', 'place', 'photos', 'confirm'] as const;
export type Step = (typeof steps)[number];

/** A photo already fetched, sniffed and kept in the blob store under its hash. */
export interface DraftPhoto {
  sha256: string;
  mediaType: string;
  sizeBytes: number;
  fileName: string;
}

/** The report being filled in. Its id makes the registration idempotent (a retried confirm is one case). */
export interface Draft {
  id: string;
  text: string | null;
  location: GeoPoint | null;
  address: string | null;
  photos: DraftPhoto[];
}

export interface Conversation {
  chatId: number;
  language: Language | null;
  step: Step;
  draft: Draft | null;
  /** The citizen this chat belongs to (they shared their own phone), else null: reports are anonymous. */
  userId: string | null;
}

export type Input =
  | { type: 'command'; command: string }
  | { type: 'text'; text: string }
  | { type: 'location'; point: GeoPoint }
  /** A photo the door fetched and accepted. */
  | { type: 'photo'; photo: DraftPhoto }
  /** A photo the door fetched and refused, or could not fetch. */
  | { type: 'photo_refused'; reason: 'not_image' | 'too_large' | 'unavailable' }
  /** A photo sent when none is expected (the door did not fetch it). */
  | { type: 'photo_unexpected' }
  | { type: 'contact'; phone: string; own: boolean }
  | { type: 'button'; data: string }
  | { type: 'unsupported' };

export interface InlineButton {
  text: string;
  data: string;
}

export type Keyboard = { type: 'inline'; rows: InlineButton[][] } | { type: 'contact'; label: string } | { type: 'remove' };

export interface Reply {
  text: string;
  keyboard?: Keyboard;
}

export type Effect =
  | { type: 'submit'; draft: Draft & { text: string }; language: Language }
  | { type: 'status' }
  /** Link the chat to the citizen with this phone (E.164). */
  | { type: 'link'; phone: string };

export interface Transition {
  next: Conversation;
  replies: Reply[];
  effect: Effect | null;
  /** The short notice shown on a pressed button (answerCallbackQuery). */
  buttonNotice?: string;
}

export interface Limits {
  textMaxChars: number;
  maxPhotos: number;
  maxPhotoBytes: number;
  addressMaxChars: number;
}

/** What the machine needs besides the state and the input: the limits, a fresh id, the sender's interface language. */
export interface StepContext extends Limits {
  newDraftId: () => string;
  /** The intake's text normalisation (pure): the limits apply to the text as it will be stored. */
  normalise: (text: string) => string;
  languageHint: string | null;
}

/** Kazakhstan's bounding box, a little generous: a point outside it is surely not a report for us. */
const KAZAKHSTAN = { minLat: 40.5, maxLat: 55.5, minLon: 46.4, maxLon: 87.4 };
export const isInKazakhstan = (p: GeoPoint): boolean =>
  p.lat >= KAZAKHSTAN.minLat && p.lat <= KAZAKHSTAN.maxLat && p.lon >= KAZAKHSTAN.minLon && p.lon <= KAZAKHSTAN.maxLon;

const isLanguage = (v: string): v is Language => (languages as readonly string[]).includes(v);

/** The language to speak: the chosen one, else the user's Telegram language when we speak it, else Russian. */
export function languageOf(c: Conversation, hint: string | null): Language {
  if (c.language) return c.language;
  const base = hint?.slice(0, 2).toLowerCase() ?? '';
  return isLanguage(base) ? base : 'ru';
}

export const newConversation = (chatId: number): Conversation => ({ chatId, language: null, step: 'idle', draft: null, userId: null });

const languageKeyboard = (): Keyboard => ({ type: 'inline', rows: [languages.map((l) => ({ text: LANGUAGE_BUTTONS[l], data: `lang:${l}` }))] });
const oneButton = (text: string, data: string): Keyboard => ({ type: 'inline', rows: [[{ text, data }]] });

const emptyDraft = (ctx: StepContext): Draft => ({ id: ctx.newDraftId(), text: null, location: null, address: null, photos: [] });

/** The prompt of a step, with its keyboard. */
export function promptFor(c: Conversation, ctx: StepContext): Reply[] {
  const lang = languageOf(c, ctx.languageHint);
  switch (c.step) {
    case 'language':
      return [{ text: CHOOSE_LANGUAGE, keyboard: languageKeyboard() }];
    case 'text':
      return [{ text: say(lang, 'askText') }];
    case 'place':
      return [{ text: say(lang, 'askPlace'), keyboard: oneButton(say(lang, 'skip'), 'place:skip') }];
    case 'photos':
      return [{ text: say(lang, 'askPhotos', { max: ctx.maxPhotos }), keyboard: oneButton(say(lang, 'done'), 'photos:done') }];
    case 'confirm':
      return confirmPrompt(c, lang);
    case 'idle':
      return [{ text: say(lang, 'startNew') }];
  }
}

/** Telegram refuses messages over 4,096 characters: a long report is shown cut in the summary (stored whole). */
const SUMMARY_TEXT_CHARS = 3_000;

function confirmPrompt(c: Conversation, lang: Language): Reply[] {
  const d = c.draft!;
  const text = (d.text ?? '').length > SUMMARY_TEXT_CHARS ? `${d.text!.slice(0, SUMMARY_TEXT_CHARS)}…` : (d.text ?? '');
  const place = d.location
    ? say(lang, 'placePoint', { lat: d.location.lat.toFixed(5), lon: d.location.lon.toFixed(5) })
    : (d.address ?? say(lang, 'placeNone'));
  const replies: Reply[] = [
    {
      text: say(lang, 'confirm', { text, place, photos: d.photos.length }),
      keyboard: { type: 'inline', rows: [[{ text: say(lang, 'send'), data: 'confirm:send' }, { text: say(lang, 'cancel'), data: 'confirm:cancel' }]] },
    },
  ];
  if (!c.userId) replies.push({ text: say(lang, 'contactHint'), keyboard: { type: 'contact', label: say(lang, 'shareContact') } });
  return replies;
}

const reply = (lang: Language, key: MessageKey, params?: Record<string, string | number>): Reply => ({ text: say(lang, key, params) });

/** Moves the conversation to a step and asks its question. */
function goTo(c: Conversation, step: Step, ctx: StepContext, before: Reply[] = []): Transition {
  const next = { ...c, step };
  return { next, replies: [...before, ...promptFor(next, ctx)], effect: null };
}

function startReport(c: Conversation, ctx: StepContext): Transition {
  const next: Conversation = { ...c, draft: emptyDraft(ctx) };
  return goTo(next, next.language ? 'text' : 'language', ctx);
}

function command(c: Conversation, name: string, ctx: StepContext): Transition {
  const lang = languageOf(c, ctx.languageHint);
  switch (name) {
    case 'start':
      // A fresh start always asks the language first.
      return goTo({ ...c, draft: emptyDraft(ctx) }, 'language', ctx);
    case 'new':
      return startReport(c, ctx);
    case 'cancel':
      if (!c.draft) return { next: c, replies: [reply(lang, 'nothingToCancel')], effect: null };
      return { next: { ...c, step: 'idle', draft: null }, replies: [{ ...reply(lang, 'cancelled'), keyboard: { type: 'remove' } }], effect: null };
    case 'status':
      return { next: c, replies: [], effect: { type: 'status' } };
    case 'lang':
    case 'language':
      // The step stays; the chosen language applies from the next message.
      return { next: c, replies: [{ text: CHOOSE_LANGUAGE, keyboard: languageKeyboard() }], effect: null };
    default:
      return { next: c, replies: [reply(lang, 'help')], effect: null };
  }
}

function text(c: Conversation, raw: string, ctx: StepContext): Transition {
  const lang = languageOf(c, ctx.languageHint);
  const value = ctx.normalise(raw);
  switch (c.step) {
    case 'idle':
      // Writing to the bot is reporting: the first message is the description.
      if (!c.language) return startReport(c, ctx);
      return text({ ...c, step: 'text', draft: emptyDraft(ctx) }, raw, ctx);
    case 'language':
      return goTo(c, 'language', ctx);
    case 'text':
      if (value.length === 0) return { next: c, replies: [reply(lang, 'textEmpty')], effect: null };
      if (value.length > ctx.textMaxChars) return { next: c, replies: [reply(lang, 'textTooLong', { max: ctx.textMaxChars })], effect: null };
      return goTo({ ...c, draft: { ...c.draft!, text: value } }, 'place', ctx);
    case 'place':
      if (value.length === 0) return goTo(c, 'place', ctx);
      if (value.length > ctx.addressMaxChars) return { next: c, replies: [reply(lang, 'addressTooLong', { max: ctx.addressMaxChars })], effect: null };
      return goTo({ ...c, draft: { ...c.draft!, address: value, location: null } }, 'photos', ctx);
    case 'photos':
      return { next: c, replies: [{ ...reply(lang, 'photosOrDone'), keyboard: oneButton(say(lang, 'done'), 'photos:done') }], effect: null };
    case 'confirm':
      return { next: c, replies: [reply(lang, 'useButtons')], effect: null };
  }
}

function button(c: Conversation, data: string, ctx: StepContext): Transition {
  const lang = languageOf(c, ctx.languageHint);
  const expired: Transition = { next: c, replies: [], effect: null, buttonNotice: say(lang, 'buttonExpired') };
  const [kind, value = ''] = data.split(':', 2);
  if (kind === 'lang' && isLanguage(value)) {
    const chosen: Conversation = { ...c, language: value };
    const set = reply(value, 'languageSet');
    if (c.step === 'language') {
      const withDraft = chosen.draft ? chosen : { ...chosen, draft: emptyDraft(ctx) };
      return goTo(withDraft, 'text', ctx, [set]);
    }
    return { next: chosen, replies: [set, ...promptFor(chosen, ctx)], effect: null };
  }
  // A button from an earlier message (already pressed, or of a dropped report) changes nothing.
  if (kind === 'place' && value === 'skip' && c.step === 'place') return goTo(c, 'photos', ctx);
  if (kind === 'photos' && value === 'done' && c.step === 'photos') return goTo(c, 'confirm', ctx);
  if (kind === 'confirm' && c.step === 'confirm' && c.draft?.text) {
    if (value === 'cancel') return command(c, 'cancel', ctx);
    if (value === 'send') {
      return { next: { ...c, step: 'idle', draft: null }, replies: [], effect: { type: 'submit', draft: { ...c.draft, text: c.draft.text }, language: lang } };
    }
  }
  return expired;
}

function location(c: Conversation, point: GeoPoint, ctx: StepContext): Transition {
  const lang = languageOf(c, ctx.languageHint);
  if (c.step !== 'place') return { next: c, replies: promptFor(c, ctx), effect: null };
  if (!isInKazakhstan(point)) return { next: c, replies: [reply(lang, 'outsideKazakhstan')], effect: null };
  return goTo({ ...c, draft: { ...c.draft!, location: point, address: null } }, 'photos', ctx);
}

function photo(c: Conversation, input: Extract<Input, { type: 'photo' | 'photo_refused' | 'photo_unexpected' }>, ctx: StepContext): Transition {
  const lang = languageOf(c, ctx.languageHint);
  if (c.step !== 'photos') {
    const key: MessageKey = c.step === 'confirm' ? 'photosFull' : c.step === 'idle' ? 'startNew' : 'photoNotNow';
    return { next: c, replies: [reply(lang, key, { max: ctx.maxPhotos })], effect: null };
  }
  if (input.type === 'photo_unexpected') return { next: c, replies: [reply(lang, 'photosFull', { max: ctx.maxPhotos })], effect: null };
  if (input.type === 'photo_refused') {
    const key: MessageKey = input.reason === 'not_image' ? 'photoNotImage' : input.reason === 'too_large' ? 'photoTooLarge' : 'photoUnavailable';
    return { next: c, replies: [reply(lang, key, { mb: Math.floor(ctx.maxPhotoBytes / 1_048_576) })], effect: null };
  }
  const draft = c.draft!;
  // The same picture twice (a resend, an album sent again) is kept once.
  const photos = draft.photos.some((p) => p.sha256 === input.photo.sha256) ? draft.photos : [...draft.photos, input.photo];
  const next = { ...c, draft: { ...draft, photos } };
  const received = reply(lang, 'photoReceived', { n: photos.length, max: ctx.maxPhotos });
  if (photos.length >= ctx.maxPhotos) return goTo(next, 'confirm', ctx, [received]);
  return { next, replies: [{ ...received, keyboard: oneButton(say(lang, 'done'), 'photos:done') }], effect: null };
}

function contact(c: Conversation, input: Extract<Input, { type: 'contact' }>, ctx: StepContext): Transition {
  const lang = languageOf(c, ctx.languageHint);
  // Somebody else's card would tie this chat (and its notices) to a stranger's number.
  if (!input.own) return { next: c, replies: [{ ...reply(lang, 'contactNotOwn'), keyboard: { type: 'contact', label: say(lang, 'shareContact') } }], effect: null };
  try {
    return { next: c, replies: [], effect: { type: 'link', phone: normalisePhone(input.phone) } };
  } catch (err) {
    if (err instanceof DomainError && err.code === 'ERR_INVALID_PHONE') return { next: c, replies: [{ ...reply(lang, 'contactInvalid'), keyboard: { type: 'remove' } }], effect: null };
    throw err;
  }
}

/** One step of the conversation. */
export function advance(c: Conversation, input: Input, ctx: StepContext): Transition {
  // A state that lost its draft (it cannot, but a hand-edited row might) starts over rather than crash.
  if (c.step !== 'idle' && c.step !== 'language' && !c.draft && input.type !== 'command') return startReport({ ...c, step: 'idle' }, ctx);
  switch (input.type) {
    case 'command':
      return command(c, input.command, ctx);
    case 'text':
      return text(c, input.text, ctx);
    case 'button':
      return button(c, input.data, ctx);
    case 'location':
      return location(c, input.point, ctx);
    case 'photo':
    case 'photo_refused':
    case 'photo_unexpected':
      return photo(c, input, ctx);
    case 'contact':
      return contact(c, input, ctx);
    case 'unsupported':
      return { next: c, replies: [reply(languageOf(c, ctx.languageHint), 'unsupported')], effect: null };
  }
}

// ——— after an effect: what the bot says once the door has done it ———

export function afterLinked(c: Conversation, userId: string, ctx: StepContext): Transition {
  const lang = languageOf(c, ctx.languageHint);
  const next = { ...c, userId };
  return { next, replies: [{ ...reply(lang, 'contactLinked'), keyboard: { type: 'remove' } }], effect: null };
}

export function afterSubmitted(lang: Language, receipt: { registrationNumber: string; trackingCode?: string | undefined }): Reply[] {
  const text = receipt.trackingCode
    ? say(lang, 'registeredAnonymous', { number: receipt.registrationNumber, code: receipt.trackingCode })
    : say(lang, 'registered', { number: receipt.registrationNumber });
  return [{ text, keyboard: { type: 'remove' } }];
}

export const afterSubmitFailed = (lang: Language, code: string): Reply[] => [{ text: say(lang, 'submitFailed', { code }) }];

export interface StatusLine {
  registrationNumber: string;
  state: string;
  stateKind: string;
  confidential: boolean;
  /** Registration day, already in local time (YYYY-MM-DD). */
  registeredOn: string;
}

export function statusReply(lang: Language, cases: readonly StatusLine[]): Reply[] {
  if (cases.length === 0) return [reply(lang, 'statusNone')];
  const lines = cases.map((s) =>
    `${s.registrationNumber} (${s.registeredOn}) — ${s.confidential ? say(lang, 'statusConfidential') : stateLabel(lang, s.state, s.stateKind)}`,
  );
  return [{ text: [say(lang, 'statusHeader'), ...lines].join('\n') }];
}

// ——— the stored form ———

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const SHA256 = /^[0-9a-f]{64}$/;

function photoOf(v: unknown): DraftPhoto | null {
  if (!isObject(v)) return null;
  const { sha256, mediaType, sizeBytes, fileName } = v;
  if (typeof sha256 !== 'string' || !SHA256.test(sha256) || typeof mediaType !== 'string' || typeof sizeBytes !== 'number' || typeof fileName !== 'string') return null;
  return { sha256, mediaType, sizeBytes, fileName };
}

/** A stored draft read back; anything that is not a draft reads as none (the conversation then starts over). */
export function draftOf(v: unknown): Draft | null {
  if (!isObject(v) || typeof v['id'] !== 'string') return null;
  const loc = v['location'];
  const location = isObject(loc) && typeof loc['lat'] === 'number' && typeof loc['lon'] === 'number' ? { lat: loc['lat'], lon: loc['lon'] } : null;
  const photos = Array.isArray(v['photos']) ? v['photos'].map(photoOf).filter((p): p is DraftPhoto => p !== null) : [];
  return {
    id: v['id'],
    text: typeof v['text'] === 'string' ? v['text'] : null,
    location,
    address: typeof v['address'] === 'string' ? v['address'] : null,
    photos,
  };
}

export const stepOf = (v: string): Step => ((steps as readonly string[]).includes(v) ? (v as Step) : 'idle');
