import type { Channel, Outcome, StateKind } from '../../core/model.ts';
import type { WorkflowDefinition } from '../../core/workflow/definition.ts';
import { workflows } from '../../core/workflow/registry.ts';

/** GeoReport v2 knows two statuses: a case is closed when its workflow state is of the kind `closed`. */
export const requestStatus = (kind: StateKind): 'open' | 'closed' => (kind === 'closed' ? 'closed' : 'open');

/** FixMyStreet's extended statuses (mySociety's servicerequestupdates), lower case on GET, upper case on POST. */
export const extendedStatuses = [
  'open',
  'closed',
  'fixed',
  'in_progress',
  'action_scheduled',
  'investigating',
  'duplicate',
  'not_councils_responsibility',
  'no_further_action',
  'internal_referral',
  'reopen',
  'for_triage',
] as const;
export type ExtendedStatus = (typeof extendedStatuses)[number];

const kindOf = (workflow: WorkflowDefinition, state: unknown): StateKind | null =>
  typeof state === 'string' && Object.hasOwn(workflow.states, state) ? workflow.states[state]!.kind : null;

/** One workflow step as the event log records it (payload of a step: action, fromState, toState, outcome). */
export interface StepEvent {
  channel: Channel;
  payload: Record<string, unknown>;
}

/**
 * The extended status of one step, from the state kinds it moved between, its outcome and (for a redirect)
 * its action. Decided on kinds, never on a channel's state names, so a changed workflow still maps.
 */
export function updateStatus(step: StepEvent): ExtendedStatus {
  const workflow = workflows[step.channel];
  const from = kindOf(workflow, step.payload['fromState']);
  const to = kindOf(workflow, step.payload['toState']) ?? 'open';
  const outcome = step.payload['outcome'] as Outcome | undefined;
  if (step.payload['action'] === 'redirect') return 'internal_referral';
  if (to === 'closed') return outcome === 'satisfied' ? 'fixed' : outcome === 'refused' ? 'no_further_action' : 'closed';
  if (from === 'closed') return 'reopen';
  if (to === 'new') return 'open';
  if (to === 'waiting') return 'action_scheduled';
  return 'in_progress';
}

/** A step's words when it carried no message: its target state, readable ("in_work" → "In work"). */
export function describeStep(payload: Record<string, unknown>): string {
  const state = typeof payload['toState'] === 'string' ? payload['toState'] : 'updated';
  const words = state.replace(/_/g, ' ');
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}

/**
 * What a client's update asks of the workflow, as the applicant: "open" on a closed case reopens it
 * ("not fixed"), "closed"/"fixed" on a closed case confirms it, when the workflow gives the applicant
 * such an action in this state. Anything else is a message in the dialog (null here).
 */
export function applicantStepFor(
  workflow: WorkflowDefinition,
  state: string,
  status: string,
): { action: string; input: 'reason' | 'message' } | null {
  const current = kindOf(workflow, state);
  if (current !== 'closed') return null;
  const wantsOpen = status === 'OPEN' || status === 'REOPEN';
  const wantsClosed = status === 'CLOSED' || status === 'FIXED';
  if (!wantsOpen && !wantsClosed) return null;
  for (const [name, action] of Object.entries(workflow.actions)) {
    if (!action.from.includes(state) || !action.roles.includes('applicant')) continue;
    if (action.requires.some((r) => r !== 'reason' && r !== 'message')) continue;
    const target = action.to === 'initial' ? workflow.initial : action.to === 'same' ? state : action.to;
    const closes = kindOf(workflow, target) === 'closed';
    if (closes === wantsClosed) return { action: name, input: action.requires.includes('reason') ? 'reason' : 'message' };
  }
  return null;
}
