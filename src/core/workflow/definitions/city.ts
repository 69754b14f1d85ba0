import type { WorkflowDefinition } from '../definition.ts';

/**
 * 109 city requests: most are resolved on the first contact; the rest go to the organisation that fixes
 * them, and close only with proof. The applicant may say "not fixed" for a week after.
 */
export const cityWorkflow: WorkflowDefinition = {
  channel: 'city',
  initial: 'received',
  states: {
    received: { kind: 'new', clock: 'runs' },
    in_work: { kind: 'open', clock: 'runs' },
    awaiting_applicant: { kind: 'waiting', clock: 'paused' },
    resolved: { kind: 'closed', clock: 'stopped' },
    closed: { kind: 'closed', clock: 'stopped' },
    withdrawn: { kind: 'closed', clock: 'stopped' },
  },
  actions: {
    // On the first contact the operator explains or refuses; a fix on the ground is resolved with proof.
    resolve_on_first_contact: {
      from: ['received'],
      to: 'resolved',
      roles: ['dispatcher', 'registrar'],
      requires: ['outcome', 'answer'],
      outcomes: ['explained', 'refused'],
      event: 'case.resolved_on_first_contact',
    },
    take_into_work: { from: ['received'], to: 'in_work', roles: ['dispatcher', 'executor', 'head'], requires: [], event: 'case.taken_into_work' },
    redirect: { from: ['received', 'in_work'], to: 'initial', roles: ['dispatcher', 'registrar', 'head'], requires: ['organisation', 'reason'], event: 'case.redirected' },
    request_documents: { from: ['in_work'], to: 'awaiting_applicant', roles: ['executor', 'dispatcher'], requires: ['message'], event: 'case.documents_requested' },
    provide_documents: { from: ['awaiting_applicant'], to: 'in_work', roles: ['applicant'], requires: ['message'], event: 'case.brought_into_compliance' },
    resolve: { from: ['in_work'], to: 'resolved', roles: ['executor', 'dispatcher', 'head'], requires: ['outcome', 'answer', 'proof'], event: 'case.resolved' },
    close: { from: ['resolved'], to: 'closed', roles: ['controller', 'head', 'applicant'], requires: [], event: 'case.closed' },
    reopen: { from: ['resolved', 'closed'], to: 'in_work', roles: ['controller', 'head'], requires: ['reason'], event: 'case.reopened' },
    // The applicant's "not fixed", within the days the procedure gives; the case goes back to the controller.
    report_not_fixed: { from: ['resolved', 'closed'], to: 'in_work', roles: ['applicant'], requires: ['reason'], event: 'case.reported_not_fixed' },
    withdraw: { from: ['received', 'in_work', 'awaiting_applicant'], to: 'withdrawn', roles: ['applicant'], requires: [], event: 'case.withdrawn' },
  },
};
