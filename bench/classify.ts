import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCorpus, trainingCorpus } from '../src/app/nlp-data.ts';
import { MODEL_FILE } from '../src/config/paths.ts';
import { predictorOf, understand } from '../src/nlp/classifier.ts';
import type { CorpusEntry } from '../src/nlp/corpus.ts';
import { headProbabilitiesInto } from '../src/nlp/combined-heads.ts';
import { evaluate, score, type FieldScore } from '../src/nlp/evaluation.ts';
import { foldText, foldTokens } from '../src/nlp/fold.ts';
import { identifyLanguage } from '../src/nlp/language.ts';
import { conceptToken } from '../src/nlp/lexicon.ts';
import { decodeBundle, type ModelBundle } from '../src/nlp/model-file.ts';
import { normaliseText } from '../src/nlp/normalise.ts';
import { seededRandom, shuffled } from '../src/nlp/softmax.ts';
import { corpusHash } from '../src/nlp/training.ts';
import { raiseUrgencyOfTokens } from '../src/nlp/urgency-rules.ts';

/**
 * npm run bench -- classify [--seconds 5] [--no-fasttext] [--stages] [--epoch 100] [--lr 1] [--dim 50]
 *                             [--wordNgrams 2] [--minn 4] [--maxn 6] [--bucket 200000]
 *
 * The classifier (issue 5: ≥ 30,000 classifications/s on one core, model load ≤ 300 ms, model ≤ 20 MB, quality
 * not worse than fastText). Everything runs in this one process, on one thread, in the same run:
 *
 * - ours: models/classifier.bin (npm run train) loaded 5 times with decodeBundle (median), then understand()
 *   over the held-out texts, looped for --seconds after a warm-up, each call timed (p50/p99).
 * - baseline: normaliseText + foldText of the same texts, the least any classifier of ours does per message;
 *   our speed is reported as a ratio of it, which a busy machine moves much less than either number alone.
 * - peer: fastText (the `fasttext` devDependency, its native addon compiled here) trained on the same training
 *   split (trainingCorpus(): train minus any text also held out), relevant messages with their category as our
 *   category head is, lines shuffled with a fixed seed (fastText reads its file in order), one thread; twice: on
 *   the normalised text lower-cased, and on our foldText view. The options it trained with are read back from
 *   the model it saved (lr and thread, which fastText does not save, are checked by their effect), or the bench
 *   stops. Scored on the relevant held-out messages with the macro-F1 of src/nlp/evaluation.ts, and timed like
 *   ours (text preparation included). The binding predicts on the libuv pool, one awaited call at a time: one
 *   core busy at a time, plus a thread hop per call (its cost is printed: the round trip of a text with no words).
 *   The default options were chosen for fastText, not for us: a grid over epoch 25–200, lr 0.5–1, wordNgrams 1–2,
 *   char n-grams none / 2–5 / 3–4 … 5–7 and dim 25–100, scored on a tenth of the training split (never the held-out
 *   one); the usual minn 2, maxn 5, epoch 25 under-fits here (training accuracy below 0.5).
 * - --stages: where our time goes, one stage of understand() at a time over the same texts.
 */
interface Options {
  seconds: number;
  fasttext: boolean;
  stages: boolean;
  peer: PeerOptions;
}

/** fastText supervised options (all numeric, so each is passed as "-name value": a boolean would break the pairs). */
interface PeerOptions {
  epoch: number;
  lr: number;
  dim: number;
  wordNgrams: number;
  minn: number;
  maxn: number;
  bucket: number;
  minCount: number;
  thread: number;
}

function parse(args: string[]): Options {
  const get = (name: string, fallback: number): number => {
    const i = args.indexOf(`--${name}`);
    const value = i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
    if (!Number.isFinite(value)) throw new Error(`--${name} must be a number`);
    return value;
  };
  return {
    seconds: get('seconds', 5),
    fasttext: !args.includes('--no-fasttext'),
    stages: args.includes('--stages'),
    peer: {
      epoch: get('epoch', 100),
      lr: get('lr', 1),
      dim: get('dim', 50),
      wordNgrams: get('wordNgrams', 2),
      minn: get('minn', 4),
      maxn: get('maxn', 6),
      bucket: get('bucket', 200_000),
      minCount: 1,
      // One thread: deterministic, and the same single core as ours.
      thread: 1,
    },
  };
}

