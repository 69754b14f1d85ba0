/**
 * What the child channel (Bala Qorgau) needs from outside, beside the case core's ports: the schools, the
 * link of a report to its school, the on-call roster, chat tickets and the per-school counts. Implemented
 * in src/storage/school-store.ts and src/storage/child-store.ts.
 */
import type { Language, StaffRole } from './model.ts';

export interface School {
  /** Stable, printed on the school's QR plate, e.g. AST-012. */
  code: string;
  city: string;
  districtId: string;
  names: Record<Language, string>;
}

export interface SchoolDirectory {
  /** The school with this code (case-insensitive), or null. */
  find(code: string): Promise<School | null>;
  list(city?: string): Promise<School[]>;
}

export interface ChildReports {
  /** Records the school a child case came from; doing it twice for one case changes nothing. */
  link(caseId: string, schoolCode: string | null, at: Date): Promise<void>;
  /** Child cases per school × category received in [from, to), for the schools of one city. */
  countsBySchool(input: { city: string; from: Date; to: Date }): Promise<{ schoolCode: string; category: string; cases: number }[]>;
}

export interface OnCallShift {
  id: number;
  organisationId: string;
  userId: string;
  startsAt: Date;
  endsAt: Date;
}

/** An on-call psychologist as the pager needs them: who, and the language their page is written in. */
export interface OnCallPerson {
  userId: string;
  language: Language;
  /** The shift they are on (null for a head paged because nobody was on call). */
  shiftId: number | null;
}

export interface OnCallRoster {
  /** Active psychologists of the organisation whose shift covers `at`, earliest shift first. */
  onDuty(organisationId: string, at: Date): Promise<OnCallPerson[]>;
  /** Active heads of the organisation: paged when nobody is on call. */
  heads(organisationId: string): Promise<OnCallPerson[]>;
  /** The user's role in exactly this organisation, when active staff there. */
  staffRole(userId: string, organisationId: string): Promise<StaffRole | null>;
  addShift(shift: Omit<OnCallShift, 'id'> & { createdBy: string | null; createdAt: Date }): Promise<OnCallShift>;
  /** Shifts of the organisation that overlap [from, to). */
  shifts(organisationId: string, from: Date, to: Date): Promise<OnCallShift[]>;
  /** Removes a shift of one of these organisations; false when there is none. */
  removeShift(id: number, organisations: readonly string[]): Promise<boolean>;
}

/** Who a ticket stands for: enough to rebuild the principal when the stream opens. */
export type TicketHolder =
  | { type: 'tracking'; caseId: string }
  | { type: 'citizen'; userId: string }
  | { type: 'staff'; userId: string; role: StaffRole; organisationId: string };

export interface ChatTickets {
  save(ticket: { hash: string; caseId: string; holder: TicketHolder; expiresAt: Date; createdAt: Date }): Promise<void>;
  /** Marks an unused, unexpired ticket of this case used and returns its holder; null otherwise (never twice). */
  redeem(hash: string, caseId: string, at: Date): Promise<TicketHolder | null>;
}
