import { describe, expect, it } from 'vitest';
import type { GeoPoint } from '../../src/core/model.ts';
import { NearDuplicateIndex, signature, type IndexedCase } from '../../src/nlp/near-duplicates.ts';

/** "Similar open cases nearby": MinHash of the folded text, place cells, a time window. */

const DAY = 86_400_000;
const NOW = new Date('2026-01-15T10:00:00Z');
const ABAI_12: GeoPoint = { lat: 51.1694, lon: 71.4491 };
/** A point about `metres` east of `p`. */
const east = (p: GeoPoint, metres: number): GeoPoint => ({ lat: p.lat, lon: p.lon + metres / (111_320 * Math.cos((p.lat * Math.PI) / 180)) });
const north = (p: GeoPoint, metres: number): GeoPoint => ({ lat: p.lat + metres / 111_320, lon: p.lon });

const NO_LIGHT = 'Во дворе дома 12 по улице Абая третий день нет света, дети сидят в темноте';
const NO_LIGHT_REWORDED = 'Третий день нет света во дворе дома 12 по улице Абая, дети в темноте';
const NO_LIGHT_KK = 'Абай көшесі 12 үйдің ауласында үш күннен бері жарық жоқ';
const NO_LIGHT_KK_LATN = 'Abai köşesı 12 üidıñ aulasynda üş künnen berı jaryq joq';
const BENEFIT = 'Прошу пересчитать пособие по уходу за ребёнком, начислили меньше положенного';

function kase(caseId: string, text: string, over: Partial<IndexedCase> = {}): IndexedCase {
  return { caseId, text, category: 'utilities.electricity', location: ABAI_12, districtId: 'astana.almaty', createdAt: new Date(NOW.getTime() - DAY), ...over };
}

const ids = (list: readonly { caseId: string }[]): string[] => list.map((c) => c.caseId);

describe('text similarity', () => {
  it('scores an identical text at the same point highest, with similarity 1', () => {
    const index = new NearDuplicateIndex();
    index.add(kase('same', NO_LIGHT));
    index.add(kase('other', BENEFIT, { category: 'social.benefits' }));
    const found = index.similar({ text: NO_LIGHT, location: ABAI_12, at: NOW, category: 'utilities.electricity' });
    expect(found[0]).toMatchObject({ caseId: 'same', textSimilarity: 1, sameCategory: true, distanceMeters: 0 });
    expect(found[0]!.score).toBeGreaterThanOrEqual(1);
  });

  it('scores a lightly reworded text high', () => {
    const index = new NearDuplicateIndex();
    index.add(kase('reworded', NO_LIGHT_REWORDED));
    const found = index.similar({ text: NO_LIGHT, location: ABAI_12, at: NOW });
    expect(ids(found)).toEqual(['reworded']);
    expect(found[0]!.textSimilarity).toBeGreaterThanOrEqual(0.6);
  });

  it('treats the same Kazakh text in Cyrillic and in Latin as the same', () => {
    expect(signature(NO_LIGHT_KK_LATN)).toEqual(signature(NO_LIGHT_KK));
    const index = new NearDuplicateIndex();
    index.add(kase('cyrillic', NO_LIGHT_KK));
    expect(index.similar({ text: NO_LIGHT_KK_LATN, location: ABAI_12, at: NOW })[0]).toMatchObject({ caseId: 'cyrillic', textSimilarity: 1 });
  });

  it('scores a different topic low and leaves it out by default', () => {
    const index = new NearDuplicateIndex();
    index.add(kase('benefit', BENEFIT));
    const all = index.similar({ text: NO_LIGHT, location: ABAI_12, at: NOW, minScore: 0 });
    expect(ids(all)).toEqual(['benefit']);
    expect(all[0]!.textSimilarity).toBeLessThan(0.2);
    expect(index.similar({ text: NO_LIGHT, location: ABAI_12, at: NOW })).toEqual([]);
  });

  it('orders the identical text before the reworded one before the other topic', () => {
    const index = new NearDuplicateIndex();
    index.add(kase('other', BENEFIT));
    index.add(kase('reworded', NO_LIGHT_REWORDED));
    index.add(kase('same', NO_LIGHT));
    expect(ids(index.similar({ text: NO_LIGHT, location: ABAI_12, at: NOW, minScore: 0 }))).toEqual(['same', 'reworded', 'other']);
  });
});

