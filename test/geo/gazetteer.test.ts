import { describe, expect, it } from 'vitest';
import { readBoundaries } from '../../src/geo/geo-files.ts';
import { createGazetteer, wordMatch, withinOneEdit } from '../../src/geo/gazetteer.ts';
import { GAZETTEER_CITIES, readGazetteer } from '../../src/geo/gazetteer-data.ts';
import { createPlaceIndex } from '../../src/geo/place-index.ts';

const files = readGazetteer();
const gazetteer = createGazetteer(files);
const boundaries = readBoundaries();
const index = createPlaceIndex(boundaries.districts, boundaries.cities, boundaries.country);
const districtIds = new Set(boundaries.districts.map((d) => d.id));

describe('the gazetteer data', () => {
  it('has at least 60 places per city, unique ids, known districts and names in kk and ru', () => {
    const ids = new Set<string>();
    for (const file of files) {
      expect(GAZETTEER_CITIES).toContain(file.city);
      expect(file.entries.length, file.city).toBeGreaterThanOrEqual(60);
      for (const e of file.entries) {
        expect(ids.has(e.id), e.id).toBe(false);
        ids.add(e.id);
        expect(e.id.startsWith(`${file.city}.`), e.id).toBe(true);
        expect(e.names.kk.length + e.names.ru.length, e.id).toBeGreaterThanOrEqual(2);
        for (const d of e.district ? [e.district] : e.districts!) {
          expect(districtIds.has(d), `${e.id}: ${d}`).toBe(true);
          expect(d.startsWith(`${file.city}.`), `${e.id}: ${d}`).toBe(true);
        }
      }
      const kinds = new Set(file.entries.map((e) => e.kind));
      for (const kind of ['avenue', 'street', 'microdistrict', 'landmark', 'district']) expect(kinds.has(kind as never), `${file.city} ${kind}`).toBe(true);
    }
  });

  it('puts every representative point in its district (or one of its districts)', () => {
    for (const file of files) {
      for (const e of file.entries) {
        const at = index.placeInCities(e.point.lat, e.point.lon).districtId;
        if (e.district) expect(at, e.id).toBe(e.district);
        else expect(e.districts, e.id).toContain(at);
      }
    }
  });
});

