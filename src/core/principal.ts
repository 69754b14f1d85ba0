import type { StaffRole } from './model.ts';

/** Who is acting: decided once per request by the auth plugin, then passed to every command. */
export type Principal =
  | { type: 'public' }
  | { type: 'citizen'; userId: string }
  /** Holder of an anonymous case's secret tracking code: the code is the only key, to that case only. */
  | { type: 'tracking'; caseId: string }
  | StaffPrincipal;

export interface StaffPrincipal {
  type: 'staff' | 'machine';
  /** The user, or for a machine client the API key's id. */
  userId: string;
  role: StaffRole;
  organisationId: string;
  /** Organisations whose cases this principal may see: its own, plus descendants where the role says so. */
  scope: ReadonlySet<string>;
}

export const isStaff = (p: Principal): p is StaffPrincipal => p.type === 'staff' || p.type === 'machine';

/** The id written as the actor of an event. */
export function actorOf(p: Principal): { actorId: string | null; actorRole: string } {
  switch (p.type) {
    case 'public':
      return { actorId: null, actorRole: 'public' };
    case 'citizen':
      return { actorId: p.userId, actorRole: 'applicant' };
    case 'tracking':
      return { actorId: null, actorRole: 'applicant' };
    default:
      return { actorId: p.type === 'staff' ? p.userId : null, actorRole: p.type === 'machine' ? `machine:${p.role}` : p.role };
  }
}
