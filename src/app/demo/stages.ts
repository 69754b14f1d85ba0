import type { Channel, StaffRole } from '../../core/model.ts';

/**
 * One step of a demo case's life: an action, who takes it, and what it needs filled in. Besides the
 * workflow's actions, 'rate' and 'complain' are the applicant's word after the answer.
 */
export interface Step {
  action: string;
  actor: StaffRole | 'applicant';
  fill?: 'answer' | 'refuse' | 'explain' | 'proof' | 'documents' | 'dispatch' | 'first_contact' | 'redirect' | 'reopen' | 'terminate' | 'provide' | 'extend' | 'hearing';
  assignee?: StaffRole;
  /** Hours between steps are scaled by this (police act in minutes, appeals in days). */
  hoursScale?: number;
}

const assign = (assignee: StaffRole = 'executor'): Step => ({ action: 'assign', actor: 'head', assignee });
const act = (action: string, actor: Step['actor'], fill?: Step['fill'], hoursScale?: number): Step => ({ action, actor, ...(fill ? { fill } : {}), ...(hoursScale ? { hoursScale } : {}) });

/** Paths through each channel's workflow; older cases are further along. */
const PATHS: Record<Channel, { young: Step[][]; old: Step[][] }> = {
  appeal: {
    young: [[], [assign()], [assign(), act('take_into_work', 'executor')], [act('redirect', 'head', 'redirect')]],
    old: [
      [assign(), act('take_into_work', 'executor'), act('answer', 'executor', 'answer', 24)],
      [assign(), act('take_into_work', 'executor'), act('answer', 'executor', 'answer', 24), act('close', 'head')],
      [assign(), act('take_into_work', 'executor'), act('answer', 'executor', 'answer', 24), act('close', 'head')],
      [assign(), act('take_into_work', 'executor'), act('request_documents', 'executor', 'documents')],
      [assign(), act('take_into_work', 'executor'), act('request_documents', 'executor', 'documents'), act('provide_documents', 'applicant', 'provide', 24)],
      [assign(), act('take_into_work', 'executor')],
      [act('terminate', 'head', 'terminate')],
      [act('withdraw', 'applicant')],
      [assign(), act('take_into_work', 'executor'), act('answer', 'executor', 'answer', 24), act('reopen', 'head', 'reopen')],
      [assign(), act('take_into_work', 'executor'), act('extend', 'head', 'extend', 24)],
      [assign(), act('take_into_work', 'executor'), act('notify_hearing', 'executor', 'hearing', 24), act('answer', 'executor', 'refuse', 60)],
      [assign(), act('take_into_work', 'executor'), act('answer', 'executor', 'answer', 24), act('rate', 'applicant', undefined, 12)],
      [assign(), act('take_into_work', 'executor'), act('answer', 'executor', 'answer', 24), act('rate', 'applicant', undefined, 12), act('complain', 'applicant', undefined, 12)],
    ],
  },
  police: {
    young: [[], [act('dispatch', 'dispatcher', 'dispatch', 0.1)], [act('dispatch', 'dispatcher', 'dispatch', 0.1), act('arrive', 'dispatcher', undefined, 0.1)]],
    old: [
      [act('dispatch', 'dispatcher', 'dispatch', 0.1), act('arrive', 'dispatcher', undefined, 0.1), act('resolve', 'dispatcher', 'answer', 0.5)],
      [act('dispatch', 'dispatcher', 'dispatch', 0.1), act('arrive', 'dispatcher', undefined, 0.1), act('resolve', 'dispatcher', 'answer', 0.5), act('close', 'head')],
      [act('dispatch', 'dispatcher', 'dispatch', 0.1), act('resolve', 'dispatcher', 'answer', 0.5), act('close', 'head')],
    ],
  },
  city: {
    young: [[], [act('take_into_work', 'dispatcher', undefined, 0.5)], [act('resolve_on_first_contact', 'dispatcher', 'explain', 0.1)]],
    old: [
      [act('resolve_on_first_contact', 'dispatcher', 'explain', 0.1)],
      [act('resolve_on_first_contact', 'dispatcher', 'explain', 0.1), act('close', 'head')],
      [act('take_into_work', 'dispatcher', undefined, 0.5), assign(), act('resolve', 'executor', 'proof', 4)],
      [act('take_into_work', 'dispatcher', undefined, 0.5), assign(), act('resolve', 'executor', 'proof', 4), act('close', 'head')],
      [act('take_into_work', 'dispatcher', undefined, 0.5), assign(), act('resolve', 'executor', 'proof', 4), act('report_not_fixed', 'applicant', 'reopen', 12)],
      [act('take_into_work', 'dispatcher', undefined, 0.5), assign(), act('resolve', 'executor', 'proof', 4), act('rate', 'applicant', undefined, 12)],
      [act('take_into_work', 'dispatcher', undefined, 0.5)],
    ],
  },
  // Confidential: the head assigns a psychologist first, who alone (with the head) may then read the case.
  child: {
    young: [[], [assign('psychologist')], [assign('psychologist'), act('first_contact', 'psychologist', 'first_contact', 0.05)]],
    old: [
      [assign('psychologist'), act('first_contact', 'psychologist', 'first_contact', 0.05), act('resolve', 'psychologist', 'answer', 24)],
      [assign('psychologist'), act('first_contact', 'psychologist', 'first_contact', 0.05), act('await_reply', 'psychologist')],
      [assign('psychologist'), act('first_contact', 'psychologist', 'first_contact', 0.05), act('resolve', 'psychologist', 'answer', 24), act('close', 'head')],
    ],
  },
  social: {
    young: [[], [act('take_into_work', 'registrar')]],
    old: [[act('take_into_work', 'executor'), act('answer', 'executor', 'answer', 12)], [act('dismiss', 'head', 'reopen')]],
  },
};

export function stagesFor(channel: Channel, ageDays: number): Step[][] {
  const paths = PATHS[channel];
  return ageDays < 3 ? paths.young : ageDays < 10 ? [...paths.young, ...paths.old] : paths.old;
}
