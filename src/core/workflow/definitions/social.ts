import type { WorkflowDefinition } from '../definition.ts';

/** A social-network post adopted by an operator becomes a case worked like a city request. */
export const socialWorkflow: WorkflowDefinition = {
  channel: 'social',
  initial: 'registered',
  states: {
    registered: { kind: 'new', clock: 'runs' },
    in_work: { kind: 'open', clock: 'runs' },
    answered: { kind: 'closed', clock: 'stopped' },
    closed: { kind: 'closed', clock: 'stopped' },
    dismissed: { kind: 'closed', clock: 'stopped' },
  },
  actions: {
    take_into_work: { from: ['registered'], to: 'in_work', roles: ['registrar', 'executor', 'head'], requires: [], event: 'case.taken_into_work' },
    redirect: { from: ['registered', 'in_work'], to: 'initial', roles: ['registrar', 'head'], requires: ['organisation', 'reason'], event: 'case.redirected' },
    answer: { from: ['in_work'], to: 'answered', roles: ['executor', 'head'], requires: ['outcome', 'answer'], event: 'case.answered' },
    close: { from: ['answered'], to: 'closed', roles: ['controller', 'head'], requires: [], event: 'case.closed' },
    reopen: { from: ['answered', 'closed'], to: 'in_work', roles: ['controller', 'head'], requires: ['reason'], event: 'case.reopened' },
    dismiss: { from: ['registered'], to: 'dismissed', roles: ['registrar', 'head'], requires: ['reason'], event: 'case.dismissed' },
  },
};
