/**
 * Demo cases from the Telegram door: a few whole conversations (in kk, ru and en) fed as Bot API updates to
 * the real webhook handler (not over HTTP), with a Bot API that lives in memory: it serves the demo's photos
 * and drops the bot's replies, so nothing leaves the machine. Deterministic (fixed chat and update ids; a
 * second run finds the updates handled and adds nothing).
 */
import sharp from 'sharp';
import type { BotApi } from '../../channels/telegram/bot-api.ts';
import { handleUpdate } from '../../channels/telegram/door.ts';
import { telegramDoorDeps } from '../../channels/telegram/wiring.ts';
import type { Platform } from '../platform.ts';

type Step =
  | { text: string }
  | { button: string }
  | { location: [number, number] }
  | { photo: [number, number, number] }
  | { contact: string };

interface DemoConversation {
  languageCode: string;
  steps: Step[];
}

const conversations: DemoConversation[] = [
  {
    languageCode: 'ru',
    steps: [
      { text: '/start' },
      { button: 'lang:ru' },
      { text: 'Во дворе дома на Кенесары, 40 третий день не горят фонари, вечером детям страшно идти из школы.' },
      { location: [51.1672, 71.4304] },
      { photo: [20, 24, 40] },
      { photo: [30, 34, 52] },
      { button: 'photos:done' },
      { contact: '+77015550901' },
      { button: 'confirm:send' },
    ],
  },
  {
    languageCode: 'kk',
    steps: [
      { text: '/start' },
      { button: 'lang:kk' },
      { text: 'Абай даңғылы мен Байтұрсынұлы көшесінің қиылысындағы аялдама жанында қоқыс жәшіктері бір аптадан бері шығарылмаған.' },
      { text: 'Алматы, Абай даңғылы, 52' },
      { photo: [90, 110, 60] },
      { button: 'photos:done' },
      { button: 'confirm:send' },
    ],
  },
  {
    languageCode: 'en',
    steps: [
      { text: '/start' },
      { button: 'lang:en' },
      { text: 'A deep pothole on Tauke Khan avenue near the central market; two cars already damaged their wheels.' },
      { location: [42.3155, 69.5869] },
      { button: 'photos:done' },
      { button: 'confirm:send' },
    ],
  },
  {
    languageCode: 'ru',
    steps: [
      { text: '/start' },
      { button: 'lang:ru' },
      { text: 'В подъезде №3 лифт не работает с понедельника, на девятом этаже живут пожилые люди.' },
      { text: 'Астана, ул. Сыганак, 18' },
      { button: 'photos:done' },
      { contact: '+77015550902' },
      { button: 'confirm:send' },
    ],
  },
  {
    // Changes their mind: /cancel half-way, nothing is registered.
    languageCode: 'kk',
    steps: [{ text: '/start' }, { button: 'lang:kk' }, { text: 'Көшеде су ағып жатыр.' }, { text: '/cancel' }],
  },
];

const FIRST_CHAT_ID = 7_000_000_001;
const FIRST_UPDATE_ID = 1_900_000_000;

/** A Bot API in memory: the demo's photos by file id; replies are dropped. */
function memoryBotApi(files: Map<string, Uint8Array>): BotApi {
  return {
    sendMessage: async () => undefined,
    answerCallbackQuery: async () => undefined,
    async getFile(fileId) {
      const bytes = files.get(fileId);
      if (!bytes) throw new Error(`demo: no file ${fileId}`);
      return { filePath: `photos/${fileId}.jpg`, sizeBytes: bytes.byteLength };
    },
    async downloadFile(filePath) {
      const bytes = files.get(filePath.replace(/^photos\//, '').replace(/\.jpg$/, ''));
      if (!bytes) throw new Error(`demo: no file ${filePath}`);
      return bytes;
    },
  };
}

const photoOf = (rgb: [number, number, number]): Promise<Buffer> =>
  sharp({ create: { width: 640, height: 480, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).jpeg({ quality: 80 }).toBuffer();

/** Runs the demo conversations; returns how many cases they registered. */
export async function seedTelegramDemo(platform: Platform): Promise<{ conversations: number; cases: number }> {
  const files = new Map<string, Uint8Array>();
  const deps = telegramDoorDeps(platform, memoryBotApi(files));
  let updateId = FIRST_UPDATE_ID;
  let cases = 0;
  for (const [i, conversation] of conversations.entries()) {
    const chatId = FIRST_CHAT_ID + i;
    const from = { id: chatId, is_bot: false, first_name: 'Demo', language_code: conversation.languageCode };
    const chat = { id: chatId, type: 'private', first_name: 'Demo' };
    let messageId = 0;
    for (const step of conversation.steps) {
      const id = ++updateId;
      const message = (content: Record<string, unknown>) => ({ update_id: id, message: { message_id: ++messageId, from, chat, date: Math.floor(platform.clock.now().getTime() / 1000), ...content } });
      let update: unknown;
      if ('text' in step) update = message({ text: step.text });
      else if ('button' in step) update = { update_id: id, callback_query: { id: `demo-${id}`, from, message: { message_id: messageId, chat, date: 0 }, chat_instance: 'demo', data: step.button } };
      else if ('location' in step) update = message({ location: { latitude: step.location[0], longitude: step.location[1] } });
      else if ('contact' in step) update = message({ contact: { phone_number: step.contact, first_name: 'Demo', user_id: chatId } });
      else {
        const fileId = `demo-${id}`;
        files.set(fileId, await photoOf(step.photo));
        update = message({ photo: [{ file_id: fileId, file_unique_id: `u-${fileId}`, width: 640, height: 480 }] });
      }
      const outcome = await handleUpdate(deps, update);
      if (outcome.status === 'handled' && outcome.caseId) cases++;
    }
  }
  return { conversations: conversations.length, cases };
}
