import { hashPassword } from '../../core/identity/secrets.ts';
import { addAttachment } from '../../core/attachments.ts';
import { assignCase, performAction, type ActionParams } from '../../core/case-work.ts';
import { submitCase, type Submission } from '../../core/intake.ts';
import type { StaffRole, Urgency } from '../../core/model.ts';
import type { Principal, StaffPrincipal } from '../../core/principal.ts';
import type { ManualClock } from '../manual-clock.ts';
import type { Platform } from '../platform.ts';

/** A 1×1 PNG: the demo's photo of the fix (bytes are sniffed, so it must be a real image). */
const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const HOUR = 3_600_000;

/** Where a 109 call ends up: the steps after registration. */
type Fate =
  | 'waiting' // received, on the board
  | 'taken' // in work
  | 'assigned' // in work, with an executor
  | 'first_contact' // explained or refused by the operator on the call
  | 'fixed' // resolved with a photo
  | 'not_fixed' // resolved with a photo, then the applicant said "not fixed"
  | 'documents' // waiting for the applicant
  | 'to_lift'; // the building manager passed it to the district's lift company

interface Call {
  district: string;
  category: string;
  urgency: Urgency;
  text: string;
  address: string;
  fate: Fate;
  /** How long ago the call came in. */
  hoursAgo: number;
  phone?: string;
  answer?: string;
}

