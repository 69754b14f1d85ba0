import { DomainError } from '../errors.ts';
import type { CaseRecord, Outcome, Role, StateKind } from '../model.ts';
import type { ActionInput, WorkflowDefinition } from './definition.ts';

export interface ActionRequest {
  action: string;
  role: Role;
  /** The inputs actually supplied with the action. */
  supplied: ReadonlySet<ActionInput>;
  outcome?: Outcome | undefined;
}

export interface ActionResult {
  toState: string;
  toKind: StateKind;
  event: string;
}

/** Decides whether an action may be taken, and where it leads. Pure: the caller writes the result. */
export function planAction(workflow: WorkflowDefinition, current: Pick<CaseRecord, 'state'>, request: ActionRequest): ActionResult {
  // Own keys only: a name such as "constructor" or "__proto__" must not find Object.prototype's members.
  const action = Object.hasOwn(workflow.actions, request.action) ? workflow.actions[request.action] : undefined;
  if (!action) {
    throw new DomainError('ERR_ACTION_UNKNOWN', undefined, { action: request.action, available: Object.keys(workflow.actions) });
  }
  if (!action.from.includes(current.state)) {
    throw new DomainError('ERR_ACTION_NOT_ALLOWED_IN_STATE', undefined, { action: request.action, state: current.state, allowedFrom: action.from });
  }
  if (!action.roles.includes(request.role)) {
    throw new DomainError('ERR_ACTION_NOT_ALLOWED_FOR_ROLE', undefined, { action: request.action, role: request.role, roles: action.roles });
  }
  const missing = action.requires.filter((input) => !request.supplied.has(input));
  // Proof has its own code: closing a city case without it is the failure citizens complain of most.
  if (missing.includes('proof')) throw new DomainError('ERR_PROOF_REQUIRED', undefined, { action: request.action });
  if (missing.length > 0) throw new DomainError('ERR_ACTION_INPUT', undefined, { action: request.action, missing });
  if (action.outcomes && request.outcome && !action.outcomes.includes(request.outcome)) {
    throw new DomainError('ERR_OUTCOME_NOT_ALLOWED', undefined, { action: request.action, outcome: request.outcome, allowed: action.outcomes });
  }
  const toState = action.to === 'initial' ? workflow.initial : action.to === 'same' ? current.state : action.to;
  const state = workflow.states[toState];
  if (!state) throw new Error(`Workflow ${workflow.channel}: action ${request.action} leads to unknown state ${toState}`);
  return { toState, toKind: state.kind, event: action.event };
}

/** The actions a role could take now: what a client shows as buttons. */
export function availableActions(workflow: WorkflowDefinition, state: string, role: Role): string[] {
  return Object.entries(workflow.actions)
    .filter(([, a]) => a.from.includes(state) && a.roles.includes(role))
    .map(([name]) => name);
}

export function stateKindOf(workflow: WorkflowDefinition, state: string): StateKind {
  const def = Object.hasOwn(workflow.states, state) ? workflow.states[state] : undefined;
  if (!def) throw new Error(`Workflow ${workflow.channel} has no state ${state}`);
  return def.kind;
}
