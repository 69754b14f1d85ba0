import { describe, expect, it } from 'vitest';
import { languages, type Language } from '../../src/core/model.ts';
import { notificationTemplates, type NotificationTemplate } from '../../src/core/notifications.ts';
import { isNotificationTemplate, paramDescriptions, render, templateParams, type ParamName, type TemplateParams } from '../../src/notify/templates.ts';

/** A plausible value for every documented fact; each is distinct so that its presence can be checked. */
const sample: Record<ParamName, string> = {
  registrationNumber: 'ЖТ-2026-00000742',
  organisationName: 'Управление социальной защиты города Астаны',
  registeredAt: '2026-11-25 10:00',
  fromOrganisationName: 'Акимат района Есиль',
  dueAt: '2026-12-17 18:00',
  reason: 'Требуется выезд на место',
  message: 'Приложите копию удостоверения личности.',
  respondBy: '2026-12-02 18:00',
  hearingUntil: '2026-12-04 18:00',
  outcome: 'satisfied',
  terminationReason: 'withdrawn_by_applicant',
  originalRegistrationNumber: 'ЖТ-2026-00000500',
  complaintRegistrationNumber: 'ЖТ-2026-00000999',
  complaintOrganisationName: 'Акимат города Астаны',
  trackingUrl: 'https://tyndau.example.kz/track/ABCD',
  caseUrl: 'https://tyndau.example.kz/api/v1/cases/6f1c2d3e-0000-4000-8000-000000000001',
};

const KAZAKH_LETTERS = /[әғқңөұүһі]/i;
const CYRILLIC = /[а-яё]/i;

const paramsFor = (template: NotificationTemplate): Record<string, string> => {
  const spec = templateParams[template];
  return Object.fromEntries([...spec.required, ...spec.optional].map((p) => [p, sample[p]]));
};

/** The facts as they must appear: outcome and termination codes are translated. */
const translated: Partial<Record<ParamName, Record<Language, string>>> = {
  outcome: { kk: 'қанағаттандырылды', ru: 'удовлетворено', en: 'satisfied' },
  terminationReason: { kk: 'өтініш беруші өтінішін кері қайтарып алды', ru: 'обращение отозвано заявителем', en: 'the applicant withdrew the appeal' },
};
/** silence_complaint_filed names the complaint one of two ways (on the complaint case or on the appeal): each its own test. */
const eitherOr: Partial<Record<NotificationTemplate, ParamName[]>> = { silence_complaint_filed: ['complaintRegistrationNumber', 'complaintOrganisationName'] };

