import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { loadCategoryCodes, loadCorpus, loadLexicon, loadModelBundle, loadSubcategories, trainingCorpus } from '../../app/nlp-data.ts';
import { EVAL_REPORT, MODEL_FILE } from '../../config/paths.ts';
import { understand } from '../../nlp/classifier.ts';
import { evaluate, evaluationReport } from '../../nlp/evaluation.ts';
import { encodeBundle, type ModelBundle } from '../../nlp/model-file.ts';
import { trainBundle } from '../../nlp/training.ts';

/** tyndau train: rebuilds models/classifier.bin from data/corpus/train, deterministically. */
export async function trainModels(): Promise<void> {
  const started = performance.now();
  const { entries, droppedAsHeldOut } = trainingCorpus();
  const bundle = trainBundle({ entries, subcategories: loadSubcategories(), categories: loadCategoryCodes(), lexicon: loadLexicon() });
  const bytes = encodeBundle(bundle);
  mkdirSync(path.dirname(MODEL_FILE), { recursive: true });
  writeFileSync(MODEL_FILE, bytes);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `trained on ${entries.length} messages (${droppedAsHeldOut} dropped: also in the held-out split) in ${seconds} s; ` +
      `${path.relative(process.cwd(), MODEL_FILE)}: ${(bytes.length / 1_048_576).toFixed(1)} MB, corpus ${bundle.trainedOn.corpusHash}\n`,
  );
}

function requireModel(): ModelBundle {
  const bundle = loadModelBundle();
  if (!bundle) throw new Error(`no trained model at ${MODEL_FILE}: run npm run train`);
  return bundle;
}

/** tyndau eval: scores the model on data/corpus/heldout and writes reports/eval.md. */
export async function evaluateModels(): Promise<void> {
  const bundle = requireModel();
  const ev = evaluate(bundle, loadCorpus('heldout'));
  const report = evaluationReport(ev, { model: path.basename(MODEL_FILE), corpusHash: bundle.trainedOn.corpusHash, date: new Date().toISOString().slice(0, 10) });
  mkdirSync(path.dirname(EVAL_REPORT), { recursive: true });
  writeFileSync(EVAL_REPORT, report);
  process.stdout.write(report);
}

/**
 * tyndau classify: JSON lines {"id", "text"} on stdin → one JSON line per input on stdout. A bad line
 * gets an error line with its id (or line number), never a crash.
 */
export async function classifyLines(): Promise<void> {
  const bundle = requireModel();
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let input: unknown;
    try {
      input = JSON.parse(line);
    } catch {
      process.stdout.write(`${JSON.stringify({ line: n, error: { code: 'ERR_MALFORMED_JSON', message: 'The line is not valid JSON' } })}\n`);
      continue;
    }
    const record = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
    const id = record['id'] ?? null;
    if (typeof record['text'] !== 'string') {
      process.stdout.write(`${JSON.stringify({ id, line: n, error: { code: 'ERR_VALIDATION', message: 'text must be a string' } })}\n`);
      continue;
    }
    const u = understand(bundle, record['text'], { explain: true });
    process.stdout.write(`${JSON.stringify({ id, ...u })}\n`);
  }
}
