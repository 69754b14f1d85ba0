/**
 * The texts of the notices the applicant gets, in Kazakh, Russian and English: one subject (the e-mail
 * subject) and a short plain text (the e-mail body and the SMS) per template and language.
 *
 * Parameters are facts the core put on the outbox row (`NotificationParams`, all strings, dates already
 * formatted). Values are never given grammatical endings here (a Kazakh suffix depends on the word), so
 * every fact stands after a colon or as a name. A missing fact never breaks a notice: a line that needs
 * it is left out or replaced by a neutral wording, so rendering always succeeds.
 */
import { notificationTemplates, type NotificationParams, type NotificationTemplate } from '../core/notifications.ts';
import type { Language } from '../core/model.ts';

/** Every fact a template may use, and what it means. The core writes them (src/core/notices.ts). */
export const paramDescriptions = {
  registrationNumber: 'The registration number of the case the notice is on, e.g. ЖТ-2026-00000742 (the core writes it; the outbox fills it from the case when absent). For complaint_registered: the complaint\'s own number.',
  organisationName: 'The body the case is with now, in the notice language (the core writes it for every notice).',
  registeredAt: 'When the case was registered (formatted date and time, Kazakhstan time).',
  fromOrganisationName: 'The body the case was redirected from.',
  dueAt: 'The due date and time of the answer (formatted, Kazakhstan time).',
  reason: 'The reason staff gave for the step (free text): an extension\'s ground, why a case was redirected or reopened.',
  message: 'What staff wrote to the applicant with the step: the answer, the request for documents, the body\'s position before a hearing (cut to 500 characters).',
  respondBy: 'The date until which the applicant may add the missing documents (formatted).',
  hearingUntil: 'The date until which the applicant may state their view before an adverse decision (formatted).',
  outcome: 'The outcome of the answer: explained, satisfied or refused (translated), or a text.',
  terminationReason: 'The legal ground of a termination: a terminationReasons code (translated) or a text.',
  originalRegistrationNumber: 'For a notice on a complaint case: the number of the case complained about.',
  complaintRegistrationNumber: 'For silence_complaint_filed on the original case: the number of the complaint filed for the applicant.',
  complaintOrganisationName: 'For silence_complaint_filed on the original case: the body that considers the complaint.',
  trackingUrl: 'Optional: a link where the applicant follows the case (or answers the survey).',
  caseUrl: 'For crisis_page (to staff): the link that opens the case for a signed-in psychologist; the page carries no case text.',
} as const;
export type ParamName = keyof typeof paramDescriptions;

interface ParamSpec {
  /** Facts the notice should have: without one of them it falls back to a neutral wording. */
  readonly required: readonly ParamName[];
  readonly optional: readonly ParamName[];
}

/** The facts each template uses: the contract between the core (which writes them) and these texts. */
export const templateParams = {
  case_registered: { required: ['registrationNumber', 'organisationName'], optional: ['registeredAt', 'dueAt', 'trackingUrl'] },
  case_redirected: { required: ['registrationNumber', 'organisationName'], optional: ['fromOrganisationName', 'reason', 'message', 'dueAt', 'trackingUrl'] },
  documents_requested: { required: ['registrationNumber', 'respondBy'], optional: ['message', 'reason', 'organisationName', 'trackingUrl'] },
  term_extended: { required: ['registrationNumber', 'dueAt', 'reason'], optional: ['organisationName', 'trackingUrl'] },
  hearing_notice: { required: ['registrationNumber', 'hearingUntil'], optional: ['message', 'reason', 'organisationName', 'trackingUrl'] },
  case_answered: { required: ['registrationNumber', 'outcome'], optional: ['message', 'organisationName', 'trackingUrl'] },
  case_terminated: { required: ['registrationNumber', 'terminationReason'], optional: ['reason', 'message', 'organisationName', 'trackingUrl'] },
  /**
   * Either on the complaint case (registrationNumber = the complaint, originalRegistrationNumber = the appeal,
   * organisationName = the higher body) or on the original appeal (complaintRegistrationNumber and
   * complaintOrganisationName name the complaint): both read right.
   */
  silence_complaint_filed: {
    required: ['registrationNumber'],
    optional: ['originalRegistrationNumber', 'organisationName', 'complaintRegistrationNumber', 'complaintOrganisationName', 'dueAt', 'trackingUrl'],
  },
  /** On the complaint case: registrationNumber is the complaint's, originalRegistrationNumber the answered case's. */
  complaint_registered: { required: ['registrationNumber', 'originalRegistrationNumber', 'organisationName'], optional: ['dueAt', 'trackingUrl'] },
  case_reopened: { required: ['registrationNumber'], optional: ['reason', 'message', 'dueAt', 'organisationName', 'trackingUrl'] },
  survey: { required: ['registrationNumber'], optional: ['trackingUrl'] },
  /** To the on-call psychologist: the number and a link only (a confidential case's text never leaves the platform). */
  crisis_page: { required: ['registrationNumber', 'caseUrl'], optional: [] },
} as const satisfies Record<NotificationTemplate, ParamSpec>;

