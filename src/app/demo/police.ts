import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { performAction, type ActionParams } from '../../core/case-work.ts';
import type { GeoPoint, Urgency } from '../../core/model.ts';
import { submitPoliceReport, type PoliceReport } from '../../core/police.ts';
import type { Principal, StaffPrincipal } from '../../core/principal.ts';
import { runDeadlineTick } from '../../jobs/deadline-worker.ts';
import type { DistrictEntry } from '../../storage/reference-store.ts';
import type { ManualClock } from '../manual-clock.ts';
import type { Platform } from '../platform.ts';
import { Prng } from './prng.ts';

const KZ_OFFSET_MS = 5 * 3_600_000;
const MINUTE = 60_000;

export interface PhotoOptions {
  width: number;
  height: number;
  /** JPEG quality; noise at 98 with full chroma is about 2.5 bytes a pixel (1700×1260 ≈ 5 MB). */
  quality?: number;
  /** Written as EXIF DateTimeOriginal in Kazakhstan time with its offset (+05:00). */
  takenAt?: Date;
  /** Written as the EXIF GPS point. */
  at?: GeoPoint;
  /** Deterministic noise (the demo); crypto noise without it. */
  seed?: number;
}

/** 51.5 → "51/1 30/1 0/100": EXIF writes degrees, minutes and seconds as rationals. */
function dms(value: number): string {
  const abs = Math.abs(value);
  const deg = Math.floor(abs);
  const minutes = Math.floor((abs - deg) * 60);
  const centiseconds = Math.round(((abs - deg) * 60 - minutes) * 60 * 100);
  return `${deg}/1 ${minutes}/1 ${centiseconds}/100`;
}

const exifTime = (at: Date): string => new Date(at.getTime() + KZ_OFFSET_MS).toISOString().slice(0, 19).replace(/-/g, ':').replace('T', ' ');

/** A real JPEG of random noise (it does not compress, so its size is what the pixels say), with EXIF time and GPS. */
export async function noisePhoto(o: PhotoOptions): Promise<Buffer> {
  const size = o.width * o.height * 3;
  let pixels: Buffer;
  if (o.seed === undefined) pixels = randomBytes(size);
  else {
    const prng = new Prng(o.seed);
    pixels = Buffer.allocUnsafe(size);
    for (let i = 0; i < size; i += 4) pixels.writeUInt32LE(Math.floor(prng.next() * 0x1_0000_0000), Math.min(i, size - 4));
  }
  const exif: Record<string, Record<string, string>> = { IFD0: { Make: 'Tyndau', Model: 'noise' } };
  if (o.takenAt) exif['IFD2'] = { DateTimeOriginal: exifTime(o.takenAt), OffsetTimeOriginal: '+05:00' };
  if (o.at) {
    exif['IFD3'] = {
      GPSLatitudeRef: o.at.lat >= 0 ? 'N' : 'S',
      GPSLatitude: dms(o.at.lat),
      GPSLongitudeRef: o.at.lon >= 0 ? 'E' : 'W',
      GPSLongitude: dms(o.at.lon),
    };
  }
  return sharp(pixels, { raw: { width: o.width, height: o.height, channels: 3 } })
    .jpeg({ quality: o.quality ?? 90, chromaSubsampling: '4:4:4' })
    .withExif(exif)
    .toBuffer();
}

interface DemoReport {
  text: string;
  category: string;
  urgency: Urgency;
  /** Minutes before "now" the report came in. */
  minutesAgo: number;
  /** How far the case has come. */
  stage: 'received' | 'dispatched' | 'on_scene' | 'resolved' | 'closed';
  photo?: boolean;
  anonymous?: boolean;
}

const CITIES = ['astana', 'almaty', 'shymkent'] as const;

