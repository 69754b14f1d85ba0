/**
 * What understand() answered for a fixed set of texts, recorded before the classifier was made faster
 * (test/nlp/speed-equivalence.test.ts compares against it). Re-record only after a deliberate change of the
 * model or of what it predicts: `npx tsx test/nlp/fixtures/record-understanding.ts`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { loadCorpus } from '../../src/app/nlp-data.ts';
import { MODEL_FILE } from '../../src/config/paths.ts';
import type { Understanding } from '../../src/nlp/classifier.ts';

export const SNAPSHOT_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'understanding-snapshot.json.gz');

/** Inputs the corpus lacks: empty, junk, emoji, URLs, mixed scripts, drafts of Latin Kazakh, a long text. */
export const EDGE_TEXTS: readonly string[] = [
  '',
  '   ',
  '\u0000\u0001',
  '🙂'.repeat(50),
  '🔥🔥🔥 горит!!!',
  '🚨 газ 🆘',
  'http://a.kz '.repeat(20),
  'https://example.com/path?q=1 посмотрите www.test.kz',
  'пишите на a.b@mail.kz или +7 701 123 45 67',
  '1234567890'.repeat(100),
  'мекtep',
  'Cвет нет уже 3 дня',
  '\uD800',
  'Bizde su joq, üş kün boldy',
  "Bizde s'u joq, u'sh kun boldy",
  'Bízde sý joq, úsh kún boldy',
  'ӘӘӘӘ ҚҚҚ İstanbul IIII ıııı',
  'Помогите!!!!! ребёнок один дома, дверь заперта',
  'Nooooo heating heeeere',
  'The ref is 12:30, 1.5, 2,000 and 3/4',
  "don't it's we're I'll they've I'd I'm",
  'Батареи ледяные, дети спят в куртках. '.repeat(300),
  'a',
  'я',
  'ю',
  'қ',
  '<url> <num> <c:heating_system>',
  'су-жоқ, ала-құла, кто-то',
];

export interface SnapshotFile {
  /** sha256 of models/classifier.bin the snapshot was recorded with. */
  model: string;
  /** textKey() of each text, in order (the texts themselves are the corpus's and EDGE_TEXTS). */
  texts: string[];
  /** understand(bundle, text) without explain. */
  plain: Understanding[];
  /** The `why` of understand(bundle, text, { explain: true }), for the first `explained` texts. */
  why: string[][];
}

/** A short, stable key of a text (the fixture keeps keys, not the corpus a second time). */
export const textKey = (text: string): string => createHash('sha256').update(text).digest('base64url').slice(0, 12);

export const modelHash = (): string => createHash('sha256').update(readFileSync(MODEL_FILE)).digest('hex');

/** Every held-out text, then the edge cases, then every training text. */
export function snapshotTexts(): { texts: string[]; explained: number } {
  const heldout = loadCorpus('heldout').map((e) => e.text);
  const train = loadCorpus('train').map((e) => e.text);
  return { texts: [...heldout, ...EDGE_TEXTS, ...train], explained: heldout.length + EDGE_TEXTS.length };
}

export const readSnapshot = (): SnapshotFile => JSON.parse(gunzipSync(readFileSync(SNAPSHOT_FILE)).toString('utf8')) as SnapshotFile;