type Spec<T extends NotificationTemplate> = (typeof templateParams)[T];
/** The typed parameters of one template, for code that writes them. */
export type TemplateParams<T extends NotificationTemplate> = { [K in Spec<T>['required'][number]]: string } & {
  [K in Spec<T>['optional'][number]]?: string;
};

export interface RenderedNotice {
  subject: string;
  text: string;
}

type Facts = Partial<Record<ParamName, string>>;
/** One line of a notice: null when a fact it needs is missing. */
type Line = (facts: Facts) => string | null;

/** A line with facts in it: `l\`Due: ${'dueAt'}.\`` renders only when dueAt is known. */
function l(strings: TemplateStringsArray, ...names: ParamName[]): Line {
  return (facts) => {
    let out = strings[0] ?? '';
    for (let i = 0; i < names.length; i++) {
      const value = facts[names[i]!];
      if (value === undefined) return null;
      out += value + (strings[i + 1] ?? '');
    }
    return out;
  };
}

/** The first alternative whose facts are all known (the last should need none). */
const first = (...alternatives: Line[]): Line => (facts) => {
  for (const alternative of alternatives) {
    const line = alternative(facts);
    if (line !== null) return line;
  }
  return null;
};

/** The line only when a fact is known (which fact decides, not which is printed). */
const when = (name: ParamName, line: Line): Line => (facts) => (facts[name] === undefined ? null : line(facts));

interface Text {
  subject: Line;
  body: Line[];
}

interface Words {
  outcomes: Record<string, string>;
  reasons: Record<string, string>;
  footer: string;
  track: Line;
}

const words: Record<Language, Words> = {
  kk: {
    outcomes: { explained: 'түсіндірілді', satisfied: 'қанағаттандырылды', refused: 'бас тартылды' },
    reasons: {
      no_substance: 'өтініште мәселенің мәні жоқ',
      repeat_without_new_arguments: 'жаңа дәлелдерсіз қайталама өтініш',
      anonymous: 'анонимді өтініш',
      withdrawn_by_applicant: 'өтініш беруші өтінішін кері қайтарып алды',
      court_act_exists: 'мәселе бойынша заңды күшіне енген сот актісі бар',
      administrative_decision_exists: 'мәселе бойынша бұрын әкімшілік шешім қабылданған',
      other_legal_ground: 'заңда көзделген өзге негіз',
    },
    footer: 'Бұл Tyndau жүйесінің автоматты хабарламасы, оған жауап берудің қажеті жоқ.',
    track: l`Өтінішті бақылау: ${'trackingUrl'}`,
  },
  ru: {
    outcomes: { explained: 'разъяснено', satisfied: 'удовлетворено', refused: 'отказано' },
    reasons: {
      no_substance: 'обращение не содержит сути вопроса',
      repeat_without_new_arguments: 'повторное обращение без новых доводов',
      anonymous: 'анонимное обращение',
      withdrawn_by_applicant: 'обращение отозвано заявителем',
      court_act_exists: 'по вопросу имеется вступивший в силу судебный акт',
      administrative_decision_exists: 'по вопросу ранее принято административное решение',
      other_legal_ground: 'иное основание, предусмотренное законом',
    },
    footer: 'Это автоматическое сообщение Tyndau, отвечать на него не нужно.',
    track: l`Следить за обращением: ${'trackingUrl'}`,
  },
  en: {
    outcomes: { explained: 'explained', satisfied: 'satisfied', refused: 'refused' },
    reasons: {
      no_substance: 'the appeal does not state the substance of the matter',
      repeat_without_new_arguments: 'a repeated appeal without new arguments',
      anonymous: 'an anonymous appeal',
      withdrawn_by_applicant: 'the applicant withdrew the appeal',
      court_act_exists: 'a court act in force exists on the matter',
      administrative_decision_exists: 'an administrative decision was already taken on the matter',
      other_legal_ground: 'another ground provided by law',
    },
    footer: 'This is an automatic message from Tyndau; there is no need to reply.',
    track: l`Follow your appeal: ${'trackingUrl'}`,
  },
};

