import { describe, expect, it } from 'vitest';
import { advance, newConversation, type Conversation, type Input, type StepContext } from '../../src/channels/telegram/conversation.ts';
import { chooseChannel, submissionOf } from '../../src/channels/telegram/submission.ts';
import { allTexts, say } from '../../src/channels/telegram/texts.ts';
import { commandOf, parseUpdate } from '../../src/channels/telegram/update.ts';
import { verifyWebhookSecret } from '../../src/channels/telegram/secret.ts';
import { DomainError } from '../../src/core/errors.ts';

/** The door's pure parts: the conversation machine, its texts, reading an Update, the channel choice. */

let ids = 0;
const ctx: StepContext = {
  textMaxChars: 100,
  maxPhotos: 2,
  maxPhotoBytes: 10 * 1_048_576,
  addressMaxChars: 20,
  newDraftId: () => `draft-${++ids}`,
  normalise: (text) => text.replace(/[\u200b\u200e\u200f]/g, '').trim(),
  languageHint: null,
};

const photo = (n: number): Input => ({ type: 'photo', photo: { sha256: n.toString(16).padStart(64, '0'), mediaType: 'image/png', sizeBytes: 10, fileName: 'p.png' } });

/** Feeds inputs one by one and returns the last transition. */
function run(inputs: Input[], from: Conversation = newConversation(1)) {
  let c = from;
  let last = advance(c, inputs[0]!, ctx);
  c = last.next;
  for (const input of inputs.slice(1)) {
    last = advance(c, input, ctx);
    c = last.next;
  }
  return last;
}

const start: Input[] = [{ type: 'command', command: 'start' }, { type: 'button', data: 'lang:ru' }];

