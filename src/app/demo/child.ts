import { assignCase } from '../../core/case-work.ts';
import { postChatMessage } from '../../core/child-chat.ts';
import { submitChildReport, type ChildTopic } from '../../core/child-intake.ts';
import { hashPassword } from '../../core/identity/secrets.ts';
import type { StaffRole } from '../../core/model.ts';
import type { Principal, StaffPrincipal } from '../../core/principal.ts';
import type { ManualClock } from '../manual-clock.ts';
import type { Platform } from '../platform.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;

interface Report {
  school: string;
  text: string;
  topic?: ChildTopic;
  inDanger?: boolean;
  hoursAgo: number;
  /** The chat after the report: who says what, minutes after it. */
  chat?: readonly { by: 'child' | 'psychologist'; text: string; after: number }[];
}

/** ~20 anonymous reports from schools of the three cities: bullying, online shaming, trouble at home, crises. */
const REPORTS: readonly Report[] = [
  { school: 'AST-012', topic: 'child.bullying', hoursAgo: 50, text: 'Сыныптастарым мені күнде мазақтайды, сөмкемді лақтырып тастайды', chat: [
    { by: 'psychologist', text: 'Сәлем! Мен психологпын. Бұл қашаннан бері болып жатыр?', after: 20 },
    { by: 'child', text: 'Қыркүйектен бері. Мұғалімге айтуға қорқамын', after: 35 },
    { by: 'psychologist', text: 'Сен дұрыс істедің, жазғаның жақсы. Бірге жоспар құрайық.', after: 40 },
  ] },
  { school: 'AST-001', topic: 'child.cyberbullying', hoursAgo: 30, text: 'В чате класса выложили моё фото и смеются, пишут гадости' },
  { school: 'AST-035', hoursAgo: 20, text: 'Мені ешкім түсінбейді, үйде де, мектепте де жалғызбын', chat: [
    { by: 'child', text: 'Сіз жауап бересіз бе?', after: 5 },
    { by: 'psychologist', text: 'Иә, мен осындамын. Не болғанын айтып берші.', after: 12 },
  ] },
  { school: 'AST-054', topic: 'child.bullying', hoursAgo: 6, text: 'Старшеклассники отбирают деньги на обед' },
  { school: 'AST-NIS', hoursAgo: 3, text: 'Ата-анам ажырасып жатыр, сабаққа зейін қоя алмаймын' },
  { school: 'AST-083', inDanger: true, hoursAgo: 1.5, text: 'Өгей әкем мас болып келді, мені ұрады, қазір қорқамын', chat: [
    { by: 'psychologist', text: 'Мен психологпын, сені естіп тұрмын. Қазір қауіпсіз жердесің бе?', after: 6 },
    { by: 'child', text: 'Көршімізге шықтым', after: 9 },
  ] },
  { school: 'ALM-015', topic: 'child.bullying', hoursAgo: 70, text: 'Меня травят в классе из-за акцента, никто не садится со мной', chat: [
    { by: 'psychologist', text: 'Здравствуй! Я психолог. Спасибо, что написал. Расскажешь подробнее?', after: 30 },
    { by: 'child', text: 'Уже месяц так. Учительница говорит, что сам виноват', after: 50 },
  ] },
  { school: 'ALM-027', topic: 'child.cyberbullying', hoursAgo: 26, text: 'Жалған аккаунт ашып, мен туралы өтірік жазып жүр' },
  { school: 'ALM-039', hoursAgo: 12, text: 'Постоянно ругаются родители, не хочу идти домой' },
  { school: 'ALM-092', inDanger: true, hoursAgo: 5, text: 'Я больше не хочу жить, всем будет лучше без меня' },
  { school: 'ALM-120', topic: 'child.bullying', hoursAgo: 2, text: 'На перемене меня толкнули с лестницы, болит рука' },
  { school: 'ALM-RFM', hoursAgo: 0.5, text: 'Олимпиадаға дайындалып жүрмін, ұйықтай алмаймын, үнемі қорқамын' },
  { school: 'ALM-159', topic: 'child.abuse', hoursAgo: 40, text: 'Мама запирает меня дома одну на весь день без еды' },
  { school: 'SHY-003', topic: 'child.bullying', hoursAgo: 60, text: 'Мектепте үлкен балалар ақша талап етеді, бермесем ұрады', chat: [
    { by: 'psychologist', text: 'Сәлем! Бұл туралы айтқаның өте дұрыс. Қай сыныпта оқисың?', after: 45 },
  ] },
  { school: 'SHY-024', topic: 'child.cyberbullying', hoursAgo: 22, text: 'Фотоларымды рұқсатсыз таратып жіберді' },
  { school: 'SHY-045', hoursAgo: 9, text: 'Хочу поговорить с психологом, мне грустно каждый день' },
  { school: 'SHY-073', inDanger: true, hoursAgo: 0.1, text: 'Өлгім келеді, бүгін бәрі бітсін деп ойлаймын' },
  { school: 'SHY-BIL', hoursAgo: 15, text: 'Интернатта үйді сағынамын, ешкіммен сөйлескім келмейді' },
  { school: 'SHY-102', topic: 'child.bullying', hoursAgo: 4, text: 'Мені сыныптан шығарып жібереміз деп қорқытады' },
  { school: 'SHY-117', hoursAgo: 1, text: 'Ағам мені үнемі ұрсады, үйде тыныш жоқ' },
];

