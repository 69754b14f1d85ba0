import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DATA_FILES, MODEL_FILE } from '../config/paths.ts';
import { duplicateKey, parseCorpus, type CorpusEntry } from '../nlp/corpus.ts';
import { compileLexicon, type Lexicon } from '../nlp/lexicon.ts';
import { decodeBundle, type ModelBundle } from '../nlp/model-file.ts';

const CORPUS = path.join(DATA_FILES, 'corpus');

export type Split = 'train' | 'heldout';

/** Every entry of a split, files in name order; bad lines are reported, never half-read. */
export function loadCorpus(split: Split): CorpusEntry[] {
  const dir = path.join(CORPUS, split);
  const entries: CorpusEntry[] = [];
  const problems: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    const parsed = parseCorpus(`${split}/${file}`, readFileSync(path.join(dir, file), 'utf8'));
    entries.push(...parsed.entries);
    problems.push(...parsed.problems);
  }
  if (problems.length > 0) throw new Error(`the corpus has ${problems.length} bad lines:\n${problems.slice(0, 20).join('\n')}`);
  return entries;
}

/** The training entries minus any text that also appears in the held-out split (it would flatter the score). */
export function trainingCorpus(): { entries: CorpusEntry[]; droppedAsHeldOut: number } {
  const heldout = new Set(loadCorpus('heldout').map((e) => duplicateKey(e.text)));
  const all = loadCorpus('train');
  const entries = all.filter((e) => !heldout.has(duplicateKey(e.text)));
  return { entries, droppedAsHeldOut: all.length - entries.length };
}

export const loadSubcategories = (): Record<string, string[]> =>
  z.object({ subcategories: z.record(z.string(), z.array(z.string())) }).parse(JSON.parse(readFileSync(path.join(CORPUS, 'subcategories.json'), 'utf8'))).subcategories;

/** The cross-language concepts, folded (an empty lexicon when the file is absent). */
export function loadLexicon(): Lexicon {
  const file = path.join(DATA_FILES, 'lexicon', 'concepts.json');
  if (!existsSync(file)) return { entries: [] };
  const parsed = z.object({ concepts: z.record(z.string(), z.array(z.string())) }).passthrough().parse(JSON.parse(readFileSync(file, 'utf8')));
  return compileLexicon(parsed.concepts);
}

/** The category codes of the taxonomy (the contract), in its order. */
export const loadCategoryCodes = (): string[] =>
  z
    .object({ categories: z.array(z.object({ code: z.string() }).passthrough()) })
    .passthrough()
    .parse(JSON.parse(readFileSync(path.join(DATA_FILES, 'taxonomy.json'), 'utf8')))
    .categories.map((c) => c.code);

/** The trained bundle, or null when none has been trained (intake then keeps the submitter's category). */
export function loadModelBundle(file = MODEL_FILE): ModelBundle | null {
  if (!existsSync(file)) return null;
  return decodeBundle(readFileSync(file));
}
