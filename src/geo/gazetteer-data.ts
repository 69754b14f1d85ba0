import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DATA_FILES } from '../config/paths.ts';

/** The kinds of named places; each kind has its own words ("көшесі", "мкр") that make a mention certain. */
export const placeKinds = ['avenue', 'street', 'microdistrict', 'district', 'landmark', 'station', 'market', 'mall', 'park', 'square'] as const;
export type PlaceKind = (typeof placeKinds)[number];

const names = z.array(z.string().min(2).max(80)).max(12);

/** One named place of data/gazetteer/<city>.json. */
export const gazetteerEntrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9.-]+$/),
    kind: z.enum(placeKinds),
    names: z.object({ kk: names, ru: names, latn: names.optional() }).strict(),
    /** The district, only when the whole place lies in one. */
    district: z.string().optional(),
    /** The districts a long street or a big area crosses (it then decides a district only with another name). */
    districts: z.array(z.string()).min(2).optional(),
    point: z.object({ lat: z.number().min(40).max(56), lon: z.number().min(46).max(88) }).strict(),
    /** A name that is also an everyday word (Мамыр = May, Көктем = spring): found only beside its kind's word or with its number. */
    qualified: z.boolean().optional(),
    note: z.string().optional(),
  })
  .strict()
  .refine((e) => (e.district === undefined) !== (e.districts === undefined), { message: 'give either district or districts' });

export const gazetteerFileSchema = z
  .object({
    city: z.string().regex(/^[a-z]+$/),
    /** How the city itself is written (to tell which city a message is about). */
    cityNames: z.array(z.string().min(2)).min(1),
    sources: z.string(),
    entries: z.array(gazetteerEntrySchema),
  })
  .strict();

export type GazetteerEntry = z.infer<typeof gazetteerEntrySchema>;
export type GazetteerFile = z.infer<typeof gazetteerFileSchema>;

export const GAZETTEER_CITIES = ['astana', 'almaty', 'shymkent'] as const;

export function readGazetteer(dir = DATA_FILES): GazetteerFile[] {
  return GAZETTEER_CITIES.map((city) => {
    const file = path.join(dir, 'gazetteer', `${city}.json`);
    const parsed = gazetteerFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data;
  });
}