describe('the conversation machine', () => {
  it('walks language → text → place → photos → confirm and asks to register the draft', () => {
    const t = run([...start, { type: 'text', text: '  Не горит фонарь  ' }, { type: 'location', point: { lat: 51.1, lon: 71.4 } }, photo(1), { type: 'button', data: 'photos:done' }]);
    expect(t.next).toMatchObject({ step: 'confirm', language: 'ru', draft: { text: 'Не горит фонарь', location: { lat: 51.1, lon: 71.4 }, address: null } });
    expect(t.next.draft!.photos).toHaveLength(1);
    expect(t.replies[0]!.text).toContain('Не горит фонарь');
    expect(t.replies[0]!.keyboard).toMatchObject({ type: 'inline', rows: [[{ data: 'confirm:send' }, { data: 'confirm:cancel' }]] });
    // Not linked to a phone: the second message offers to share it.
    expect(t.replies[1]!.keyboard).toEqual({ type: 'contact', label: say('ru', 'shareContact') });
    const sent = advance(t.next, { type: 'button', data: 'confirm:send' }, ctx);
    expect(sent.effect).toMatchObject({ type: 'submit', language: 'ru', draft: { text: 'Не горит фонарь' } });
    expect(sent.next).toMatchObject({ step: 'idle', draft: null });
  });

  it('goes to confirm by itself once the most photos arrived, and keeps a repeated photo once', () => {
    const t = run([...start, { type: 'text', text: 'x' }, { type: 'button', data: 'place:skip' }, photo(1), photo(1)]);
    expect(t.next.step).toBe('photos');
    expect(t.next.draft!.photos).toHaveLength(1);
    const full = advance(t.next, photo(2), ctx);
    expect(full.next.step).toBe('confirm');
  });

  it('refuses a text that is empty once normalised', () => {
    const t = run([...start, { type: 'text', text: ' \u200b\u200e ' }]);
    expect(t.next.step).toBe('text');
    expect(t.replies[0]!.text).toBe(say('ru', 'textEmpty'));
  });

  it('refuses a text over the limit, an address over the limit and a point outside Kazakhstan, staying on the step', () => {
    const long = run([...start, { type: 'text', text: 'я'.repeat(101) }]);
    expect(long.next.step).toBe('text');
    expect(long.replies[0]!.text).toBe(say('ru', 'textTooLong', { max: 100 }));
    const atPlace = run([...start, { type: 'text', text: 'x' }]).next;
    expect(advance(atPlace, { type: 'text', text: 'a'.repeat(21) }, ctx).next.step).toBe('place');
    const moscow = advance(atPlace, { type: 'location', point: { lat: 55.75, lon: 37.62 } }, ctx);
    expect(moscow.next.step).toBe('place');
    expect(moscow.replies[0]!.text).toBe(say('ru', 'outsideKazakhstan'));
  });

  it('ignores a button of an earlier step and says so on the button', () => {
    const atText = run([...start]).next;
    const t = advance(atText, { type: 'button', data: 'confirm:send' }, ctx);
    expect(t.effect).toBeNull();
    expect(t.next).toEqual(atText);
    expect(t.buttonNotice).toBe(say('ru', 'buttonExpired'));
  });

  it('cancels a draft, and has nothing to cancel afterwards', () => {
    const atPlace = run([...start, { type: 'text', text: 'x' }]).next;
    const cancelled = advance(atPlace, { type: 'command', command: 'cancel' }, ctx);
    expect(cancelled.next).toMatchObject({ step: 'idle', draft: null });
    expect(advance(cancelled.next, { type: 'command', command: 'cancel' }, ctx).replies[0]!.text).toBe(say('ru', 'nothingToCancel'));
  });

  it('links only the sender\'s own Kazakhstan mobile number', () => {
    const c = run([...start]).next;
    expect(advance(c, { type: 'contact', phone: '87015551234', own: true }, ctx).effect).toEqual({ type: 'link', phone: '+77015551234' });
    expect(advance(c, { type: 'contact', phone: '87015551234', own: false }, ctx).effect).toBeNull();
    const landline = advance(c, { type: 'contact', phone: '+7 727 250 00 00', own: true }, ctx);
    expect(landline.effect).toBeNull();
    expect(landline.replies[0]!.text).toBe(say('ru', 'contactInvalid'));
  });

  it('takes the first message in an idle chat with a language as the description', () => {
    const idle: Conversation = { chatId: 1, language: 'kk', step: 'idle', draft: null, userId: null };
    const t = advance(idle, { type: 'text', text: 'Жарық жоқ' }, ctx);
    expect(t.next).toMatchObject({ step: 'place', draft: { text: 'Жарық жоқ' } });
    expect(t.replies[0]!.text).toBe(say('kk', 'askPlace'));
  });

  it('changes the language mid-way without losing the draft', () => {
    const atPlace = run([...start, { type: 'text', text: 'x' }]).next;
    const t = advance(atPlace, { type: 'button', data: 'lang:kk' }, ctx);
    expect(t.next).toMatchObject({ language: 'kk', step: 'place', draft: { text: 'x' } });
    expect(t.replies.map((r) => r.text)).toEqual([say('kk', 'languageSet'), say('kk', 'askPlace')]);
  });
});

describe('the texts', () => {
  it('has every message in kk, ru and en, with the same placeholders', () => {
    const keys = Object.keys(allTexts.ru);
    for (const lang of ['kk', 'en'] as const) expect(Object.keys(allTexts[lang]).sort()).toEqual([...keys].sort());
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of keys as (keyof typeof allTexts.ru)[]) {
      for (const lang of ['kk', 'ru', 'en'] as const) expect(allTexts[lang][key].trim().length, `${lang}.${key}`).toBeGreaterThan(0);
      expect(placeholders(allTexts.kk[key]), key).toEqual(placeholders(allTexts.ru[key]));
      expect(placeholders(allTexts.en[key]), key).toEqual(placeholders(allTexts.ru[key]));
    }
  });

  it('does not expand placeholders inside what the person wrote', () => {
    expect(say('en', 'confirm', { text: '{place} {max}', place: 'P', photos: 0 })).toContain('{place} {max}\n\nPlace: P');
  });
});