const kk: Record<NotificationTemplate, Text> = {
  case_registered: {
    subject: first(l`${'registrationNumber'} нөмірлі өтініш тіркелді`, l`Өтініш тіркелді`),
    body: [
      first(l`Өтінішіңіз тіркелді. Тіркеу нөмірі: ${'registrationNumber'}.`, l`Өтінішіңіз тіркелді.`),
      l`Тіркелген уақыты: ${'registeredAt'}.`,
      l`Жауапты орган: ${'organisationName'}.`,
      l`Жауап беру мерзімі: ${'dueAt'}.`,
    ],
  },
  case_redirected: {
    subject: first(l`${'registrationNumber'} нөмірлі өтініш құзыреті бойынша жіберілді`, l`Өтініш құзыреті бойынша жіберілді`),
    body: [
      first(l`${'registrationNumber'} нөмірлі өтінішіңіз оны қарауға уәкілетті органға жіберілді.`, l`Өтінішіңіз оны қарауға уәкілетті органға жіберілді.`),
      l`Енді қарайтын орган: ${'organisationName'}.`,
      l`Бұрын қараған орган: ${'fromOrganisationName'}.`,
      l`Себебі: ${'reason'}.`,
      l`Органның хабарламасы: ${'message'}`,
      l`Жауап беру мерзімі: ${'dueAt'}.`,
    ],
  },
  documents_requested: {
    subject: first(l`${'registrationNumber'} нөмірлі өтініш: құжаттар қажет`, l`Өтініш бойынша құжаттар қажет`),
    body: [
      first(
        l`${'registrationNumber'} нөмірлі өтінішіңізді қарау үшін қосымша құжаттар немесе мәліметтер ұсыну қажет.`,
        l`Өтінішіңізді қарау үшін қосымша құжаттар немесе мәліметтер ұсыну қажет.`,
      ),
      l`Не қажет: ${'message'}`,
      l`Себебі: ${'reason'}.`,
      l`Ұсыну мерзімі: ${'respondBy'}. Оған дейін қарау мерзімі тоқтатыла тұрады.`,
      l`Сұраған орган: ${'organisationName'}.`,
    ],
  },
  term_extended: {
    subject: first(l`${'registrationNumber'} нөмірлі өтініш: мерзім ұзартылды`, l`Өтінішті қарау мерзімі ұзартылды`),
    body: [
      first(l`${'registrationNumber'} нөмірлі өтінішіңізді қарау мерзімі ұзартылды.`, l`Өтінішіңізді қарау мерзімі ұзартылды.`),
      l`Жаңа мерзім: ${'dueAt'}.`,
      l`Негізі: ${'reason'}.`,
      l`Орган: ${'organisationName'}.`,
    ],
  },
  hearing_notice: {
    subject: first(l`${'registrationNumber'} нөмірлі өтініш: тыңдау`, l`Өтініш бойынша тыңдау`),
    body: [
      first(
        l`${'registrationNumber'} нөмірлі өтінішіңіз бойынша шешім қабылданғанға дейін пікіріңіз бен қарсылықтарыңызды білдіре аласыз.`,
        l`Өтінішіңіз бойынша шешім қабылданғанға дейін пікіріңіз бен қарсылықтарыңызды білдіре аласыз.`,
      ),
      l`Органның хабарламасы: ${'message'}`,
      l`Себебі: ${'reason'}.`,
      l`Пікір білдіру мерзімі: ${'hearingUntil'}.`,
      l`Орган: ${'organisationName'}.`,
    ],
  },
  case_answered: {
    subject: first(l`${'registrationNumber'} нөмірлі өтінішке жауап берілді`, l`Өтінішке жауап берілді`),
    body: [
      first(l`${'registrationNumber'} нөмірлі өтінішіңізге жауап берілді.`, l`Өтінішіңізге жауап берілді.`),
      l`Нәтижесі: ${'outcome'}.`,
      l`Жауап берген орган: ${'organisationName'}.`,
      l`Жауап: ${'message'}`,
      l`Жауаптың толық мәтіні жеке кабинетте. Келіспеген жағдайда жоғары тұрған органға немесе сотқа шағымдана аласыз.`,
    ],
  },
  case_terminated: {
    subject: first(l`${'registrationNumber'} нөмірлі өтінішті қарау тоқтатылды`, l`Өтінішті қарау тоқтатылды`),
    body: [
      first(l`${'registrationNumber'} нөмірлі өтінішіңізді қарау тоқтатылды.`, l`Өтінішіңізді қарау тоқтатылды.`),
      l`Негізі: ${'terminationReason'}.`,
      l`Түсіндірме: ${'reason'}.`,
      l`Органның хабарламасы: ${'message'}`,
      l`Орган: ${'organisationName'}.`,
      l`Келіспеген жағдайда бұл шешімге жоғары тұрған органға немесе сотқа шағымдана аласыз.`,
    ],
  },
  silence_complaint_filed: {
    subject: first(
      l`${'originalRegistrationNumber'} нөмірлі өтініш: жауап бермеуге шағым берілді`,
      l`${'registrationNumber'} нөмірлі өтініш: жауап бермеуге шағым берілді`,
      l`Жауап бермеуге шағым берілді`,
    ),
    body: [
      first(
        l`${'originalRegistrationNumber'} нөмірлі өтінішіңізге белгіленген мерзімде жауап берілмеді; заң бойынша жауап бермеу бас тарту деп есептеледі.`,
        l`${'registrationNumber'} нөмірлі өтінішіңізге белгіленген мерзімде жауап берілмеді; заң бойынша жауап бермеу бас тарту деп есептеледі.`,
        l`Өтінішіңізге белгіленген мерзімде жауап берілмеді; заң бойынша жауап бермеу бас тарту деп есептеледі.`,
      ),
      l`Сіздің келісіміңізбен жоғары тұрған органға шағым берілді.`,
      first(when('originalRegistrationNumber', l`Шағымның нөмірі: ${'registrationNumber'}.`), l`Шағымның нөмірі: ${'complaintRegistrationNumber'}.`),
      first(when('originalRegistrationNumber', l`Шағымды қарайтын орган: ${'organisationName'}.`), l`Шағымды қарайтын орган: ${'complaintOrganisationName'}.`),
      l`Шағымға жауап беру мерзімі: ${'dueAt'}.`,
    ],
  },
  complaint_registered: {
    subject: first(l`${'registrationNumber'} нөмірлі шағым тіркелді`, l`Шағым тіркелді`),
    body: [
      first(l`${'originalRegistrationNumber'} нөмірлі өтінішке берілген жауапқа шағымыңыз тіркелді.`, l`Жауапқа шағымыңыз тіркелді.`),
      l`Шағымның нөмірі: ${'registrationNumber'}.`,
      l`Шағымды қарайтын орган: ${'organisationName'}.`,
      l`Жауап беру мерзімі: ${'dueAt'}.`,
    ],
  },
  case_reopened: {
    subject: first(l`${'registrationNumber'} нөмірлі өтінішті қарау қайта басталды`, l`Өтінішті қарау қайта басталды`),
    body: [
      first(l`${'registrationNumber'} нөмірлі өтінішіңізді қарау қайта басталды.`, l`Өтінішіңізді қарау қайта басталды.`),
      l`Себебі: ${'reason'}.`,
      l`Органның хабарламасы: ${'message'}`,
      l`Қарайтын орган: ${'organisationName'}.`,
      l`Жауап беру мерзімі: ${'dueAt'}.`,
    ],
  },
  survey: {
    subject: first(l`${'registrationNumber'} нөмірлі өтініш: мәселе шешілді ме?`, l`Мәселе шешілді ме?`),
    body: [
      first(l`${'registrationNumber'} нөмірлі өтінішіңіз жабылды.`, l`Өтінішіңіз жабылды.`),
      l`Мәселе шешілді ме? Сіздің жауабыңыз органдардың жұмысын тексеруге көмектеседі.`,
      first(l`Жауап беру: ${'trackingUrl'}`, l`Жауапты Tyndau жеке кабинетінде беруге болады.`),
    ],
  },
  crisis_page: {
    subject: first(l`ШҰҒЫЛ: баладан ${'registrationNumber'} нөмірлі өтініш`, l`ШҰҒЫЛ: баладан шұғыл өтініш`),
    body: [
      l`Сіз кезекші психологсыз: баладан шұғыл өтініш түсті. Баламен дереу байланысыңыз.`,
      l`Тіркеу нөмірі: ${'registrationNumber'}.`,
      first(l`Өтінішті ашу: ${'caseUrl'}`, l`Өтінішті Tyndau жүйесінде ашыңыз.`),
      l`Құпиялылық үшін өтініштің мәтіні хабарламада берілмейді.`,
    ],
  },
};

