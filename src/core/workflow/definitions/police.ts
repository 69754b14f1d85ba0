import type { WorkflowDefinition } from '../definition.ts';

/**
 * 102 incident reports: received → dispatched (a unit) → on scene → resolved → closed. The first duty is
 * the dispatch (its term by urgency, data/term-policies.json); the dispatch action meets it, because it
 * takes the case out of its 'new' state. The unit sent is recorded in the event; a note to the reporter is
 * optional (an anonymous reporter reads it with the tracking code).
 */
export const policeWorkflow: WorkflowDefinition = {
  channel: 'police',
  initial: 'received',
  states: {
    received: { kind: 'new', clock: 'runs' },
    dispatched: { kind: 'open', clock: 'runs' },
    on_scene: { kind: 'open', clock: 'runs' },
    resolved: { kind: 'closed', clock: 'stopped' },
    closed: { kind: 'closed', clock: 'stopped' },
    withdrawn: { kind: 'closed', clock: 'stopped' },
  },
  actions: {
    dispatch: { from: ['received'], to: 'dispatched', roles: ['dispatcher', 'head'], requires: ['unit'], event: 'case.dispatched' },
    redirect: { from: ['received', 'dispatched'], to: 'initial', roles: ['dispatcher', 'head'], requires: ['organisation', 'reason'], event: 'case.redirected' },
    arrive: { from: ['dispatched'], to: 'on_scene', roles: ['dispatcher', 'executor', 'head'], requires: [], event: 'case.on_scene' },
    resolve: { from: ['dispatched', 'on_scene'], to: 'resolved', roles: ['dispatcher', 'executor', 'head'], requires: ['outcome', 'answer'], event: 'case.resolved' },
    close: { from: ['resolved'], to: 'closed', roles: ['controller', 'head', 'dispatcher'], requires: [], event: 'case.closed' },
    reopen: { from: ['resolved', 'closed'], to: 'dispatched', roles: ['controller', 'head'], requires: ['reason'], event: 'case.reopened' },
    withdraw: { from: ['received'], to: 'withdrawn', roles: ['applicant'], requires: [], event: 'case.withdrawn' },
  },
};
