import type { WorkflowDefinition } from '../definition.ts';

/**
 * e-Otinish appeals (APPC 2021): registered → in work → answered → closed, with redirect to the
 * competent body, extension by the head, a request for documents (clock paused), a hearing notice before
 * an adverse answer, withdrawal by the applicant and termination on a legal ground.
 */
export const appealWorkflow: WorkflowDefinition = {
  channel: 'appeal',
  initial: 'registered',
  states: {
    registered: { kind: 'new', clock: 'runs' },
    in_work: { kind: 'open', clock: 'runs' },
    awaiting_applicant: { kind: 'waiting', clock: 'paused' },
    answered: { kind: 'closed', clock: 'stopped' },
    closed: { kind: 'closed', clock: 'stopped' },
    withdrawn: { kind: 'closed', clock: 'stopped' },
    terminated: { kind: 'closed', clock: 'stopped' },
  },
  actions: {
    take_into_work: { from: ['registered'], to: 'in_work', roles: ['head', 'executor', 'registrar'], requires: [], event: 'case.taken_into_work' },
    redirect: { from: ['registered', 'in_work'], to: 'initial', roles: ['registrar', 'head'], requires: ['organisation', 'reason'], event: 'case.redirected' },
    extend: { from: ['registered', 'in_work'], to: 'same', roles: ['head'], requires: ['reason', 'until'], event: 'case.term_extended' },
    notify_hearing: { from: ['in_work'], to: 'same', roles: ['executor', 'head'], requires: ['message'], event: 'case.hearing_notified' },
    request_documents: { from: ['in_work'], to: 'awaiting_applicant', roles: ['executor', 'head'], requires: ['message'], event: 'case.documents_requested' },
    provide_documents: { from: ['awaiting_applicant'], to: 'in_work', roles: ['applicant'], requires: ['message'], event: 'case.brought_into_compliance' },
    answer: { from: ['in_work'], to: 'answered', roles: ['executor', 'head'], requires: ['outcome', 'answer'], event: 'case.answered' },
    close: { from: ['answered'], to: 'closed', roles: ['controller', 'head', 'applicant'], requires: [], event: 'case.closed' },
    reopen: { from: ['answered', 'closed'], to: 'in_work', roles: ['controller', 'head'], requires: ['reason'], event: 'case.reopened' },
    withdraw: { from: ['registered', 'in_work', 'awaiting_applicant'], to: 'withdrawn', roles: ['applicant'], requires: [], event: 'case.withdrawn' },
    terminate: { from: ['registered', 'in_work', 'awaiting_applicant'], to: 'terminated', roles: ['head'], requires: ['terminationReason'], event: 'case.terminated' },
  },
};