const ru: Record<NotificationTemplate, Text> = {
  case_registered: {
    subject: first(l`Обращение ${'registrationNumber'} зарегистрировано`, l`Обращение зарегистрировано`),
    body: [
      first(l`Ваше обращение зарегистрировано под номером ${'registrationNumber'}.`, l`Ваше обращение зарегистрировано.`),
      l`Дата регистрации: ${'registeredAt'}.`,
      l`Ответственный орган: ${'organisationName'}.`,
      l`Срок ответа: ${'dueAt'}.`,
    ],
  },
  case_redirected: {
    subject: first(l`Обращение ${'registrationNumber'} направлено по компетенции`, l`Обращение направлено по компетенции`),
    body: [
      first(l`Ваше обращение ${'registrationNumber'} направлено в орган, уполномоченный его рассмотреть.`, l`Ваше обращение направлено в орган, уполномоченный его рассмотреть.`),
      l`Теперь его рассматривает: ${'organisationName'}.`,
      l`Ранее рассматривал: ${'fromOrganisationName'}.`,
      l`Причина: ${'reason'}.`,
      l`Сообщение органа: ${'message'}`,
      l`Срок ответа: ${'dueAt'}.`,
    ],
  },
  documents_requested: {
    subject: first(l`Обращение ${'registrationNumber'}: нужны документы`, l`По обращению нужны документы`),
    body: [
      first(
        l`Для рассмотрения вашего обращения ${'registrationNumber'} необходимо представить дополнительные документы или сведения.`,
        l`Для рассмотрения вашего обращения необходимо представить дополнительные документы или сведения.`,
      ),
      l`Что нужно: ${'message'}`,
      l`Причина: ${'reason'}.`,
      l`Срок представления: ${'respondBy'}. До этого срок рассмотрения приостановлен.`,
      l`Запросил: ${'organisationName'}.`,
    ],
  },
  term_extended: {
    subject: first(l`Обращение ${'registrationNumber'}: срок продлён`, l`Срок рассмотрения обращения продлён`),
    body: [
      first(l`Срок рассмотрения вашего обращения ${'registrationNumber'} продлён.`, l`Срок рассмотрения вашего обращения продлён.`),
      l`Новый срок: ${'dueAt'}.`,
      l`Основание: ${'reason'}.`,
      l`Орган: ${'organisationName'}.`,
    ],
  },
  hearing_notice: {
    subject: first(l`Обращение ${'registrationNumber'}: заслушивание`, l`Заслушивание по обращению`),
    body: [
      first(
        l`До принятия решения по вашему обращению ${'registrationNumber'} вы можете высказать своё мнение и возражения.`,
        l`До принятия решения по вашему обращению вы можете высказать своё мнение и возражения.`,
      ),
      l`Сообщение органа: ${'message'}`,
      l`Причина: ${'reason'}.`,
      l`Высказаться можно до: ${'hearingUntil'}.`,
      l`Орган: ${'organisationName'}.`,
    ],
  },
  case_answered: {
    subject: first(l`Обращение ${'registrationNumber'}: дан ответ`, l`По обращению дан ответ`),
    body: [
      first(l`По вашему обращению ${'registrationNumber'} дан ответ.`, l`По вашему обращению дан ответ.`),
      l`Результат: ${'outcome'}.`,
      l`Ответил: ${'organisationName'}.`,
      l`Ответ: ${'message'}`,
      l`Полный текст ответа — в личном кабинете. При несогласии вы можете обжаловать ответ в вышестоящий орган или в суд.`,
    ],
  },
  case_terminated: {
    subject: first(l`Обращение ${'registrationNumber'}: рассмотрение прекращено`, l`Рассмотрение обращения прекращено`),
    body: [
      first(l`Рассмотрение вашего обращения ${'registrationNumber'} прекращено.`, l`Рассмотрение вашего обращения прекращено.`),
      l`Основание: ${'terminationReason'}.`,
      l`Пояснение: ${'reason'}.`,
      l`Сообщение органа: ${'message'}`,
      l`Орган: ${'organisationName'}.`,
      l`При несогласии вы можете обжаловать это решение в вышестоящий орган или в суд.`,
    ],
  },
  silence_complaint_filed: {
    subject: first(
      l`Обращение ${'originalRegistrationNumber'}: подана жалоба на молчание`,
      l`Обращение ${'registrationNumber'}: подана жалоба на молчание`,
      l`Подана жалоба на молчание`,
    ),
    body: [
      first(
        l`На ваше обращение ${'originalRegistrationNumber'} не дан ответ в установленный срок; по закону молчание считается отказом.`,
        l`На ваше обращение ${'registrationNumber'} не дан ответ в установленный срок; по закону молчание считается отказом.`,
        l`На ваше обращение не дан ответ в установленный срок; по закону молчание считается отказом.`,
      ),
      l`С вашего согласия в вышестоящий орган подана жалоба.`,
      first(when('originalRegistrationNumber', l`Номер жалобы: ${'registrationNumber'}.`), l`Номер жалобы: ${'complaintRegistrationNumber'}.`),
      first(when('originalRegistrationNumber', l`Жалобу рассматривает: ${'organisationName'}.`), l`Жалобу рассматривает: ${'complaintOrganisationName'}.`),
      l`Срок ответа на жалобу: ${'dueAt'}.`,
    ],
  },
  complaint_registered: {
    subject: first(l`Жалоба ${'registrationNumber'} зарегистрирована`, l`Жалоба зарегистрирована`),
    body: [
      first(l`Ваша жалоба на ответ по обращению ${'originalRegistrationNumber'} зарегистрирована.`, l`Ваша жалоба на ответ зарегистрирована.`),
      l`Номер жалобы: ${'registrationNumber'}.`,
      l`Жалобу рассматривает: ${'organisationName'}.`,
      l`Срок ответа: ${'dueAt'}.`,
    ],
  },
  case_reopened: {
    subject: first(l`Рассмотрение обращения ${'registrationNumber'} возобновлено`, l`Рассмотрение обращения возобновлено`),
    body: [
      first(l`Рассмотрение вашего обращения ${'registrationNumber'} возобновлено.`, l`Рассмотрение вашего обращения возобновлено.`),
      l`Причина: ${'reason'}.`,
      l`Сообщение органа: ${'message'}`,
      l`Рассматривает: ${'organisationName'}.`,
      l`Срок ответа: ${'dueAt'}.`,
    ],
  },
  survey: {
    subject: first(l`Обращение ${'registrationNumber'}: проблема решена?`, l`Проблема решена?`),
    body: [
      first(l`Ваше обращение ${'registrationNumber'} закрыто.`, l`Ваше обращение закрыто.`),
      l`Решена ли проблема? Ваш ответ помогает проверять работу органов.`,
      first(l`Ответить: ${'trackingUrl'}`, l`Ответить можно в личном кабинете Tyndau.`),
    ],
  },
  crisis_page: {
    subject: first(l`СРОЧНО: обращение ребёнка ${'registrationNumber'}`, l`СРОЧНО: экстренное обращение ребёнка`),
    body: [
      l`Вы дежурный психолог: поступило экстренное обращение ребёнка. Свяжитесь с ребёнком немедленно.`,
      l`Номер обращения: ${'registrationNumber'}.`,
      first(l`Открыть обращение: ${'caseUrl'}`, l`Откройте обращение в системе Tyndau.`),
      l`Текст обращения в уведомлении не приводится: оно конфиденциально.`,
    ],
  },
};