describe('place and time', () => {
  it('does not return a case 5 km away, but returns one 300 m away', () => {
    const index = new NearDuplicateIndex();
    index.add(kase('far-east', NO_LIGHT, { location: east(ABAI_12, 5_000), districtId: null }));
    index.add(kase('far-north', NO_LIGHT, { location: north(ABAI_12, 5_000), districtId: null }));
    index.add(kase('near', NO_LIGHT, { location: east(ABAI_12, 300), districtId: null }));
    const found = index.similar({ text: NO_LIGHT, location: ABAI_12, at: NOW });
    expect(ids(found)).toEqual(['near']);
    expect(found[0]!.distanceMeters).toBeGreaterThan(250);
    expect(found[0]!.distanceMeters).toBeLessThan(350);
  });

  it('does not return a case 1.5 km away with the default 1 km radius, even in a neighbouring cell', () => {
    const index = new NearDuplicateIndex();
    index.add(kase('outside', NO_LIGHT, { location: north(ABAI_12, 1_500), districtId: null }));
    expect(index.similar({ text: NO_LIGHT, location: ABAI_12, at: NOW })).toEqual([]);
    expect(ids(index.similar({ text: NO_LIGHT, location: ABAI_12, at: NOW, radiusMeters: 2_000 }))).toEqual(['outside']);
  });

  it('does not return a case 40 days old, but returns one 20 days old', () => {
    const index = new NearDuplicateIndex();
    index.add(kase('old', NO_LIGHT, { createdAt: new Date(NOW.getTime() - 40 * DAY) }));
    index.add(kase('recent', NO_LIGHT, { createdAt: new Date(NOW.getTime() - 20 * DAY) }));
    expect(ids(index.similar({ text: NO_LIGHT, location: ABAI_12, at: NOW }))).toEqual(['recent']);
  });

  it('still finds a recent case that was indexed before an old one (e.g. an import of older cases)', () => {
    const index = new NearDuplicateIndex();
    index.add(kase('recent', NO_LIGHT, { createdAt: new Date(NOW.getTime() - 2 * DAY) }));
    index.add(kase('imported-old', NO_LIGHT, { caseId: 'imported-old', createdAt: new Date(NOW.getTime() - 40 * DAY) }));
    expect(ids(index.similar({ text: NO_LIGHT, location: ABAI_12, at: NOW }))).toEqual(['recent']);
  });

  it('does not return a closed case', () => {
    const index = new NearDuplicateIndex();
    index.add(kase('closed', NO_LIGHT));
    index.add(kase('open', NO_LIGHT_REWORDED));
    index.close('closed');
    index.close('never-indexed');
    expect(ids(index.similar({ text: NO_LIGHT, location: ABAI_12, at: NOW }))).toEqual(['open']);
    expect(index.size).toBe(2);
  });

  it('finds district-only cases by district, and not from another district', () => {
    const index = new NearDuplicateIndex();
    index.add(kase('district', NO_LIGHT, { location: null, districtId: 'astana.almaty' }));
    index.add(kase('elsewhere', NO_LIGHT, { location: null, districtId: 'astana.yesil' }));
    expect(ids(index.similar({ text: NO_LIGHT, districtId: 'astana.almaty', at: NOW }))).toEqual(['district']);
    const withPoint = index.similar({ text: NO_LIGHT, location: ABAI_12, districtId: 'astana.almaty', at: NOW });
    expect(ids(withPoint)).toEqual(['district']);
    expect(withPoint[0]!.distanceMeters).toBeNull();
  });

  it('returns nothing for a query with neither point nor district', () => {
    const index = new NearDuplicateIndex();
    index.add(kase('a', NO_LIGHT));
    expect(index.similar({ text: NO_LIGHT, at: NOW })).toEqual([]);
  });

  it('indexes a case id once', () => {
    const index = new NearDuplicateIndex();
    index.add(kase('a', NO_LIGHT));
    index.add(kase('a', BENEFIT));
    expect(index.size).toBe(1);
    expect(ids(index.similar({ text: NO_LIGHT, location: ABAI_12, at: NOW }))).toEqual(['a']);
  });

  it('does not return the same case twice when it is found both by cell and by district', () => {
    const index = new NearDuplicateIndex();
    index.add(kase('both', NO_LIGHT));
    expect(ids(index.similar({ text: NO_LIGHT, location: ABAI_12, districtId: 'astana.almaty', at: NOW }))).toEqual(['both']);
  });
});