/** Thirty reports for the live board, spread over the last six hours: each stage, urgency and city is shown. */
const REPORTS: readonly DemoReport[] = [
  { text: 'Во дворе драка, несколько человек избивают парня, нужна помощь срочно', category: 'safety.violence', urgency: 'emergency', minutesAgo: 4, stage: 'received', photo: true },
  { text: 'Аулада біреу пышақпен жүр, адамдарға қорқытып жатыр', category: 'safety.violence', urgency: 'emergency', minutesAgo: 7, stage: 'received', anonymous: true },
  { text: 'Сосед кричит, слышны удары, женщина зовёт на помощь', category: 'safety.domestic', urgency: 'emergency', minutesAgo: 25, stage: 'received' },
  { text: 'Из машины у подъезда только что вытащили магнитолу, вор убежал в сторону парка', category: 'safety.theft', urgency: 'urgent', minutesAgo: 12, stage: 'received', photo: true },
  { text: 'Подозрительный мужчина дёргает ручки машин на парковке ТЦ', category: 'safety.theft', urgency: 'urgent', minutesAgo: 48, stage: 'received' },
  { text: 'Ночью снова громкая музыка и пьяная компания во дворе', category: 'safety.public_order', urgency: 'normal', minutesAgo: 95, stage: 'received' },
  { text: 'Подъезд исписан граффити, разбито стекло на первом этаже', category: 'safety.public_order', urgency: 'normal', minutesAgo: 150, stage: 'received', photo: true },
  { text: 'Машина без номеров стоит третий день, внутри кто-то ночует', category: 'safety.public_order', urgency: 'normal', minutesAgo: 200, stage: 'received' },
  { text: 'ДТП на перекрёстке, водитель скрылся, есть пострадавший', category: 'safety.traffic_violation', urgency: 'emergency', minutesAgo: 18, stage: 'dispatched', photo: true },
  { text: 'Квартиру обокрали, дверь взломана, пропали ноутбук и украшения', category: 'safety.theft', urgency: 'urgent', minutesAgo: 40, stage: 'dispatched', photo: true },
  { text: 'Кто-то поджёг мусорные баки, огонь перекинулся на машину', category: 'safety.public_order', urgency: 'emergency', minutesAgo: 33, stage: 'dispatched', photo: true },
  { text: 'Подростки распивают спиртное на детской площадке и бьют качели', category: 'safety.public_order', urgency: 'normal', minutesAgo: 70, stage: 'dispatched' },
  { text: 'Дүкенде сатушыға ақша бермей тауар алып кетті', category: 'safety.theft', urgency: 'urgent', minutesAgo: 55, stage: 'dispatched' },
  { text: 'Гоняет пьяный водитель по дворам, чуть не сбил детей', category: 'safety.traffic_violation', urgency: 'emergency', minutesAgo: 22, stage: 'dispatched', anonymous: true },
  { text: 'В подвале дома собираются наркоманы, шприцы на лестнице', category: 'safety.drugs', urgency: 'urgent', minutesAgo: 120, stage: 'dispatched', anonymous: true },
  { text: 'Украли велосипед от подъезда, есть запись с камеры', category: 'safety.theft', urgency: 'normal', minutesAgo: 160, stage: 'dispatched', photo: true },
  { text: 'Мужчина угрожает продавцу, требует деньги', category: 'safety.violence', urgency: 'emergency', minutesAgo: 30, stage: 'on_scene' },
  { text: 'Бьют стёкла у автомобилей на стоянке', category: 'safety.public_order', urgency: 'urgent', minutesAgo: 65, stage: 'on_scene', photo: true },
  { text: 'Көршілер төбелесіп жатыр, балалар жылап тұр', category: 'safety.domestic', urgency: 'emergency', minutesAgo: 45, stage: 'on_scene' },
  { text: 'Пропал ребёнок 7 лет, ушёл со двора час назад', category: 'safety.missing_person', urgency: 'emergency', minutesAgo: 80, stage: 'on_scene' },
  { text: 'Толпа у бара, начинается потасовка', category: 'safety.public_order', urgency: 'urgent', minutesAgo: 110, stage: 'on_scene' },
  { text: 'Залезли в гараж, сбит замок', category: 'safety.theft', urgency: 'normal', minutesAgo: 180, stage: 'on_scene', photo: true },
  { text: 'Шумная свадьба перекрыла улицу машинами', category: 'safety.public_order', urgency: 'normal', minutesAgo: 210, stage: 'resolved' },
  { text: 'Вырвали сумку у пожилой женщины на остановке', category: 'safety.theft', urgency: 'urgent', minutesAgo: 230, stage: 'resolved', photo: true },
  { text: 'Припаркованная машина перегородила выезд скорой', category: 'safety.traffic_violation', urgency: 'urgent', minutesAgo: 250, stage: 'resolved' },
  { text: 'Пьяный мужчина лежит на остановке, не отвечает', category: 'safety.public_order', urgency: 'emergency', minutesAgo: 270, stage: 'resolved' },
  { text: 'Мошенники звонят от имени банка, требуют код', category: 'safety.fraud', urgency: 'normal', minutesAgo: 290, stage: 'resolved' },
  { text: 'Хулиганы разбили фонари в сквере', category: 'safety.public_order', urgency: 'normal', minutesAgo: 320, stage: 'closed', photo: true },
  { text: 'Кража телефона в автобусе, вор задержан пассажирами', category: 'safety.theft', urgency: 'urgent', minutesAgo: 340, stage: 'closed' },
  { text: 'Драка у школы после уроков', category: 'safety.violence', urgency: 'emergency', minutesAgo: 355, stage: 'closed' },
];

const STEPS: Record<DemoReport['stage'], readonly string[]> = {
  received: [],
  dispatched: ['dispatch'],
  on_scene: ['dispatch', 'arrive'],
  resolved: ['dispatch', 'arrive', 'resolve'],
  closed: ['dispatch', 'arrive', 'resolve', 'close'],
};

const UNITS = ['Беркут', 'Сұңқар', 'Барс', 'Каскад'];

