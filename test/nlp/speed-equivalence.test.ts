import { describe, expect, it } from 'vitest';
import { loadModelBundle } from '../../src/app/nlp-data.ts';
import { predictorOf, understand, type Understanding } from '../../src/nlp/classifier.ts';
import { combineHeads, sumAll } from '../../src/nlp/combined-heads.ts';
import { featurise } from '../../src/nlp/features.ts';
import { foldTokens } from '../../src/nlp/fold.ts';
import { conceptToken } from '../../src/nlp/lexicon.ts';
import { modelHash, readSnapshot, snapshotTexts, textKey } from './understanding-snapshot.ts';

/**
 * The faster understand() answers exactly what the slower one did: every held-out and training message and
 * the edge cases against the snapshot recorded before the speed work (test/nlp/fixtures/), field by field,
 * probabilities to 1e-9, the explanation and the urgency rules included.
 */
const bundle = loadModelBundle();
const snapshot = readSnapshot();

/** The differences of one answer from its recorded twin, as readable lines (empty when equal). */
function differences(got: Understanding, want: Understanding): string[] {
  const out: string[] = [];
  for (const key of ['language', 'script', 'category', 'subcategory', 'kind', 'urgency', 'relevant'] as const) {
    if (got[key] !== want[key]) out.push(`${key}: ${String(got[key])} ≠ ${String(want[key])}`);
  }
  if (Math.abs(got.confidence - want.confidence) > 1e-9) out.push(`confidence: ${got.confidence} ≠ ${want.confidence}`);
  if (got.top.length !== want.top.length) out.push(`top: ${JSON.stringify(got.top)} ≠ ${JSON.stringify(want.top)}`);
  else {
    got.top.forEach((s, i) => {
      const w = want.top[i]!;
      if (s.category !== w.category || Math.abs(s.probability - w.probability) > 1e-9) out.push(`top[${i}]: ${JSON.stringify(s)} ≠ ${JSON.stringify(w)}`);
    });
  }
  if (JSON.stringify(got.urgencyRules) !== JSON.stringify(want.urgencyRules)) out.push(`urgencyRules: ${got.urgencyRules.join(',')} ≠ ${want.urgencyRules.join(',')}`);
  return out;
}

describe.skipIf(!bundle)('understand() against the recorded snapshot', () => {
  const { texts, explained } = snapshotTexts();
  const byKey = new Map(texts.map((t) => [textKey(t), t]));

  it('was recorded with the committed model and with texts that still exist', () => {
    // A retrained model or an edited corpus: re-record with `npx tsx test/nlp/fixtures/record-understanding.ts`
    // from the code before the change, never after it.
    expect(snapshot.model, 'models/classifier.bin changed since the snapshot was recorded').toBe(modelHash());
    const missing = snapshot.texts.filter((k) => !byKey.has(k));
    expect(missing.length, 'texts of the snapshot no longer in the corpus').toBe(0);
    expect(snapshot.texts.length).toBe(snapshot.plain.length);
    expect(snapshot.why.length).toBe(explained);
  });

  it('answers every message as recorded', () => {
    const wrong: string[] = [];
    snapshot.texts.forEach((key, i) => {
      const text = byKey.get(key);
      if (text === undefined) return;
      const d = differences(understand(bundle!, text), snapshot.plain[i]!);
      if (d.length > 0) wrong.push(`${JSON.stringify(text.slice(0, 80))}: ${d.join('; ')}`);
    });
    expect(wrong.slice(0, 10), `${wrong.length} of ${snapshot.texts.length} messages differ`).toEqual([]);
  });

  it('gives the recorded reasons when asked to explain, and the same answer otherwise', () => {
    const wrong: string[] = [];
    snapshot.why.forEach((why, i) => {
      const text = byKey.get(snapshot.texts[i]!);
      if (text === undefined) return;
      const got = understand(bundle!, text, { explain: true });
      const d = differences(got, snapshot.plain[i]!);
      if (JSON.stringify(got.why) !== JSON.stringify(why)) d.push(`why: ${got.why.join(',')} ≠ ${why.join(',')}`);
      if (d.length > 0) wrong.push(`${JSON.stringify(text.slice(0, 80))}: ${d.join('; ')}`);
    });
    expect(wrong.slice(0, 10), `${wrong.length} of ${snapshot.why.length} explanations differ`).toEqual([]);
  });

  it('answers the same whatever was classified before (no state leaks between calls)', () => {
    // Reused buffers must not carry one message into the next: the held-out texts in reverse order.
    const wrong: number[] = [];
    for (let i = explained - 1; i >= 0; i--) {
      const text = byKey.get(snapshot.texts[i]!);
      if (text !== undefined && differences(understand(bundle!, text), snapshot.plain[i]!).length > 0) wrong.push(i);
    }
    expect(wrong).toEqual([]);
  });
});

describe.skipIf(!bundle)('the heads\' sums by counted features', () => {
  it('are the sums of featurise() and sumAll(), bit for bit, short texts and long', () => {
    const p = predictorOf(bundle!);
    const m = bundle!.models;
    const combined = combineHeads([m.category, m.subcategory, m.kind, m.urgency, m.relevance]);
    const { texts } = snapshotTexts();
    const long = ['Батареи ледяные, дети спят в куртках. '.repeat(200), 'қ'.repeat(7000), Array.from({ length: 1500 }, (_, i) => `w${i.toString(36)}x`).join(' ')];
    const wrong: string[] = [];
    for (const text of [...texts.slice(0, 3000), ...long]) {
      const tokens = foldTokens(text);
      tokens.push(...p.matcher.match(tokens).map(conceptToken));
      const want = sumAll(combined, featurise(tokens, bundle!.features));
      p.features.accumulate(tokens);
      const got = p.scorer.score(p.features);
      if (want.some((w, j) => !Object.is(w, got[j]))) wrong.push(text.slice(0, 60));
    }
    expect(wrong).toEqual([]);
  });
});
