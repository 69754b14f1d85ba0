/**
 * The on-call roster of a psychologists' service: who answers an emergency when. The head of the service
 * sets shifts for its psychologists; an emergency child case pages whoever is on call at that moment
 * (src/core/child-triage.ts).
 */
import type { OnCallRoster, OnCallShift } from './child-ports.ts';
import { DomainError } from './errors.ts';
import type { Organisation } from './model.ts';
import { canManageOnCall, canReadOnCall } from './policy.ts';
import type { Principal } from './principal.ts';
import type { Clock } from './ports.ts';

export interface OnCallDeps {
  roster: OnCallRoster;
  clock: Clock;
  organisation: (id: string) => Organisation | undefined;
}

/** Longest one shift may be: a roster of week-long shifts is a mistake, not a roster. */
export const MAX_SHIFT_HOURS = 24;

function service(deps: OnCallDeps, organisationId: string): Organisation {
  const org = deps.organisation(organisationId);
  if (!org) throw new DomainError('ERR_UNKNOWN_ORGANISATION', undefined, { organisationId });
  if (org.type !== 'psychologist_service') {
    throw new DomainError('ERR_ON_CALL_SHIFT_INVALID', 'Only a psychologists\' service keeps an on-call roster', { organisationId });
  }
  return org;
}

export async function addOnCallShift(
  deps: OnCallDeps,
  principal: Principal,
  input: { organisationId: string; userId: string; startsAt: Date; endsAt: Date },
): Promise<OnCallShift> {
  if (principal.type === 'public') throw new DomainError('ERR_UNAUTHENTICATED');
  service(deps, input.organisationId);
  if (!canManageOnCall(principal, input.organisationId)) throw new DomainError('ERR_FORBIDDEN', 'The head of the service sets its roster');
  const hours = (input.endsAt.getTime() - input.startsAt.getTime()) / 3_600_000;
  if (!(hours > 0) || hours > MAX_SHIFT_HOURS) {
    throw new DomainError('ERR_ON_CALL_SHIFT_INVALID', `A shift ends after it starts and lasts at most ${MAX_SHIFT_HOURS} hours`, { hours });
  }
  const now = deps.clock.now();
  if (input.endsAt <= now) throw new DomainError('ERR_ON_CALL_SHIFT_INVALID', 'The shift is already over');
  const role = await deps.roster.staffRole(input.userId, input.organisationId);
  if (role !== 'psychologist') {
    throw new DomainError('ERR_ON_CALL_SHIFT_INVALID', 'Only an active psychologist of the service goes on call', { userId: input.userId });
  }
  return deps.roster.addShift({ ...input, createdBy: principal.type === 'staff' ? principal.userId : null, createdAt: now });
}

export async function listOnCallShifts(deps: OnCallDeps, principal: Principal, query: { organisationId: string; from: Date; to: Date }): Promise<OnCallShift[]> {
  if (principal.type === 'public') throw new DomainError('ERR_UNAUTHENTICATED');
  service(deps, query.organisationId);
  if (!canReadOnCall(principal, query.organisationId)) throw new DomainError('ERR_FORBIDDEN');
  if (!(query.to > query.from) || query.to.getTime() - query.from.getTime() > 62 * 86_400_000) {
    throw new DomainError('ERR_VALIDATION', 'The range must run forward and span at most 62 days');
  }
  return deps.roster.shifts(query.organisationId, query.from, query.to);
}

export async function removeOnCallShift(deps: OnCallDeps, principal: Principal, id: number, organisationId: string): Promise<void> {
  if (principal.type === 'public') throw new DomainError('ERR_UNAUTHENTICATED');
  service(deps, organisationId);
  if (!canManageOnCall(principal, organisationId)) throw new DomainError('ERR_FORBIDDEN', 'The head of the service sets its roster');
  if (!(await deps.roster.removeShift(id, [organisationId]))) throw new DomainError('ERR_ON_CALL_SHIFT_NOT_FOUND', undefined, { id });
}