// ---------------------------------------------------------------- scoring

// ---------------------------------------------------------------- timing

interface Speed {
  calls: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Process CPU time (all threads) per call, µs. */
  cpu: number;
}

const quantile = (sorted: Float64Array, q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

function summarise(durations: number[], elapsedMs: number, cpu: NodeJS.CpuUsage): Speed {
  const sorted = Float64Array.from(durations).sort();
  return {
    calls: durations.length,
    perSecond: durations.length / (elapsedMs / 1000),
    p50: quantile(sorted, 0.5) * 1000,
    p99: quantile(sorted, 0.99) * 1000,
    cpu: (cpu.user + cpu.system) / durations.length,
  };
}

/**
 * Calls fn over the texts in turn: a warm-up pass (at least every text once), then for `seconds`, each call
 * timed. A synchronous fn is never awaited, so its timing carries no promise overhead.
 */
async function timeCalls(texts: readonly string[], seconds: number, fn: (text: string) => unknown): Promise<Speed> {
  const warmUntil = performance.now() + Math.min(1000, seconds * 200);
  for (let i = 0; i < texts.length || performance.now() < warmUntil; i++) {
    const r = fn(texts[i % texts.length]!);
    if (r instanceof Promise) await r;
  }
  const durations: number[] = [];
  const cpu = process.cpuUsage();
  const start = performance.now();
  const until = start + seconds * 1000;
  let now = start;
  for (let i = 0; now < until; i++) {
    const t0 = now;
    const r = fn(texts[i % texts.length]!);
    if (r instanceof Promise) await r;
    now = performance.now();
    durations.push(now - t0);
  }
  return summarise(durations, now - start, process.cpuUsage(cpu));
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function medianMs(times: number, fn: () => unknown): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

// ---------------------------------------------------------------- fastText

interface FastTextPrediction {
  label: string;
  value: number;
}

/** The part of the binding used here (its own index.d.ts requires every option and types results as any). */
interface FastTextClassifier {
  loadModel(file: string): Promise<unknown>;
  predict(text: string, k: number): Promise<FastTextPrediction[]>;
  train(command: 'supervised', options: Record<string, string | number>): Promise<unknown>;
}

type FastTextConstructor = new (model?: string) => FastTextClassifier;

async function loadFastText(): Promise<{ Classifier: FastTextConstructor } | { error: string }> {
  try {
    const mod = (await import('fasttext')) as unknown as { default: { Classifier: FastTextConstructor } };
    return { Classifier: mod.default.Classifier };
  } catch (e) {
    return { error: e instanceof Error ? e.message.split('\n')[0]! : String(e) };
  }
}

const LABEL = '__label__';

interface Variant {
  name: string;
  /** The text fastText sees: one line, no line breaks (a line is an example). */
  prepare(text: string): string;
}

const VARIANTS: readonly Variant[] = [
  { name: 'lower-cased', prepare: (text) => normaliseText(text).toLowerCase().replace(/\s+/g, ' ') },
  { name: 'foldText', prepare: (text) => foldText(normaliseText(text)) },
];

interface PeerResult {
  variant: string;
  quality: FieldScore;
  speed: Speed;
  loadMs: number;
  bytes: number;
  words: number;
  /** Options read back from the trained model. */
  trained: Record<string, unknown>;
  /** How the options a model does not store were checked (first variant only). */
  unsaved: string | null;
}

/** What Args::save writes into a fastText model (so getModelInfo reads it back); lr and thread are not among them. */
const SAVED: readonly (keyof PeerOptions)[] = ['epoch', 'dim', 'wordNgrams', 'minn', 'maxn', 'bucket', 'minCount'];

/** Throws unless every saved option is what the trained model says it was trained with. */
function checkOptions(passed: PeerOptions, info: unknown): Record<string, unknown> {
  const got = (typeof info === 'object' && info !== null ? info : {}) as Record<string, unknown>;
  const wrong: [string, unknown][] = SAVED.filter((k) => Number(got[k]) !== passed[k]).map((k) => [k, passed[k]]);
  if (got['loss'] !== 'softmax') wrong.push(['loss', 'softmax']);
  if (got['model'] !== 'supervised') wrong.push(['model', 'supervised']);
  if (wrong.length > 0) {
    throw new Error(`fastText did not train with the options passed: ${wrong.map(([k, v]) => `${k} passed ${String(v)}, model has ${String(got[k])}`).join('; ')}`);
  }
  return got;
}

/** Trains into `${output}.bin` with a fresh instance (the binding's train() does not replace a model an instance already holds). */
async function trainPeer(Classifier: FastTextConstructor, input: string, output: string, options: PeerOptions) {
  const classifier = new Classifier();
  const info = checkOptions(options, await classifier.train('supervised', { input, output, loss: 'softmax', verbose: 0, ...options }));
  return { classifier, info, bytes: readFileSync(`${output}.bin`) };
}

/**
 * lr and thread are not stored in a fastText model, so they are checked by their effect: the same options twice
 * give the same bytes (one thread is deterministic; several threads race), and half the lr gives other bytes.
 */
async function checkUnsavedOptions(Classifier: FastTextConstructor, input: string, model: Buffer, options: PeerOptions): Promise<string> {
  const again = await trainPeer(Classifier, input, `${input}.again`, options);
  if (!again.bytes.equals(model)) throw new Error(`fastText trained twice with thread ${options.thread} gave two different models: the thread option did not reach it`);
  const halfLr = await trainPeer(Classifier, input, `${input}.half-lr`, { ...options, lr: options.lr / 2 });
  if (halfLr.bytes.equals(model)) throw new Error(`fastText gave the same model with lr ${options.lr} and ${options.lr / 2}: the lr option did not reach it`);
  return `lr and thread (not stored in a fastText model) checked by effect: retrained with the same options → identical model; with lr ${options.lr / 2} → a different one`;
}

async function benchPeer(
  Classifier: FastTextConstructor,
  variant: Variant,
  o: Options,
  train: readonly CorpusEntry[],
  heldout: readonly CorpusEntry[],
  texts: readonly string[],
  dir: string,
  check: boolean,
): Promise<PeerResult> {
  const lines = shuffled(
    train.filter((e) => e.relevant).map((e) => `${LABEL}${e.category} ${variant.prepare(e.text)}`),
    seededRandom(20261125),
  );
  const base = path.join(dir, variant.name);
  writeFileSync(`${base}.txt`, `${lines.join('\n')}\n`);
  const { classifier: trainer, info: trained, bytes: model } = await trainPeer(Classifier, `${base}.txt`, base, o.peer);
  const unsaved = check ? await checkUnsavedOptions(Classifier, `${base}.txt`, model, o.peer) : null;
  const labelCount = new Set(train.filter((e) => e.relevant).map((e) => e.category)).size;
  if (Number(trained['label_count']) !== labelCount) throw new Error(`fastText model has ${String(trained['label_count'])} labels, the training split ${labelCount}`);

  // Each instance stays referenced until its load is done: the binding's workers hold no reference to it, and an
  // instance collected during a load frees the model under the worker (a segmentation fault, seen here).
  const loaded: FastTextClassifier[] = [];
  const loadMs = await medianMs(5, () => {
    const c = new Classifier();
    loaded.push(c);
    return c.loadModel(`${base}.bin`);
  });
  loaded.length = 0;
  const predict = async (text: string): Promise<string> => {
    // The line break gives the end-of-line token every training line ends with, as fastText's own CLI reads
    // a line; the binding does not add it (without it, accuracy here drops by about 0.02).
    const [top] = await trainer.predict(`${variant.prepare(text)}\n`, 1);
    return top ? top.label.slice(LABEL.length) : 'none';
  };
  const relevant = heldout.filter((e) => e.relevant);
  const pairs: [string, string][] = [];
  for (const e of relevant) pairs.push([e.category, await predict(e.text)]);
  return {
    variant: variant.name,
    quality: score(pairs),
    speed: await timeCalls(texts, o.seconds, predict),
    loadMs,
    bytes: model.length,
    words: Number(trained['word_count']),
    trained,
    unsaved,
  };
}

// ---------------------------------------------------------------- stages of understand()

/** The steps of understand() one at a time (mirrors src/nlp/classifier.ts; µs per message). */
async function stages(bundle: ModelBundle, texts: readonly string[], seconds: number): Promise<[string, Speed][]> {
  const p = predictorOf(bundle);
  const prepared = texts.map((t) => {
    const text = normaliseText(t);
    const lang = identifyLanguage(bundle.models.language, text);
    const folded = foldTokens(text, { latinIsKazakh: lang.dominant === 'kk' && lang.script !== 'cyrl' });
    const tokens = [...folded, ...p.matcher.match(folded).map(conceptToken)];
    return { text, folded, tokens };
  });
  const byText = new Map(prepared.map((x, i) => [texts[i]!, x]));
  const at = (t: string) => byText.get(t)!;
  const s = Math.max(0.5, seconds / 5);
  return [
    ['normaliseText', await timeCalls(texts, s, (t) => normaliseText(t))],
    ['identifyLanguage', await timeCalls(texts, s, (t) => identifyLanguage(bundle.models.language, at(t).text))],
    ['foldTokens', await timeCalls(texts, s, (t) => foldTokens(at(t).text))],
    ['concepts (lexicon)', await timeCalls(texts, s, (t) => p.matcher.match(at(t).folded))],
    ['features (accumulate)', await timeCalls(texts, s, (t) => p.features.accumulate(at(t).tokens))],
    [
      `features + heads (${p.scorer.width} labels, one table)`,
      await timeCalls(texts, s, (t) => {
        p.features.accumulate(at(t).tokens);
        const sums = p.scorer.score(p.features);
        return p.heads.map((h, i) => headProbabilitiesInto(h, sums, p.probabilities[i]!));
      }),
    ],
    ['urgency rules (by token)', await timeCalls(texts, s, (t) => raiseUrgencyOfTokens(at(t).tokens, 'normal'))],
  ];
}

// ---------------------------------------------------------------- report

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const f3 = (n: number) => n.toFixed(3);
const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);
const mark = (ok: boolean) => (ok ? 'met' : 'NOT MET');

export async function benchClassify(args: string[]): Promise<void> {
  const o = parse(args);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const heldout = loadCorpus('heldout');
  const texts = heldout.map((e) => e.text);
  const { entries: train } = trainingCorpus();
  if (!existsSync(MODEL_FILE)) throw new Error(`no trained model at ${MODEL_FILE}: run npm run train first`);
  const model = decodeBundle(readFileSync(MODEL_FILE));
  if (model.trainedOn.corpusHash !== corpusHash(train)) {
    // The side by side is only fair on one training split.
    throw new Error(
      `models/classifier.bin was trained on another corpus (${model.trainedOn.examples} messages, ${model.trainedOn.corpusHash}; ` +
        `data/corpus/train now gives ${train.length}, ${corpusHash(train)}): run npm run train first`,
    );
  }

  // Ours: load, quality, speed.
  const bytes = readFileSync(MODEL_FILE);
  const loadMs = await medianMs(5, () => decodeBundle(readFileSync(MODEL_FILE)));
  const bundle = model;
  const relevant = heldout.filter((e) => e.relevant);
  const ours = score(relevant.map((e) => [e.category, understand(bundle, e.text).category]));
  const official = evaluate(bundle, heldout).category;
  if (official.macroF1 !== ours.macroF1 || official.accuracy !== ours.accuracy) {
    throw new Error(`the bench's score differs from evaluate(): ${JSON.stringify(ours)} vs ${JSON.stringify(official)}`);
  }
  log(`ours: timing understand() for ${o.seconds} s…`);
  const baseline = await timeCalls(texts, o.seconds, (t) => foldText(normaliseText(t)));
  const speed = await timeCalls(texts, o.seconds, (t) => understand(bundle, t));

  // The peer.
  const peers: PeerResult[] = [];
  let peerProblem: string | null = o.fasttext ? null : 'skipped (--no-fasttext)';
  let hop: Speed | null = null;
  if (o.fasttext) {
    const ft = await loadFastText();
    if ('error' in ft) peerProblem = `fasttext could not be loaded (${ft.error}); install it: npm install --save-dev fasttext@1.0.0 --build-from-source`;
    else {
      const dir = mkdtempSync(path.join(tmpdir(), 'tyndau-bench-fasttext-'));
      try {
        for (const variant of VARIANTS) {
          log(`fastText (${variant.name}): training and timing for ${o.seconds} s…`);
          peers.push(await benchPeer(ft.Classifier, variant, o, train, heldout, texts, dir, peers.length === 0));
        }
        const c = new ft.Classifier();
        await c.loadModel(path.join(dir, `${VARIANTS[0]!.name}.bin`));
        hop = await timeCalls([''], Math.min(1, o.seconds), (t) => c.predict(t, 1));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const stageRows = o.stages ? await stages(bundle, texts, o.seconds) : [];

  const avgChars = Math.round(texts.reduce((a, t) => a + t.length, 0) / texts.length);
  const row = (name: string, q: FieldScore | null, s: Speed, size: string, load: string) =>
    `| ${name} | ${q ? f3(q.macroF1) : '–'} | ${q ? f3(q.accuracy) : '–'} | ${int(s.perSecond)} | ${s.p50.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.cpu.toFixed(1)} | ${size} | ${load} |`;
  const bestPeer = peers.reduce<PeerResult | null>((b, p) => (!b || p.quality.macroF1 > b.quality.macroF1 ? p : b), null);
  const lines = [
    '',
    `classify: ${heldout.length} held-out texts (${relevant.length} relevant, scored on category; avg ${avgChars} chars), looped ${o.seconds} s each on one thread; trained on ${train.filter((e) => e.relevant).length} relevant training messages`,
    '',
    '| classifier | macro-F1 | accuracy | classifications/s | p50 µs | p99 µs | CPU µs/msg | model MB | load ms |',
    '|---|---|---|---|---|---|---|---|---|',
    row('ours: understand() (all heads)', ours, speed, mb(bytes.length), loadMs.toFixed(1)),
    ...peers.map((p) => row(`fastText, ${p.variant}`, p.quality, p.speed, mb(p.bytes), p.loadMs.toFixed(1))),
    row('baseline: normaliseText + foldText', null, baseline, '–', '–'),
    '',
    `ours / baseline (normalise + fold): ${(speed.perSecond / baseline.perSecond).toFixed(3)}`,
    ...peers.map((p) => `ours / fastText (${p.variant}): speed ${(speed.perSecond / p.speed.perSecond).toFixed(2)}, macro-F1 ${(ours.macroF1 - p.quality.macroF1 >= 0 ? '+' : '') + f3(ours.macroF1 - p.quality.macroF1)}`),
    ...(hop ? [`fastText binding round trip (a text with no words, no model work): ${int(hop.perSecond)}/s, p50 ${hop.p50.toFixed(1)} µs — part of every fastText call above`] : []),
    ...(peerProblem ? [`fastText peer: ${peerProblem}`] : []),
    ...peers.map(
      (p) =>
        `fastText ${p.variant} trained with (read back from its model): ${[...SAVED, 'loss'].map((k) => `${k} ${String(p.trained[k])}`).join(', ')}; ${int(p.words)} words; passed lr ${o.peer.lr}, thread ${o.peer.thread}`,
    ),
    ...peers.flatMap((p) => (p.unsaved ? [p.unsaved] : [])),
    '',
    'issue 5 targets:',
    `- ≥ 30,000 classifications/s on one core: ${int(speed.perSecond)}/s — ${mark(speed.perSecond >= 30_000)}`,
    `- model load ≤ 300 ms: ${loadMs.toFixed(1)} ms (median of 5, read + decodeBundle) — ${mark(loadMs <= 300)}`,
    `- model ≤ 20 MB: ${mb(bytes.length)} MB — ${mark(bytes.length <= 20 * 1_048_576)}`,
    bestPeer
      ? `- macro-F1 not worse than fastText: ours ${f3(ours.macroF1)}, best fastText ${f3(bestPeer.quality.macroF1)} (${bestPeer.variant}) — ${mark(ours.macroF1 >= bestPeer.quality.macroF1)}`
      : '- macro-F1 not worse than fastText: no peer measured',
    ...(stageRows.length
      ? ['', 'where our time goes (each step of understand() alone, over the same texts):', '', '| step | µs/msg p50 | mean µs/msg |', '|---|---|---|', ...stageRows.map(([name, s]) => `| ${name} | ${s.p50.toFixed(1)} | ${(1e6 / s.perSecond).toFixed(1)} |`)]
      : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