describe('reading an Update', () => {
  it('reads commands with a bot name and arguments', () => {
    expect(commandOf('/status@TyndauBot')).toBe('status');
    expect(commandOf('/START payload')).toBe('start');
    expect(commandOf('/ not a command')).toBeNull();
    expect(commandOf('hello /start')).toBeNull();
  });

  it('takes the largest photo size, a document as a photo, and a callback without its message', () => {
    const base = { message_id: 1, date: 1, chat: { id: 7, type: 'private' }, from: { id: 7, is_bot: false, first_name: 'A' } };
    const photo = parseUpdate({ update_id: 1, message: { ...base, photo: [{ file_id: 's', file_unique_id: 'a', width: 1, height: 1 }, { file_id: 'L', file_unique_id: 'b', width: 9, height: 9, file_size: 99 }] } });
    expect(photo.event?.content).toEqual({ type: 'photo', file: { fileId: 'L', sizeBytes: 99, fileName: '' } });
    const document = parseUpdate({ update_id: 2, message: { ...base, document: { file_id: 'D', file_unique_id: 'd', file_name: 'yard.jpg' } } });
    expect(document.event?.content).toMatchObject({ type: 'photo', file: { fileId: 'D', fileName: 'yard.jpg' } });
    const button = parseUpdate({ update_id: 3, callback_query: { id: 'q', from: { id: 7, is_bot: false, first_name: 'A' }, chat_instance: 'c', data: 'lang:kk' } });
    expect(button.event).toMatchObject({ chatId: 7, chatType: 'private', content: { type: 'button', callbackQueryId: 'q', data: 'lang:kk' } });
    const sticker = parseUpdate({ update_id: 4, message: { ...base, sticker: { file_id: 'x' } } });
    expect(sticker.event?.content).toEqual({ type: 'unsupported' });
  });

  it('names the malformed field', () => {
    try {
      parseUpdate({ update_id: 5, message: { message_id: 1, date: 1, chat: { id: 1, type: 'private' }, location: { latitude: 'north', longitude: 1 } } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).details).toEqual({ field: 'update.message.location.latitude', reason: 'must be a number' });
    }
  });
});

describe('the channel and the secret', () => {
  const sure = (category: string) => ({ category, kind: 'application' as const, urgency: 'normal' as const, confidence: 0.9, confident: true });

  it('sends a confident crime report with a point to 102, anything else to 109', () => {
    expect(chooseChannel(sure('safety.theft'), true)).toEqual({ channel: 'police', category: 'safety.theft' });
    expect(chooseChannel(sure('safety.theft'), false)).toEqual({ channel: 'city' });
    expect(chooseChannel({ ...sure('safety.theft'), confident: false }, true)).toEqual({ channel: 'city' });
    expect(chooseChannel(sure('roads.lighting'), true)).toEqual({ channel: 'city' });
    expect(chooseChannel(null, true)).toEqual({ channel: 'city' });
    const draft = { id: 'd', text: 'Украли велосипед', location: { lat: 51.1, lon: 71.4 }, address: null, photos: [] };
    expect(submissionOf(draft, 'ru', sure('safety.theft'))).toEqual({ channel: 'police', category: 'safety.theft', text: 'Украли велосипед', language: 'ru', location: { lat: 51.1, lon: 71.4 } });
  });

  it('tells a missing secret from a wrong one', () => {
    const code = (given: string | string[] | undefined) => {
      try {
        verifyWebhookSecret('the-right-secret-123', given);
        return 'ok';
      } catch (err) {
        return (err as DomainError).code;
      }
    };
    expect(code('the-right-secret-123')).toBe('ok');
    expect(code(undefined)).toBe('ERR_TELEGRAM_SECRET_MISSING');
    expect(code('')).toBe('ERR_TELEGRAM_SECRET_MISSING');
    expect(code('the-right-secret-12')).toBe('ERR_TELEGRAM_SECRET_INVALID');
    expect(code(['the-right-secret-123', 'x'])).toBe('ERR_TELEGRAM_SECRET_INVALID');
  });
});