describe('at scale', () => {
  const WORDS = [
    'свет', 'вода', 'газ', 'мусор', 'двор', 'дорога', 'яма', 'фонарь', 'подъезд', 'крыша', 'лифт', 'шум', 'собаки', 'парковка', 'снег',
    'лед', 'автобус', 'остановка', 'школа', 'сад', 'больница', 'врач', 'очередь', 'справка', 'пенсия', 'тротуар', 'светофор', 'канализация',
    'жарық', 'су', 'жол', 'қоқыс', 'аула', 'мектеп', 'емхана', 'зейнетақы', 'бағдаршам', 'аялдама',
  ];

  it('returns the right cases among 200,000 indexed ones', () => {
    let seed = 12345;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const index = new NearDuplicateIndex();
    const total = 200_000;
    // Spread over Almaty (~30 × 30 km), 200 districts and 60 days, oldest first; the targets go in at 90%.
    const span = 60 * DAY;
    let districtTarget = '';
    for (let n = 0; n < total; n++) {
      const createdAt = new Date(NOW.getTime() - span + (n / total) * span);
      if (n === total * 0.9) {
        index.add(kase('target-point', NO_LIGHT, { location: east(ABAI_12, 200), districtId: null, createdAt }));
        index.add(kase('target-district', NO_LIGHT_KK, { location: null, districtId: 'district-7', createdAt }));
        index.add(kase('target-closed', NO_LIGHT, { createdAt }));
        index.close('target-closed');
        districtTarget = 'target-district';
        continue;
      }
      const text = `${WORDS[Math.floor(next() * WORDS.length)]} ${WORDS[Math.floor(next() * WORDS.length)]}`;
      const location = next() < 0.8 ? { lat: 51.05 + next() * 0.27, lon: 71.3 + next() * 0.42 } : null;
      index.add({ caseId: `c${n}`, text, category: 'x', location, districtId: `district-${n % 200}`, createdAt });
    }
    expect(index.size).toBe(total + 2);

    // Short filler texts may share a few shingles by chance; the target must come first, the closed never.
    const byPoint = index.similar({ text: NO_LIGHT_REWORDED, location: ABAI_12, at: NOW });
    expect(byPoint[0]?.caseId).toBe('target-point');
    expect(byPoint[0]!.textSimilarity).toBeGreaterThanOrEqual(0.6);
    expect(ids(byPoint)).not.toContain('target-closed');
    const byDistrict = index.similar({ text: NO_LIGHT_KK_LATN, districtId: 'district-7', at: NOW });
    expect(byDistrict[0]).toMatchObject({ caseId: districtTarget, textSimilarity: 1 });
    // Outside the window, nothing: the same query 40 days on.
    expect(index.similar({ text: NO_LIGHT, location: ABAI_12, at: new Date(NOW.getTime() + 40 * DAY) })).toEqual([]);
  }, 30_000);
});
