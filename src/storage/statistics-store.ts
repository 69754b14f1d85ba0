import type { ClockStatistics, StatisticsSource } from '../core/statistics.ts';
import type { Queryable } from './db.ts';

/**
 * One pass over the period's cases with their answer deadlines, redirects, complaints and ratings. An
 * answer is late when its case has a breached answer deadline; overdue cases are open ones that do.
 */
const CLOCK_STATISTICS = `
  WITH scope AS (
    SELECT c.id, c.outcome, c.state_kind, c.registered_at, c.closed_at,
      EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND d.obligation = 'answer' AND d.state = 'breached') AS breached,
      EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND d.obligation = 'answer' AND d.original_due_at IS NOT NULL) AS extended,
      EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.type = 'case.redirected') AS redirected,
      EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.type = 'case.silence_refusal') AS silence,
      EXISTS (SELECT 1 FROM cases k WHERE k.related_case_id = c.id AND k.complaint_about = 'answer') AS complained,
      r.score
    FROM cases c LEFT JOIN case_ratings r ON r.case_id = c.id
    WHERE c.organisation_id = ANY($1::text[]) AND c.created_at >= $2 AND c.created_at < $3
  )
  SELECT
    count(*)::int AS received,
    count(*) FILTER (WHERE outcome IS NOT NULL)::int AS answered,
    count(*) FILTER (WHERE outcome IS NOT NULL AND NOT breached)::int AS answered_on_time,
    count(*) FILTER (WHERE outcome IS NOT NULL AND breached)::int AS answered_late,
    count(*) FILTER (WHERE state_kind <> 'closed' AND breached)::int AS overdue,
    count(*) FILTER (WHERE extended)::int AS extended,
    count(*) FILTER (WHERE redirected)::int AS redirected,
    count(*) FILTER (WHERE silence)::int AS silence_refusals,
    avg(EXTRACT(EPOCH FROM closed_at - registered_at) / 3600) FILTER (WHERE outcome IS NOT NULL)::float8 AS average_hours_to_answer,
    count(*) FILTER (WHERE outcome IS NOT NULL AND complained)::int AS complained,
    avg(score)::float8 AS average_rating,
    count(score)::int AS ratings
  FROM scope`;

interface Row {
  received: number;
  answered: number;
  answered_on_time: number;
  answered_late: number;
  overdue: number;
  extended: number;
  redirected: number;
  silence_refusals: number;
  average_hours_to_answer: number | null;
  complained: number;
  average_rating: number | null;
  ratings: number;
}

const round = (n: number | null, digits: number): number | null => (n === null ? null : Number(n.toFixed(digits)));

export function createStatisticsStore(db: Queryable): StatisticsSource {
  return {
    async clockStatistics({ organisations, from, to }): Promise<ClockStatistics> {
      const r = (await db.query<Row>(CLOCK_STATISTICS, [[...organisations], from, to])).rows[0]!;
      return {
        received: r.received,
        answered: r.answered,
        answeredOnTime: r.answered_on_time,
        answeredLate: r.answered_late,
        overdue: r.overdue,
        extended: r.extended,
        redirected: r.redirected,
        silenceRefusals: r.silence_refusals,
        averageHoursToAnswer: round(r.average_hours_to_answer, 1),
        complainedShare: r.answered > 0 ? round(r.complained / r.answered, 3) : null,
        averageRating: round(r.average_rating, 2),
        ratings: r.ratings,
      };
    },
  };
}
