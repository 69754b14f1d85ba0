/** Wires the child door's ports (schools, reports, on-call roster, chat tickets) to their adapters. */
import type { Config } from '../config/index.ts';
import type { ChildDeps } from '../core/child-deps.ts';
import type { ReadDeps } from '../core/case-access.ts';
import type { WorkDeps } from '../core/case-work.ts';
import type { IntakeDeps } from '../core/intake.ts';
import type { BusinessCalendar } from '../core/sla/calendar.ts';
import { createChatTickets, createOnCallRoster } from '../storage/child-store.ts';
import type { Db } from '../storage/db.ts';
import type { ReferenceCatalog } from '../storage/reference-store.ts';
import { createChildReports, createSchoolDirectory } from '../storage/school-store.ts';

export function createChildDeps(
  config: Config,
  db: Db,
  parts: { reference: ReferenceCatalog; calendar: BusinessCalendar; intake: IntakeDeps; work: WorkDeps; read: ReadDeps },
): ChildDeps {
  const { reference, intake, work, read } = parts;
  const schools = createSchoolDirectory(db);
  const reports = createChildReports(db);
  const roster = createOnCallRoster(db);
  const base = config.PUBLIC_BASE_URL.replace(/\/+$/, '');
  const cities = [...new Set(reference.organisations.filter((o) => o.type === 'psychologist_service' && o.city).map((o) => o.city!))].sort();
  return {
    schools,
    childFormUrl: (code) => `${base}/child?school=${encodeURIComponent(code)}`,
    heartbeatMs: config.CHILD_CHAT_HEARTBEAT_MS,
    intake: {
      intake,
      schools,
      reports,
      roster,
      clock: intake.clock,
      cities,
      caseUrl: (caseId) => `${base}/api/v1/cases/${caseId}`,
      // Intake's own writes join this transaction (src/storage/db.ts: ambient transactions).
      atomically: (fn) => db.transaction(() => fn()),
    },
    chat: { work, read, tickets: createChatTickets(db), roster, subtree: reference.subtree, ticketTtlSeconds: config.CHILD_CHAT_TICKET_TTL_SECONDS },
    onCall: { roster, clock: intake.clock, organisation: (id) => reference.organisation(id) },
    statistics: { schools, reports, organisations: () => reference.organisations, utcOffsetMinutes: parts.calendar.utcOffsetMinutes },
  };
}