describe('resolving address text', () => {
  it.each([
    // Russian, Kazakh, Latin, Russian keyboard for Kazakh letters, inflected, abbreviated
    ['г. Алматы, мкр. Самал-2, д. 58', 'almaty', 'almaty.medeu'],
    ['Алматы қ., Самал-2 шағын ауданы, 58 үй', 'almaty', 'almaty.medeu'],
    ['Almaty, Samal-2', 'almaty', 'almaty.medeu'],
    ['Алматы, в Самале-2 нет света', 'almaty', 'almaty.medeu'],
    ['мкр Жетысу-3', 'almaty', 'almaty.auezov'],
    ['Жетісу-3 ш/а, 15 үй', 'almaty', 'almaty.auezov'],
    ['Zhetysu 3 mkr', 'almaty', 'almaty.auezov'],
    ['Жетысу3', 'almaty', 'almaty.auezov'],
    ['ЖЕТЫСУ-3', 'almaty', 'almaty.auezov'],
    ['мкрн Орбита-1', 'almaty', 'almaty.bostandyk'],
    ['Айнабулак-3, дом 12', 'almaty', 'almaty.zhetysu'],
    ['Aksay-4', 'almaty', 'almaty.auezov'],
    ['возле Байтерека мусор', 'astana', 'astana.esil'],
    ['Бәйтерек маңында', 'astana', 'astana.esil'],
    ['Baiterek', 'astana', 'astana.esil'],
    ['Байтерек', 'astana', 'astana.esil'],
    ['около Медеу не работает освещение', 'almaty', 'almaty.medeu'],
    ['Коктобе', 'almaty', 'almaty.medeu'],
    ['Kok-Tobe', 'almaty', 'almaty.medeu'],
    ['яма возле Мега Алма-Ата', 'almaty', 'almaty.bostandyk'],
    ['Астана, район Алматы, ул. Жубанова', 'astana', 'astana.almaty'],
    ['Алматы ауданы, Астана', 'astana', 'astana.almaty'],
    ['в Бостандыкском районе', 'almaty', 'almaty.bostandyk'],
    ['Бостандық ауданы', 'almaty', 'almaty.bostandyk'],
    ['Шымкент, Әл-Фараби ауданы', 'shymkent', 'shymkent.al-farabi'],
    ['Шымкент, Абайский район, ул. Толе би', 'shymkent', 'shymkent.abay'],
  ])('%s → %s, %s', (text, city, district) => {
    const found = gazetteer.resolve(text);
    expect(found.city).toBe(city);
    expect(found.districtId).toBe(district);
    expect(found.mentions.length).toBeGreaterThan(0);
  });

  it('survives a typo in a long name', () => {
    expect(gazetteer.resolve('мкр Жетсу-3').districtId).toBe('almaty.auezov');
    expect(gazetteer.resolve('Алматы, Саммал-2').districtId).toBe('almaty.medeu');
    expect(gazetteer.resolve('возле Байтрека').districtId).toBe('astana.esil');
    // A Latin look-alike letter inside a Cyrillic word.
    expect(gazetteer.resolve('Бaйтерек').districtId).toBe('astana.esil');
  });

  it('finds the districts where two streets meet, and none where only one long street is named', () => {
    const one = gazetteer.resolve('Алматы, проспект Абая 150');
    expect(one).toMatchObject({ city: 'almaty', districtId: null });
    expect(one.mentions.map((m) => m.entryId)).toContain('almaty.abay');
  });

  it('leaves the city open when a name is in two cities and nothing else tells', () => {
    expect(gazetteer.resolve('мкр Самал-2')).toMatchObject({ city: null, districtId: null });
    expect(gazetteer.resolve('мкр Самал-2', { city: 'shymkent' }).city).toBe('shymkent');
    expect(gazetteer.resolve('мкр Самал-2', { city: 'almaty' }).districtId).toBe('almaty.medeu');
  });

  it('does not take everyday words for places', () => {
    // Мамыр is May, Көктем spring; a district's name needs "район" / "ауданы".
    expect(gazetteer.resolve('15 мамыр күні келдім').mentions).toEqual([]);
    expect(gazetteer.resolve('Көктемде жол бұзылды').mentions).toEqual([]);
    expect(gazetteer.resolve('мкр Мамыр-4').districtId).toBe('almaty.auezov');
    expect(gazetteer.resolve('Помогите пожалуйста, нет воды').mentions).toEqual([]);
    expect(gazetteer.resolve('').mentions).toEqual([]);
  });

  it('reports each mention as written, with its place in the text (for social listening)', () => {
    const text = 'Алматы, ул. Толе би, мкр Жетысу-3';
    const found = gazetteer.resolve(text);
    const zhetysu = found.mentions.find((m) => m.entryId === 'almaty.zhetysu-3')!;
    expect(zhetysu).toMatchObject({ text: 'Жетысу-3', kind: 'microdistrict', districtIds: ['almaty.auezov'] });
    expect(text.slice(zhetysu.start, zhetysu.end)).toBe('Жетысу-3');
  });

  it('takes a long or hostile text without trouble', () => {
    const long = 'мкр Самал-2 '.repeat(5000) + '\u0000\u202E'.repeat(100);
    expect(() => gazetteer.resolve(long)).not.toThrow();
  });
});

describe('word matching', () => {
  it('allows an ending, a changed last vowel and one typo in long words only', () => {
    expect(wordMatch('абаи', 'абаиа')).toBeGreaterThan(0);
    expect(wordMatch('сариарка', 'сариарке')).toBeGreaterThan(0);
    expect(wordMatch('жетису', 'жетсу')).toBeGreaterThan(0);
    expect(wordMatch('мега', 'мегаполис')).toBe(0);
    expect(wordMatch('2', '3')).toBe(0);
    expect(withinOneEdit('самал', 'смаал')).toBe(true);
    expect(withinOneEdit('самал', 'самалда')).toBe(false);
  });
});