const en: Record<NotificationTemplate, Text> = {
  case_registered: {
    subject: first(l`Your appeal ${'registrationNumber'} is registered`, l`Your appeal is registered`),
    body: [
      first(l`Your appeal has been registered under number ${'registrationNumber'}.`, l`Your appeal has been registered.`),
      l`Registered: ${'registeredAt'}.`,
      l`Responsible body: ${'organisationName'}.`,
      l`Answer due by: ${'dueAt'}.`,
    ],
  },
  case_redirected: {
    subject: first(l`Appeal ${'registrationNumber'} sent to the competent body`, l`Your appeal was sent to the competent body`),
    body: [
      first(l`Your appeal ${'registrationNumber'} has been sent to the body competent to consider it.`, l`Your appeal has been sent to the body competent to consider it.`),
      l`Now considered by: ${'organisationName'}.`,
      l`Previously with: ${'fromOrganisationName'}.`,
      l`Reason: ${'reason'}.`,
      l`Message from the body: ${'message'}`,
      l`Answer due by: ${'dueAt'}.`,
    ],
  },
  documents_requested: {
    subject: first(l`Appeal ${'registrationNumber'}: documents needed`, l`Documents needed for your appeal`),
    body: [
      first(
        l`To consider your appeal ${'registrationNumber'}, further documents or information are needed.`,
        l`To consider your appeal, further documents or information are needed.`,
      ),
      l`What is needed: ${'message'}`,
      l`Reason: ${'reason'}.`,
      l`Please provide them by: ${'respondBy'}. Until then the term is paused.`,
      l`Requested by: ${'organisationName'}.`,
    ],
  },
  term_extended: {
    subject: first(l`Appeal ${'registrationNumber'}: term extended`, l`The term of your appeal was extended`),
    body: [
      first(l`The term for answering your appeal ${'registrationNumber'} has been extended.`, l`The term for answering your appeal has been extended.`),
      l`New due date: ${'dueAt'}.`,
      l`Ground: ${'reason'}.`,
      l`Body: ${'organisationName'}.`,
    ],
  },
  hearing_notice: {
    subject: first(l`Appeal ${'registrationNumber'}: you are invited to be heard`, l`You are invited to be heard on your appeal`),
    body: [
      first(
        l`Before a decision on your appeal ${'registrationNumber'}, you may state your view and objections.`,
        l`Before a decision on your appeal, you may state your view and objections.`,
      ),
      l`Message from the body: ${'message'}`,
      l`Reason: ${'reason'}.`,
      l`You may respond until: ${'hearingUntil'}.`,
      l`Body: ${'organisationName'}.`,
    ],
  },
  case_answered: {
    subject: first(l`Appeal ${'registrationNumber'}: answered`, l`Your appeal was answered`),
    body: [
      first(l`Your appeal ${'registrationNumber'} has been answered.`, l`Your appeal has been answered.`),
      l`Outcome: ${'outcome'}.`,
      l`Answered by: ${'organisationName'}.`,
      l`Answer: ${'message'}`,
      l`The full answer is in your account. If you disagree, you may complain to the higher body or go to court.`,
    ],
  },
  case_terminated: {
    subject: first(l`Appeal ${'registrationNumber'}: consideration terminated`, l`Consideration of your appeal was terminated`),
    body: [
      first(l`Consideration of your appeal ${'registrationNumber'} has been terminated.`, l`Consideration of your appeal has been terminated.`),
      l`Ground: ${'terminationReason'}.`,
      l`Explanation: ${'reason'}.`,
      l`Message from the body: ${'message'}`,
      l`Body: ${'organisationName'}.`,
      l`If you disagree, you may complain to the higher body or go to court.`,
    ],
  },
  silence_complaint_filed: {
    subject: first(
      l`Appeal ${'originalRegistrationNumber'}: complaint about silence filed`,
      l`Appeal ${'registrationNumber'}: complaint about silence filed`,
      l`A complaint about silence was filed`,
    ),
    body: [
      first(
        l`Your appeal ${'originalRegistrationNumber'} was not answered within its term; by law, silence counts as a refusal.`,
        l`Your appeal ${'registrationNumber'} was not answered within its term; by law, silence counts as a refusal.`,
        l`Your appeal was not answered within its term; by law, silence counts as a refusal.`,
      ),
      l`With your consent, a complaint has been filed with the higher body.`,
      first(when('originalRegistrationNumber', l`Complaint number: ${'registrationNumber'}.`), l`Complaint number: ${'complaintRegistrationNumber'}.`),
      first(when('originalRegistrationNumber', l`Considered by: ${'organisationName'}.`), l`Considered by: ${'complaintOrganisationName'}.`),
      l`Answer to the complaint due by: ${'dueAt'}.`,
    ],
  },
  complaint_registered: {
    subject: first(l`Complaint ${'registrationNumber'} registered`, l`Your complaint is registered`),
    body: [
      first(l`Your complaint about the answer to appeal ${'originalRegistrationNumber'} has been registered.`, l`Your complaint about the answer has been registered.`),
      l`Complaint number: ${'registrationNumber'}.`,
      l`Considered by: ${'organisationName'}.`,
      l`Answer due by: ${'dueAt'}.`,
    ],
  },
  case_reopened: {
    subject: first(l`Appeal ${'registrationNumber'} reopened`, l`Your appeal was reopened`),
    body: [
      first(l`Consideration of your appeal ${'registrationNumber'} has resumed.`, l`Consideration of your appeal has resumed.`),
      l`Reason: ${'reason'}.`,
      l`Message from the body: ${'message'}`,
      l`Considered by: ${'organisationName'}.`,
      l`Answer due by: ${'dueAt'}.`,
    ],
  },
  survey: {
    subject: first(l`Appeal ${'registrationNumber'}: is the problem solved?`, l`Is the problem solved?`),
    body: [
      first(l`Your appeal ${'registrationNumber'} was closed.`, l`Your appeal was closed.`),
      l`Is the problem solved? Your answer helps to check the work of state bodies.`,
      first(l`Answer here: ${'trackingUrl'}`, l`You can answer in your Tyndau account.`),
    ],
  },
  crisis_page: {
    subject: first(l`URGENT: child case ${'registrationNumber'}`, l`URGENT: an emergency child case`),
    body: [
      l`You are the psychologist on call: a child's emergency case has come in. Contact the child at once.`,
      l`Registration number: ${'registrationNumber'}.`,
      first(l`Open the case: ${'caseUrl'}`, l`Open the case in Tyndau.`),
      l`The case's text is not given in this notice: it is confidential.`,
    ],
  },
};