describe('notice templates', () => {
  it('document the facts of every template, and only known facts', () => {
    expect(Object.keys(templateParams).sort()).toEqual([...notificationTemplates].sort());
    for (const template of notificationTemplates) {
      const spec = templateParams[template];
      expect(spec.required, template).toContain('registrationNumber');
      for (const p of [...spec.required, ...spec.optional]) expect(Object.keys(paramDescriptions), `${template}.${p}`).toContain(p);
    }
  });

  describe.each(notificationTemplates.flatMap((template) => languages.map((language) => [template, language] as const)))('%s in %s', (template, language) => {
    it('renders every documented fact, with the registration number in the subject and the text', () => {
      const { subject, text } = render(template, language, paramsFor(template));
      expect(text).toContain(sample.registrationNumber);
      // A silence complaint's subject names the appeal that went unanswered (the original, when the notice is on the complaint).
      expect(subject).toContain(template === 'silence_complaint_filed' ? sample.originalRegistrationNumber : sample.registrationNumber);
      expect(subject).not.toMatch(/\n/);
      expect(subject.length).toBeLessThanOrEqual(120);
      const spec = templateParams[template];
      for (const p of [...spec.required, ...spec.optional] as ParamName[]) {
        if (eitherOr[template]?.includes(p)) continue;
        expect(`${subject}\n${text}`, p).toContain(translated[p]?.[language] ?? sample[p]);
      }
      expect(text).not.toMatch(/undefined|null|\$\{|NaN/);
    });

    it('is written in its language', () => {
      const { subject, text } = render(template, language, {});
      const own = `${subject}\n${text}`;
      if (language === 'kk') expect(own).toMatch(KAZAKH_LETTERS);
      if (language === 'ru') {
        expect(own).toMatch(CYRILLIC);
        expect(own).not.toMatch(KAZAKH_LETTERS);
      }
      if (language === 'en') expect(own).not.toMatch(CYRILLIC);
    });

    it('falls back to a neutral wording when facts are missing', () => {
      const partial: Record<string, string>[] = [{}, { registrationNumber: '  ' }, { registrationNumber: sample.registrationNumber }];
      for (const params of partial) {
        const { subject, text } = render(template, language, params);
        expect(subject.trim().length).toBeGreaterThan(3);
        expect(text.trim().length).toBeGreaterThan(20);
        expect(`${subject}${text}`).not.toMatch(/undefined|null|\$\{|:\s*\.|:\s*$/m);
      }
    });
  });

  it('translates outcome and termination reason codes, and keeps free text as it is', () => {
    expect(render('case_answered', 'ru', { registrationNumber: 'X-1', outcome: 'refused' }).text).toContain('Результат: отказано.');
    expect(render('case_answered', 'kk', { registrationNumber: 'X-1', outcome: 'explained' }).text).toContain('Нәтижесі: түсіндірілді.');
    expect(render('case_terminated', 'en', { registrationNumber: 'X-1', terminationReason: 'court_act_exists' }).text).toContain('Ground: a court act in force exists on the matter.');
    expect(render('case_terminated', 'ru', { registrationNumber: 'X-1', terminationReason: 'особое основание', reason: 'withdrawn_by_applicant' }).text).toMatch(
      /Основание: особое основание\.\nПояснение: withdrawn_by_applicant\./,
    );
    // A fact's own full stop is not doubled; a message keeps its punctuation.
    expect(render('term_extended', 'ru', { registrationNumber: 'X-1', reason: 'Нужна экспертиза.' }).text).toContain('Основание: Нужна экспертиза.\n');
    expect(render('case_answered', 'en', { registrationNumber: 'X-1', message: 'Fixed?! Yes.' }).text).toContain('Answer: Fixed?! Yes.\n');
  });

  it('names a silence complaint right whichever case the notice is on', () => {
    const onComplaint = render('silence_complaint_filed', 'ru', { registrationNumber: 'ЖТ-2027-00000002', originalRegistrationNumber: 'ЖТ-2026-00000001', organisationName: 'Акимат города Астаны' });
    expect(onComplaint.subject).toBe('Обращение ЖТ-2026-00000001: подана жалоба на молчание');
    expect(onComplaint.text).toContain('На ваше обращение ЖТ-2026-00000001 не дан ответ');
    expect(onComplaint.text).toContain('Номер жалобы: ЖТ-2027-00000002.\nЖалобу рассматривает: Акимат города Астаны.');
    const onAppeal = render('silence_complaint_filed', 'en', {
      registrationNumber: 'ЖТ-2026-00000001',
      organisationName: 'Social department',
      complaintRegistrationNumber: 'ЖТ-2027-00000002',
      complaintOrganisationName: 'Astana akimat',
    });
    expect(onAppeal.subject).toBe('Appeal ЖТ-2026-00000001: complaint about silence filed');
    expect(onAppeal.text).toContain('Complaint number: ЖТ-2027-00000002.\nConsidered by: Astana akimat.');
    expect(onAppeal.text).not.toContain('Social department');
  });

  it('renders the facts the core writes for a step (src/core/notices.ts)', () => {
    // complaint_registered is written on the complaint case: its own number, the answered case's as the original.
    const complaint = render('complaint_registered', 'kk', { registrationNumber: 'ЖТ-2027-00000002', originalRegistrationNumber: 'ЖТ-2026-00000001', organisationName: 'Астана қаласының әкімдігі', dueAt: '2027-01-20 18:00' });
    expect(complaint.subject).toBe('ЖТ-2027-00000002 нөмірлі шағым тіркелді');
    expect(complaint.text).toContain('ЖТ-2026-00000001 нөмірлі өтінішке берілген жауапқа шағымыңыз тіркелді.');
    const hearing = render('hearing_notice', 'en', { registrationNumber: 'X-1', organisationName: 'Body', hearingUntil: '2026-12-04 18:00', message: 'We intend to refuse.' });
    expect(hearing.text).toContain('Message from the body: We intend to refuse.\nYou may respond until: 2026-12-04 18:00.');
    const documents = render('documents_requested', 'ru', { registrationNumber: 'X-1', organisationName: 'Орган', respondBy: '2026-12-02 18:00', message: 'Приложите справку.' });
    expect(documents.text).toContain('Что нужно: Приложите справку.\nСрок представления: 2026-12-02 18:00.');
  });

  it('keeps the subject on one line and cuts an overlong fact', () => {
    const { subject, text } = render('case_registered', 'en', { registrationNumber: 'A-1\r\nBcc: someone@example.kz', organisationName: 'x'.repeat(5000) });
    expect(subject).not.toMatch(/[\r\n]/);
    expect(text.length).toBeLessThan(1500);
    expect(text).toContain('…');
  });

  it('shows the tracking link when there is one', () => {
    expect(render('case_answered', 'en', { registrationNumber: 'X-1', trackingUrl: 'https://t.example/1' }).text).toContain('Follow your appeal: https://t.example/1');
    expect(render('survey', 'kk', { registrationNumber: 'X-1', trackingUrl: 'https://t.example/s' }).text).toContain('Жауап беру: https://t.example/s');
    expect(render('survey', 'ru', { registrationNumber: 'X-1' }).text).toContain('Ответить можно в личном кабинете Tyndau.');
  });

  it('knows its template names', () => {
    expect(isNotificationTemplate('term_extended')).toBe(true);
    expect(isNotificationTemplate('no_such_template')).toBe(false);
  });

  it('types the facts of each template', () => {
    const extension: TemplateParams<'term_extended'> = { registrationNumber: 'X-1', dueAt: '01.02.2027 18:00', reason: 'экспертиза' };
    // @ts-expect-error a required fact is missing
    const incomplete: TemplateParams<'term_extended'> = { registrationNumber: 'X-1' };
    expect(render('term_extended', 'ru', extension).text).toContain('Новый срок: 01.02.2027 18:00.');
    expect(incomplete).toBeDefined();
  });
});