type StaffOf = (organisationId: string, role: StaffRole, suffix?: string) => Promise<StaffPrincipal>;

/** The demo accounts of the psychologists' services (<org>.head, <org>.psychologist, …), made when missing. */
function staffOf(platform: Platform): StaffOf {
  const found = new Map<string, StaffPrincipal>();
  const hash = hashPassword('tyndau-demo');
  return async (organisationId, role, suffix = '') => {
    const username = `${organisationId}.${role}${suffix}`;
    const known = found.get(username);
    if (known) return known;
    let id = (await platform.identity.identities.findStaffByUsername(username))?.id;
    if (!id) {
      id = platform.identity.ids.uuid();
      await platform.identity.identities.createStaff({ id, username, passwordHash: await hash, displayName: `Bala Qorgau ${role}${suffix}, ${organisationId}`, role, organisationId, at: platform.clock.now() });
    }
    const principal: StaffPrincipal = { type: 'staff', userId: id, role, organisationId, scope: role === 'head' ? platform.reference.subtree(organisationId) : new Set([organisationId]) };
    found.set(username, principal);
    return principal;
  };
}

/**
 * The child door in the demo: an on-call roster for the three psychologists' services (the psychologist
 * now, the second psychologist the 24 hours before), then ~20 anonymous reports through the real door with
 * the demo's ManualClock set to their age: emergencies that paged the psychologist on call (answered, or
 * waiting and breached once the deadline worker catches up), chats, cases for the head to assign. The
 * clock is put back afterwards. Returns the number of reports.
 */
export async function seedChildDemo(platform: Platform, options: { clock?: ManualClock } = {}): Promise<number> {
  const staff = staffOf(platform);
  const clock = options.clock;
  const now = platform.clock.now();
  const at = (msAgo: number) => clock?.set(new Date(now.getTime() - msAgo));
  const { roster } = platform.child.onCall;
  const services = platform.reference.organisations.filter((o) => o.type === 'psychologist_service');
  for (const service of services) {
    const [onNow, before] = [await staff(service.id, 'psychologist'), await staff(service.id, 'psychologist', '2')];
    await roster.addShift({ organisationId: service.id, userId: before.userId, startsAt: new Date(now.getTime() - 36 * HOUR), endsAt: new Date(now.getTime() - 12 * HOUR), createdBy: null, createdAt: now });
    await roster.addShift({ organisationId: service.id, userId: onNow.userId, startsAt: new Date(now.getTime() - 12 * HOUR), endsAt: new Date(now.getTime() + 12 * HOUR), createdBy: null, createdAt: now });
  }
  let made = 0;
  try {
    for (const r of [...REPORTS].sort((a, b) => b.hoursAgo - a.hoursAgo)) {
      const received = r.hoursAgo * HOUR;
      at(received);
      const receipt = await submitChildReport(platform.child.intake, { type: 'public' }, { text: r.text, schoolCode: r.school, topic: r.topic, inDanger: r.inDanger });
      made++;
      if (!r.chat) continue;
      const record = await platform.read.store.get(receipt.caseId);
      if (!record) continue;
      // An emergency went to the psychologist on call; any other case the head gives to the psychologist.
      let psychologist: Principal | null = null;
      if (record.assigneeId) {
        psychologist = { type: 'staff', userId: record.assigneeId, role: 'psychologist', organisationId: record.organisationId, scope: new Set([record.organisationId]) };
      } else {
        at(received - 10 * MINUTE);
        const head = await staff(record.organisationId, 'head');
        const chosen = await staff(record.organisationId, 'psychologist', r.hoursAgo > 12 ? '2' : '');
        await assignCase(platform.work, head, receipt.caseId, chosen.userId);
        psychologist = chosen;
      }
      const child: Principal = { type: 'tracking', caseId: receipt.caseId };
      for (const line of r.chat) {
        at(received - line.after * MINUTE);
        await postChatMessage(platform.child.chat, line.by === 'child' ? child : psychologist, receipt.caseId, line.text);
      }
    }
  } finally {
    clock?.set(now);
  }
  return made;
}