/** ~40 calls to 109 in Astana, Almaty and Shymkent: the board's emergencies, work in progress and closed calls. */
const CALLS: readonly Call[] = [
  // Astana
  { district: 'astana.esil', category: 'utilities.sewage', urgency: 'emergency', text: 'Открытый канализационный люк на тротуаре у школы, дети ходят рядом', address: 'пр. Кабанбай батыра, 42', fate: 'waiting', hoursAgo: 0.3 },
  { district: 'astana.saryarka', category: 'utilities.gas', urgency: 'emergency', text: 'В подъезде сильно пахнет газом, жильцы вышли на улицу', address: 'ул. Бейбітшілік, 14, подъезд 3', fate: 'taken', hoursAgo: 0.6 },
  { district: 'astana.almaty', category: 'housing.maintenance', urgency: 'emergency', text: 'Застрял лифт, внутри женщина с ребёнком', address: 'ул. Жұмабаев, 9, подъезд 1', fate: 'to_lift', hoursAgo: 0.2 },
  { district: 'astana.baikonyr', category: 'roads.snow', urgency: 'urgent', text: 'Дорогу к поликлинике замело, машины скорой не проезжают', address: 'ул. Сейфуллина, 6', fate: 'assigned', hoursAgo: 3 },
  { district: 'astana.nura', category: 'roads.lighting', urgency: 'normal', text: 'Үйдің алдындағы көше шамдары бір аптадан бері жанбайды', address: 'Тұран даңғылы, 55', fate: 'waiting', hoursAgo: 20, phone: '+77010000001' },
  { district: 'astana.esil', category: 'utilities.heating', urgency: 'urgent', text: 'В квартире +12, батареи холодные второй день', address: 'ул. Сыганак, 18, кв. 40', fate: 'first_contact', hoursAgo: 26, phone: '+77010000002', answer: 'Опрессовка на вашей улице заканчивается сегодня; тепло подадут к 20:00.' },
  { district: 'astana.saryarka', category: 'sanitation.waste', urgency: 'normal', text: 'Контейнеры во дворе не вывозят пятый день', address: 'ул. Иманова, 26', fate: 'fixed', hoursAgo: 50 },
  { district: 'astana.baikonyr', category: 'utilities.water', urgency: 'urgent', text: 'Прорыв трубы, вода течёт по улице', address: 'ул. Кенесары, 70', fate: 'taken', hoursAgo: 1.5 },
  { district: 'astana.almaty', category: 'transport.public', urgency: 'normal', text: 'Автобус №32 не ходит по расписанию вечером', address: 'остановка «Шапағат»', fate: 'first_contact', hoursAgo: 30, phone: '+77010000003', answer: 'Маршрут №32 с понедельника ходит до 23:00, интервал 12 минут.' },
  { district: 'astana.nura', category: 'roads.repair', urgency: 'normal', text: 'Глубокая яма на въезде во двор', address: 'ул. Орынбор, 8', fate: 'documents', hoursAgo: 40 },
  { district: 'astana.esil', category: 'housing.maintenance', urgency: 'normal', text: 'Течёт крыша над последним этажом', address: 'ул. Достык, 5, подъезд 2', fate: 'not_fixed', hoursAgo: 70, phone: '+77010000001' },
  { district: 'astana.saryarka', category: 'animals.stray', urgency: 'urgent', text: 'Стая бродячих собак у детской площадки', address: 'ул. Пушкина, 31', fate: 'assigned', hoursAgo: 5 },
  { district: 'astana.esil', category: 'roads.snow', urgency: 'normal', text: 'Тротуар не чищен, гололёд', address: 'ул. Мангилик Ел, 20', fate: 'first_contact', hoursAgo: 12, answer: 'Участок в графике уборки на сегодня, посыпка реагентом до 10:00.' },
  { district: 'astana.baikonyr', category: 'utilities.electricity', urgency: 'emergency', text: 'Оборван провод, искрит возле остановки', address: 'ул. Ауэзова, 12', fate: 'waiting', hoursAgo: 0.1 },
  // Almaty
  { district: 'almaty.bostandyk', category: 'utilities.sewage', urgency: 'emergency', text: 'Провалилась крышка люка на проезжей части', address: 'пр. Аль-Фараби, 77', fate: 'taken', hoursAgo: 0.8 },
  { district: 'almaty.almaly', category: 'utilities.gas', urgency: 'emergency', text: 'Запах газа у распределительного шкафа во дворе', address: 'ул. Толе би, 120', fate: 'waiting', hoursAgo: 0.4 },
  { district: 'almaty.auezov', category: 'housing.maintenance', urgency: 'urgent', text: 'Не работает лифт в 16-этажном доме, пожилые не могут выйти', address: 'мкр Аксай-4, 25', fate: 'to_lift', hoursAgo: 2 },
  { district: 'almaty.zhetysu', category: 'housing.maintenance', urgency: 'normal', text: 'В подъезде разбито окно, дует', address: 'мкр Жетысу-3, 41', fate: 'fixed', hoursAgo: 60, phone: '+77010000002' },
  { district: 'almaty.medeu', category: 'roads.lighting', urgency: 'normal', text: 'Не горит освещение на пешеходном переходе', address: 'ул. Достык, 180', fate: 'assigned', hoursAgo: 18 },
  { district: 'almaty.turksib', category: 'sanitation.waste', urgency: 'normal', text: 'Стихийная свалка строительного мусора у гаражей', address: 'ул. Майлина, 30', fate: 'waiting', hoursAgo: 28 },
  { district: 'almaty.alatau', category: 'utilities.water', urgency: 'urgent', text: 'Нет холодной воды во всём доме с утра', address: 'мкр Шанырак-2, ул. Жанкожа батыра, 15', fate: 'first_contact', hoursAgo: 8, phone: '+77010000003', answer: 'Плановые работы на водоводе до 18:00; подвоз воды — у школы №150.' },
  { district: 'almaty.nauryzbay', category: 'roads.repair', urgency: 'normal', text: 'Размыло обочину после дождя, опасно для машин', address: 'ул. Шугыла, 3', fate: 'taken', hoursAgo: 36 },
  { district: 'almaty.bostandyk', category: 'environment.greenery', urgency: 'urgent', text: 'Дерево наклонилось над детской площадкой после ветра', address: 'ул. Жандосова, 58', fate: 'assigned', hoursAgo: 4 },
  { district: 'almaty.almaly', category: 'utilities.heating', urgency: 'normal', text: 'Когда начнётся отопительный сезон?', address: 'ул. Абылай хана, 90', fate: 'first_contact', hoursAgo: 14, answer: 'Отопительный сезон в Алматы начинается 15 октября при среднесуточной температуре ниже +10 °C.' },
  { district: 'almaty.medeu', category: 'roads.snow', urgency: 'urgent', text: 'Наледь на лестнице к остановке, люди падают', address: 'ул. Кабанбай батыра, 200', fate: 'fixed', hoursAgo: 30 },
  { district: 'almaty.auezov', category: 'roads.traffic', urgency: 'urgent', text: 'Не работает светофор на перекрёстке', address: 'ул. Саина / ул. Шаляпина', fate: 'taken', hoursAgo: 1 },
  { district: 'almaty.turksib', category: 'utilities.electricity', urgency: 'normal', text: 'Скачет напряжение, перегорела техника', address: 'ул. Бекмаханова, 14', fate: 'not_fixed', hoursAgo: 90 },
  { district: 'almaty.zhetysu', category: 'animals.stray', urgency: 'normal', text: 'Бездомные собаки в подвале дома', address: 'мкр Кулагер, 7', fate: 'first_contact', hoursAgo: 22, answer: 'Отлов бездомных животных в вашем микрорайоне запланирован на четверг.' },
  // Shymkent
  { district: 'shymkent.al-farabi', category: 'utilities.water', urgency: 'emergency', text: 'Из-под асфальта бьёт вода, промоина растёт', address: 'пр. Тауке хана, 33', fate: 'waiting', hoursAgo: 0.5 },
  { district: 'shymkent.abay', category: 'utilities.gas', urgency: 'urgent', text: 'Газ үзіліп қалды, үйде жылу жоқ', address: 'Бәйдібек би даңғылы, 101', fate: 'taken', hoursAgo: 2, phone: '+77010000002' },
  { district: 'shymkent.enbekshi', category: 'sanitation.waste', urgency: 'normal', text: 'Қоқыс жәшіктері толып кетті, үш күн шығарылмады', address: 'Байтұрсынов көшесі, 12', fate: 'fixed', hoursAgo: 55 },
  { district: 'shymkent.karatau', category: 'housing.maintenance', urgency: 'normal', text: 'Подвал затоплен, запах сырости в подъезде', address: 'мкр Нурсат, 118', fate: 'assigned', hoursAgo: 16 },
  { district: 'shymkent.turan', category: 'housing.maintenance', urgency: 'urgent', text: 'Лифт остановился между этажами, людей нет, но не работает', address: 'мкр Туран, 4', fate: 'to_lift', hoursAgo: 3 },
  { district: 'shymkent.al-farabi', category: 'roads.lighting', urgency: 'normal', text: 'Саябақта шамдар жанбайды', address: 'Абай саябағы', fate: 'first_contact', hoursAgo: 10, answer: 'Шамдарды ауыстыру жұмыстары осы аптаның жұма күні жүргізіледі.' },
  { district: 'shymkent.abay', category: 'roads.repair', urgency: 'normal', text: 'Разбита дорога во дворе после ремонта теплотрассы', address: 'ул. Рыскулова, 45', fate: 'documents', hoursAgo: 45 },
  { district: 'shymkent.enbekshi', category: 'utilities.electricity', urgency: 'emergency', text: 'Горит трансформаторная будка во дворе', address: 'ул. Казыбек би, 9', fate: 'taken', hoursAgo: 0.3 },
  { district: 'shymkent.karatau', category: 'transport.public', urgency: 'normal', text: 'Когда запустят автобус до мкр Нурсат вечером?', address: 'мкр Нурсат', fate: 'first_contact', hoursAgo: 18, phone: '+77010000003', answer: 'С 1-го числа маршрут №17 продлён до 22:30, интервал 15 минут.' },
  { district: 'shymkent.turan', category: 'utilities.heating', urgency: 'urgent', text: 'Батареи холодные во всём подъезде', address: 'ул. Жибек жолы, 60', fate: 'first_contact', hoursAgo: 6, answer: 'Авария на теплотрассе устранена, подача тепла восстановится в течение 3 часов.' },
  { district: 'shymkent.al-farabi', category: 'environment.pollution', urgency: 'normal', text: 'Сжигают мусор на пустыре, дым в окнах', address: 'ул. Толе би, 2', fate: 'waiting', hoursAgo: 9 },
];

