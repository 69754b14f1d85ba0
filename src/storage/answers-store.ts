/**
 * The candidates for "earlier answers to similar inquiries": closed, non-confidential cases of one category
 * within given organisations, each with the text of its latest answer. The answer is the dialog message
 * the answering step wrote (its event's payload names the message: case.answered, case.resolved,
 * case.resolved_on_first_contact). Newest first, bounded.
 */
import type { Outcome } from '../core/model.ts';
import type { AnsweredCase, AnswersStore } from '../knowledge/similar-answers.ts';
import type { Db } from './db.ts';

/** The events whose step wrote the answer into the dialog. */
export const ANSWER_EVENTS = ['case.answered', 'case.resolved', 'case.resolved_on_first_contact'] as const;

interface Row {
  id: string;
  registration_number: string;
  organisation_id: string;
  text: string;
  outcome: Outcome | null;
  answered_at: Date;
  answer: string;
}

// The newest cases first through cases_org_created; the answer event and its message by the case's own indexes.
const ANSWERED_CASES = `
  SELECT c.id, c.registration_number, c.organisation_id, c.text, c.outcome, e.occurred_at AS answered_at, m.body AS answer
  FROM cases c
  JOIN LATERAL (
    SELECT ev.payload->>'messageId' AS message_id, ev.occurred_at
    FROM case_events ev
    WHERE ev.case_id = c.id AND ev.type = ANY($4::text[])
    ORDER BY ev.id DESC LIMIT 1
  ) e ON true
  JOIN case_messages m ON m.case_id = c.id AND m.id::text = e.message_id AND m.visibility = 'dialog'
  WHERE c.category = $1 AND c.organisation_id = ANY($2::text[]) AND c.id <> $3::uuid
    AND NOT c.confidential AND c.state_kind = 'closed'
  ORDER BY c.created_at DESC, c.id DESC
  LIMIT $5`;

export function createAnswersStore(db: Db): AnswersStore {
  return {
    async answeredCases(q) {
      if (q.organisations.length === 0) return [];
      const { rows } = await db.query<Row>(ANSWERED_CASES, [q.category, q.organisations, q.excludeCaseId, [...ANSWER_EVENTS], q.limit]);
      return rows.map(
        (r): AnsweredCase => ({
          caseId: r.id,
          registrationNumber: r.registration_number,
          organisationId: r.organisation_id,
          text: r.text,
          answer: r.answer,
          outcome: r.outcome,
          answeredAt: r.answered_at,
        }),
      );
    },
  };
}
