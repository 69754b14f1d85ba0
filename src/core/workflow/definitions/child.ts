import type { WorkflowDefinition } from '../definition.ts';

/** Bala Qorgau: a psychologist makes first contact, talks with the child, and closes when help is given. */
export const childWorkflow: WorkflowDefinition = {
  channel: 'child',
  initial: 'received',
  states: {
    received: { kind: 'new', clock: 'runs' },
    in_contact: { kind: 'open', clock: 'runs' },
    awaiting_applicant: { kind: 'waiting', clock: 'paused' },
    resolved: { kind: 'closed', clock: 'stopped' },
    closed: { kind: 'closed', clock: 'stopped' },
  },
  actions: {
    first_contact: { from: ['received'], to: 'in_contact', roles: ['psychologist', 'head'], requires: ['message'], event: 'case.first_contact' },
    redirect: { from: ['received', 'in_contact'], to: 'initial', roles: ['psychologist', 'head'], requires: ['organisation', 'reason'], event: 'case.redirected' },
    await_reply: { from: ['in_contact'], to: 'awaiting_applicant', roles: ['psychologist'], requires: [], event: 'case.awaiting_applicant' },
    reply: { from: ['awaiting_applicant'], to: 'in_contact', roles: ['applicant'], requires: ['message'], event: 'case.applicant_replied' },
    resolve: { from: ['in_contact', 'awaiting_applicant'], to: 'resolved', roles: ['psychologist', 'head'], requires: ['outcome', 'answer'], event: 'case.resolved' },
    close: { from: ['resolved'], to: 'closed', roles: ['psychologist', 'head'], requires: [], event: 'case.closed' },
    reopen: { from: ['resolved', 'closed'], to: 'in_contact', roles: ['psychologist', 'head', 'applicant'], requires: ['reason'], event: 'case.reopened' },
  },
};