type Staff = (organisationId: string, role: StaffRole) => Promise<StaffPrincipal>;

/** Demo staff for the 109 cases: made on first use, one per organisation and role ("109.<org>.<role>"). */
function staffMaker(platform: Platform): Staff {
  const made = new Map<string, StaffPrincipal>();
  const hash = hashPassword('tyndau-demo');
  return async (organisationId, role) => {
    const key = `${organisationId}.${role}`;
    const known = made.get(key);
    if (known) return known;
    const id = platform.identity.ids.uuid();
    await platform.identity.identities.createStaff({ id, username: `109.${key}`, passwordHash: await hash, displayName: `109 ${role}, ${organisationId}`, role, organisationId, at: platform.clock.now() });
    const principal: StaffPrincipal = { type: 'staff', userId: id, role, organisationId, scope: role === 'head' ? platform.reference.subtree(organisationId) : new Set([organisationId]) };
    made.set(key, principal);
    return principal;
  };
}

/**
 * About 40 calls to 109 across the three cities, taken through the real intake and workflow: emergencies
 * waiting on the boards, work in progress, first-contact answers, fixes with a photo, "not fixed". With the
 * demo's ManualClock the calls get their ages (minutes to days); the clock is put back afterwards.
 */
export async function seedCityDemo(platform: Platform, options: { clock?: ManualClock } = {}): Promise<number> {
  const staff = staffMaker(platform);
  const clock = options.clock;
  const now = platform.clock.now();
  const at = (ms: number) => clock?.set(new Date(now.getTime() - ms));
  let made = 0;
  try {
    for (const call of [...CALLS].sort((a, b) => b.hoursAgo - a.hoursAgo)) {
      at(call.hoursAgo * HOUR);
      const city = call.district.split('.')[0]!;
      const operator = await staff(`${city}.akimat`, 'registrar'); // the 109 contact centre of the akimat
      const submission: Submission = { channel: 'city', category: call.category, urgency: call.urgency, districtId: call.district, address: call.address, text: call.text, ...(call.phone ? { applicantPhone: call.phone } : {}) };
      const receipt = await submitCase(platform.intake, call.phone ? operator : { type: 'public' }, submission);
      made++;
      const org = receipt.organisationId;
      const step = async (who: Principal, action: string, params: ActionParams = {}, afterMs = 10 * 60_000) => {
        at(Math.max(0, call.hoursAgo * HOUR - afterMs));
        return performAction(platform.work, who, receipt.caseId, action, params);
      };
      const dispatcher = await staff(org, 'dispatcher');
      const applicant: Principal = receipt.trackingCode ? { type: 'tracking', caseId: receipt.caseId } : { type: 'public' };
      switch (call.fate) {
        case 'waiting':
          break;
        case 'first_contact':
          await step(dispatcher, 'resolve_on_first_contact', { outcome: 'explained', answer: call.answer ?? 'Разъяснено по телефону.' }, 4 * 60_000);
          break;
        case 'taken':
          await step(dispatcher, 'take_into_work');
          break;
        case 'assigned': {
          await step(dispatcher, 'take_into_work');
          const executor = await staff(org, 'executor');
          await assignCase(platform.work, dispatcher, receipt.caseId, executor.userId);
          break;
        }
        case 'documents':
          await step(dispatcher, 'take_into_work');
          await step(await staff(org, 'executor'), 'request_documents', { message: 'Уточните, пожалуйста, номер подъезда и приложите фото места.' }, 60 * 60_000);
          break;
        case 'to_lift': {
          const lift = platform.reference.organisations.find((o) => o.type === 'lift_company' && o.districtId === call.district);
          if (lift) await step(await staff(org, 'head'), 'redirect', { organisationId: lift.id, reason: 'Неисправность лифта: передано обслуживающей лифтовой организации' }, 5 * 60_000);
          break;
        }
        case 'fixed':
        case 'not_fixed': {
          await step(dispatcher, 'take_into_work');
          const executor = await staff(org, 'executor');
          const photo = await addAttachment(platform.attachments, executor, receipt.caseId, { bytes: PHOTO, fileName: 'after.png' });
          await step(executor, 'resolve', { outcome: 'satisfied', answer: 'Устранено, фото после работ приложено.', proofAttachmentIds: [photo.id] }, Math.min(call.hoursAgo * HOUR * 0.6, 24 * HOUR));
          if (call.fate === 'not_fixed') {
            // The applicant (the caller, or the tracking-code holder) says the problem is back: the case returns to work.
            const caller: Principal = call.phone ? { type: 'citizen', userId: await platform.identity.identities.findOrCreateCitizen(call.phone, platform.clock.now()) } : applicant;
            await step(caller, 'report_not_fixed', { reason: 'Проблема вернулась на следующий день.' }, Math.min(call.hoursAgo * HOUR * 0.8, 48 * HOUR));
          }
          break;
        }
      }
    }
  } finally {
    clock?.set(now);
  }
  return made;
}