const texts: Record<Language, Record<NotificationTemplate, Text>> = { kk, ru, en };

/** Longest a single fact may be in a notice; a longer one is cut (the full text is in the applicant's account). */
const MAX_FACT_CHARS = 500;

/** Known facts only: trimmed, non-empty, bounded, outcome and termination codes translated. */
function factsOf(language: Language, params: NotificationParams): Facts {
  const facts: Facts = {};
  for (const name of Object.keys(paramDescriptions) as ParamName[]) {
    const raw = params[name];
    if (typeof raw !== 'string') continue;
    // The texts end their sentences themselves: a fact's own final full stop would double it. A message and a
    // link stand last on their line, as written.
    let value = name === 'trackingUrl' || name === 'message' ? raw.trim() : raw.trim().replace(/\.+$/, '').trim();
    if (value === '') continue;
    if (value.length > MAX_FACT_CHARS) value = `${value.slice(0, MAX_FACT_CHARS - 1)}…`;
    if (name === 'outcome') value = words[language].outcomes[value] ?? value;
    if (name === 'terminationReason') value = words[language].reasons[value] ?? value;
    facts[name] = value;
  }
  return facts;
}

export const isNotificationTemplate = (value: string): value is NotificationTemplate => (notificationTemplates as readonly string[]).includes(value);

/** The subject and plain text of one notice; never throws for missing facts. */
export function render(template: NotificationTemplate, language: Language, params: NotificationParams): RenderedNotice {
  const text = texts[language][template];
  const facts = factsOf(language, params);
  const lines = text.body.map((line) => line(facts)).filter((line): line is string => line !== null);
  const track = template === 'survey' ? null : words[language].track(facts);
  if (track !== null) lines.push(track);
  lines.push('', words[language].footer);
  // A subject is one header line: no line breaks, whatever the facts hold.
  const subject = (text.subject(facts) ?? '').replace(/\s+/g, ' ').trim();
  return { subject, text: lines.join('\n') };
}
