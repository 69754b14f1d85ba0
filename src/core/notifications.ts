/**
 * What the applicant must hear of, as data the core hands to the outbox inside the transaction of the step
 * itself: the notice commits with the step or not at all. Rendering (kk, ru, en) and delivery are the
 * outbox's job (src/notify/); the core only says which notice, to whom and with which facts.
 */
import type { Language } from './model.ts';

export const notificationTemplates = [
  /** The receipt: registration number, date and time, and the answer term. */
  'case_registered',
  /** Sent to the competent body (within 3 working days of registration); params: organisation names. */
  'case_redirected',
  /** Incomplete appeal: what is missing and the date by which to add it. */
  'documents_requested',
  /** The head extended the term: the new due date and the reason. Delivering it fulfils notify_extension. */
  'term_extended',
  /** Before an adverse decision: the preliminary decision and the date until which to comment. */
  'hearing_notice',
  /** The answer (or resolution) with its outcome. */
  'case_answered',
  'case_terminated',
  /** The term expired with no answer; a complaint was filed to the higher body for the applicant. */
  'silence_complaint_filed',
  /** A complaint the applicant filed about an answer was registered with the higher body. */
  'complaint_registered',
  'case_reopened',
  /** "Is it fixed?", four weeks after a city case was closed. */
  'survey',
  /**
   * To staff, not the applicant: an emergency child case pages the on-call crisis psychologist. Only the
   * registration number and a link, never the case's text (the confidential rule).
   */
  'crisis_page',
] as const;
export type NotificationTemplate = (typeof notificationTemplates)[number];

/** Notices to staff, not to the applicant: their delivery is recorded as case.staff_paged, kept out of the applicant's timeline. */
export const staffNoticeTemplates: ReadonlySet<string> = new Set<NotificationTemplate>(['crisis_page']);

/** Facts a template may use; all strings, already formatted where a format is the law's (dates in Kazakhstan time). */
export type NotificationParams = Readonly<Record<string, string>>;

export interface NewNotification {
  caseId: string;
  /** The user (citizen) to tell; anonymous cases have none and get no notices. For crisis_page: the staff member paged. */
  recipientId: string;
  template: NotificationTemplate;
  language: Language;
  params: NotificationParams;
  /** A deadline this notice fulfils once delivered (the extension notice fulfils notify_extension). */
  fulfilsDeadlineId: number | null;
  /** Not sent before this instant (the four-week survey is scheduled this way). */
  notBefore: Date;
}