function pointIn(prng: Prng, district: DistrictEntry, platform: Platform): GeoPoint | null {
  const rings = district.geometry.type === 'Polygon' ? district.geometry.coordinates : district.geometry.coordinates.flat();
  const points = rings.flat();
  const lons = points.map((p) => p[0]!);
  const lats = points.map((p) => p[1]!);
  for (let attempt = 0; attempt < 50; attempt++) {
    const lat = Math.min(...lats) + prng.next() * (Math.max(...lats) - Math.min(...lats));
    const lon = Math.min(...lons) + prng.next() * (Math.max(...lons) - Math.min(...lons));
    const point = { lat: +lat.toFixed(6), lon: +lon.toFixed(6) };
    if (platform.intake.locator.districtAt(point)?.districtId === district.id) return point;
  }
  return null;
}

/** The demo account that works a report: the dispatcher, or the head for a confidential one (domestic violence). */
async function workerOf(platform: Platform, organisationId: string, confidential: boolean): Promise<StaffPrincipal | null> {
  const role = confidential ? 'head' : 'dispatcher';
  const account = await platform.identity.identities.findStaffByUsername(`${organisationId}.${role}`);
  if (!account) return null;
  return { type: 'staff', userId: account.id, role, organisationId, scope: confidential ? platform.reference.subtree(organisationId) : new Set([organisationId]) };
}

function paramsOf(action: string, i: number, language: 'ru' | 'kk'): ActionParams {
  switch (action) {
    case 'dispatch':
      return { unit: `${UNITS[i % UNITS.length]}-${10 + ((i * 7) % 80)}`, message: language === 'kk' ? 'Наряд жолға шықты.' : 'Наряд выехал.' };
    case 'resolve':
      return { outcome: 'satisfied', answer: language === 'kk' ? 'Оқиға орнында шаралар қабылданды.' : 'На месте приняты меры, составлен протокол.' };
    default:
      return {};
  }
}

/**
 * About thirty 102 reports across the three cities for the demo's live dispatch boards: every stage
 * (received, dispatched with a unit, on scene, resolved, closed), every urgency, some anonymous crime
 * reports, and a third with a generated photo whose EXIF time and point sit beside the reported ones.
 * Everything goes through the police door's own command and the workflow. With the demo's clock each
 * report comes in at its own moment of the last six hours and the deadline worker then catches up
 * (some emergencies still waiting are past their 10-minute dispatch term); without it all come in now.
 */
export async function seedPoliceReports(platform: Platform, options: { clock?: ManualClock; seed?: number } = {}): Promise<number> {
  const prng = new Prng(options.seed ?? 102);
  const clock = options.clock;
  const now = platform.clock.now();
  let created = 0;
  for (const [i, r] of REPORTS.entries()) {
    const city = CITIES[i % CITIES.length]!;
    const districts = platform.reference.districts.filter((d) => d.city === city);
    const district = districts[(i * 5) % districts.length];
    const location = district ? pointIn(prng, district, platform) : null;
    if (!location) continue;
    const receivedAt = new Date(now.getTime() - r.minutesAgo * MINUTE);
    clock?.set(receivedAt);
    const language = /[әғқңөұүһі]/i.test(r.text) ? 'kk' : 'ru';
    const citizen: Principal = r.anonymous
      ? { type: 'public' }
      : { type: 'citizen', userId: await platform.identity.identities.findOrCreateCitizen(`+7702${String(1_000_000 + i * 7919).padStart(7, '0')}`, receivedAt) };
    const files = r.photo
      ? [{
          bytes: await noisePhoto({
            width: 160,
            height: 120,
            seed: 1000 + i,
            takenAt: new Date(receivedAt.getTime() - (3 + (i % 20)) * MINUTE),
            at: { lat: location.lat + (prng.next() - 0.5) * 0.004, lon: location.lon + (prng.next() - 0.5) * 0.004 },
          }),
          fileName: `IMG_${2400 + i}.jpg`,
        }]
      : [];
    const report: PoliceReport = {
      text: r.text,
      location,
      category: r.category,
      urgency: r.urgency,
      anonymous: r.anonymous,
      occurredAt: new Date(receivedAt.getTime() - (2 + (i % 15)) * MINUTE),
      files,
    };
    const receipt = await submitPoliceReport(platform.police, citizen, report);
    created++;
    const record = await platform.read.store.get(receipt.caseId);
    const worker = record ? await workerOf(platform, receipt.organisationId, record.confidential) : null;
    if (!worker) continue;
    let at = receivedAt;
    for (const action of STEPS[r.stage]) {
      // Each step a few minutes after the last, never past "now".
      at = new Date(Math.min(now.getTime(), at.getTime() + (4 + (i % 9)) * MINUTE));
      clock?.set(at);
      await performAction(platform.work, worker, receipt.caseId, action, paramsOf(action, i, language));
    }
  }
  if (clock) {
    clock.set(now);
    while ((await runDeadlineTick(platform.deadlines, { batchSize: 1000 })).claimed > 0);
  }
  return created;
}
