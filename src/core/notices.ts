/**
 * The notices the applicant gets of the steps on their case, as outbox rows: which template and which
 * facts. Dates are written in Kazakhstan time, as the law counts them.
 */
import type { CaseRecord, Language } from './model.ts';
import type { NotificationTemplate } from './notifications.ts';
import type { CaseTransaction, ReferenceData } from './ports.ts';
import type { BusinessCalendar } from './sla/calendar.ts';

/** "2026-12-04 18:00" in the calendar's zone. */
export function formatLocal(calendar: Pick<BusinessCalendar, 'utcOffsetMinutes'>, at: Date): string {
  return new Date(at.getTime() + calendar.utcOffsetMinutes * 60_000).toISOString().slice(0, 16).replace('T', ' ');
}

export interface NoticeDeps {
  calendar: BusinessCalendar;
  reference: ReferenceData;
}

export const organisationName = (deps: NoticeDeps, id: string, language: Language): string =>
  deps.reference.organisation(id)?.names[language] ?? id;

/**
 * Queues a notice for the case's applicant (none for an anonymous case: nobody to reach). Returns whether
 * one was queued, so a duty that depends on telling the applicant knows whether it can be met.
 */
export async function noticeToApplicant(
  deps: NoticeDeps,
  tx: CaseTransaction,
  record: CaseRecord,
  template: NotificationTemplate,
  facts: Record<string, string | Date | null | undefined>,
  at: Date,
  options: { fulfilsDeadlineId?: number; notBefore?: Date } = {},
): Promise<boolean> {
  // A confidential case (a child, domestic violence) is never announced by SMS or e-mail: the phone may be
  // in the hands of the person it is about. The applicant follows it in the app.
  if (!record.applicantId || record.confidential) return false;
  const params: Record<string, string> = {
    registrationNumber: record.registrationNumber,
    organisationName: organisationName(deps, record.organisationId, record.language),
  };
  for (const [key, value] of Object.entries(facts)) {
    if (value === null || value === undefined) continue;
    params[key] = value instanceof Date ? formatLocal(deps.calendar, value) : value;
  }
  await tx.enqueueNotification(
    {
      caseId: record.id,
      recipientId: record.applicantId,
      template,
      language: record.language,
      params,
      fulfilsDeadlineId: options.fulfilsDeadlineId ?? null,
      notBefore: options.notBefore ?? at,
    },
    at,
  );
  return true;
}
