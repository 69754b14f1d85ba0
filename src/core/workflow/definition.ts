import type { Outcome, Role, StateKind } from '../model.ts';

/** What an action needs besides the actor: checked by the engine before anything is written. */
export type ActionInput = 'reason' | 'organisation' | 'assignee' | 'outcome' | 'answer' | 'terminationReason' | 'message' | 'proof' | 'until' | 'unit';

export interface StateDefinition {
  kind: StateKind;
  /** Whether the legal clock runs in this state (paused while waiting for the applicant). */
  clock: 'runs' | 'paused' | 'stopped';
}

export interface TransitionDefinition {
  from: readonly string[];
  /** Target state; 'initial' sends the case back to the workflow's initial state (a redirect), 'same' keeps it. */
  to: string;
  /** The outcomes this action may give (all when absent). */
  outcomes?: readonly Outcome[];
  roles: readonly Role[];
  requires: readonly ActionInput[];
  /** The event type recorded, e.g. case.answered. */
  event: string;
}

/**
 * A channel's workflow, as data. Code branches on state kinds and on the names of actions,
 * never on the channel, so adding a channel means adding a definition, not changing the core.
 */
export interface WorkflowDefinition {
  channel: string;
  initial: string;
  states: Readonly<Record<string, StateDefinition>>;
  actions: Readonly<Record<string, TransitionDefinition>>;
}
