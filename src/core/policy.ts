import type { CaseRecord, Role, StaffRole } from './model.ts';
import { isStaff, type Principal, type StaffPrincipal } from './principal.ts';

/**
 * Access decisions, all in one place (tested as a matrix in test/core/policy.test.ts).
 * Least privilege: staff see their organisation's cases, and its children's only for supervising roles;
 * confidential cases (child, domestic and sexual violence) only their assignee and the head of the
 * responsible organisation; applicants only their own.
 */

/** Roles that supervise the organisations below their own. */
const SUBTREE_ROLES: ReadonlySet<StaffRole> = new Set(['head', 'controller', 'analyst', 'admin']);
/** Roles that only look: they never change a case or write in its dialog. */
const READ_ONLY_ROLES: ReadonlySet<StaffRole> = new Set(['analyst']);

export const seesSubtree = (role: StaffRole): boolean => SUBTREE_ROLES.has(role);

function readsConfidential(p: StaffPrincipal, c: Pick<CaseRecord, 'assigneeId' | 'organisationId'>): boolean {
  if (p.type !== 'staff') return false;
  return c.assigneeId === p.userId || (p.role === 'head' && p.organisationId === c.organisationId);
}

export function canReadCase(p: Principal, c: Pick<CaseRecord, 'id' | 'applicantId' | 'confidential' | 'assigneeId' | 'organisationId'>): boolean {
  switch (p.type) {
    case 'public':
      return false;
    case 'citizen':
      return c.applicantId === p.userId;
    case 'tracking':
      return c.id === p.caseId;
    default:
      return c.confidential ? readsConfidential(p, c) : p.scope.has(c.organisationId);
  }
}

/** Changing a case (workflow actions, assignment, dialog) also needs the case to be in reach. */
export function canWorkOnCase(p: Principal, c: CaseRecord): boolean {
  if (!canReadCase(p, c)) return false;
  if (!isStaff(p)) return true;
  if (READ_ONLY_ROLES.has(p.role)) return false;
  return c.organisationId === p.organisationId || seesSubtree(p.role);
}

export const canReadInternalNotes = (p: Principal): boolean => isStaff(p);

export const canWriteInternalNote = (p: Principal, c: CaseRecord): boolean => isStaff(p) && canWorkOnCase(p, c);

/** The role the workflow checks: citizens and tracking-code holders act as the applicant. */
export function workflowRole(p: Principal): Role | null {
  if (p.type === 'public') return null;
  if (p.type === 'citizen' || p.type === 'tracking') return 'applicant';
  return p.role;
}

export function canAssign(p: Principal, c: CaseRecord): boolean {
  return isStaff(p) && canWorkOnCase(p, c) && (p.role === 'head' || p.role === 'registrar' || p.role === 'dispatcher');
}

/** Who may register a case for somebody else (a walk-in at a public service centre, an import). */
export const canRegisterOnBehalf = (p: Principal): boolean =>
  isStaff(p) && (p.role === 'registrar' || p.role === 'dispatcher' || p.role === 'admin');

export const canAdminister = (p: Principal): boolean => isStaff(p) && p.type === 'staff' && p.role === 'admin';

/** Who may mark days off and working days in the business calendar: an admin signed in as a person (events name them). */
export const canManageCalendar = (p: Principal): boolean => p.type === 'staff' && p.role === 'admin';

/** Clock statistics of an organisation: its supervisors (head, controller, analyst, admin) within their reach. */
export const canReadStatistics = (p: Principal, organisationId: string): boolean =>
  isStaff(p) && seesSubtree(p.role) && p.scope.has(organisationId);

/** Per-school child statistics (cells under 5 suppressed): analysts and heads whose reach covers one of these psychologists' services. */
export const canReadSchoolStatistics = (p: Principal, services: readonly string[]): boolean =>
  isStaff(p) && (p.role === 'analyst' || p.role === 'head') && services.some((o) => p.scope.has(o));

/** The on-call roster of a psychologists' service: its head (or an admin within reach) sets it, signed in as a person. */
export const canManageOnCall = (p: Principal, organisationId: string): boolean =>
  p.type === 'staff' && ((p.role === 'head' && p.organisationId === organisationId) || (p.role === 'admin' && p.scope.has(organisationId)));

/** Its own staff read the roster too: a psychologist sees when they are on call. */
export const canReadOnCall = (p: Principal, organisationId: string): boolean =>
  canManageOnCall(p, organisationId) || (p.type === 'staff' && p.organisationId === organisationId);

/** Roles that work a dispatch board (102/109): everyone who takes, dispatches or supervises its cases. */
const BOARD_ROLES: ReadonlySet<StaffRole> = new Set(['dispatcher', 'registrar', 'head', 'executor', 'controller', 'admin']);

/** The live dispatch board of an organisation: its working roles, within their reach. */
export const canReadBoard = (p: Principal, organisationId: string): boolean => isStaff(p) && BOARD_ROLES.has(p.role) && p.scope.has(organisationId);

/** One board row: the case read rule (a confidential case only for its assignee and the head), applied to the row. */
export const canReadBoardRow = (p: StaffPrincipal, row: Pick<CaseRecord, 'id' | 'confidential' | 'assigneeId' | 'organisationId'>): boolean =>
  canReadCase(p, { ...row, applicantId: null });

/** A list query's reach, as data: storage turns it into a WHERE clause. */
export type ListScope =
  | { type: 'none' }
  | { type: 'applicant'; applicantId: string }
  | { type: 'case'; caseId: string }
  | { type: 'staff'; organisations: readonly string[]; confidentialAssignee: string | null; confidentialHeadOf: string | null };

export function listScopeFor(p: Principal): ListScope {
  switch (p.type) {
    case 'public':
      return { type: 'none' };
    case 'citizen':
      return { type: 'applicant', applicantId: p.userId };
    case 'tracking':
      return { type: 'case', caseId: p.caseId };
    default:
      return {
        type: 'staff',
        organisations: [...p.scope],
        confidentialAssignee: p.type === 'staff' ? p.userId : null,
        confidentialHeadOf: p.type === 'staff' && p.role === 'head' ? p.organisationId : null,
      };
  }
}
