import { Type } from 'typebox';
import { CALENDAR_DATE_MAX, CALENDAR_DATE_MIN, CALENDAR_DAYS_MAX, OVERRIDE_REASON_MAX, overrideTypes } from '../../../core/sla/calendar-admin.ts';
import { Names, Nullable, Uuid } from '../common-schema.ts';

const literals = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });

// Dates and reasons are checked by the core, so that a bad one gets its own stable code, not ERR_VALIDATION.
const DateText = (description: string) => Type.String({ description: `${description}: YYYY-MM-DD, ${CALENDAR_DATE_MIN} … ${CALENDAR_DATE_MAX} (else ERR_CALENDAR_DATE_INVALID)`, examples: ['2026-12-04'] });
const Reason = Type.String({ description: `Why (a decree's number, a regional order): 1–${OVERRIDE_REASON_MAX} characters on one line (else ERR_CALENDAR_REASON_INVALID); recorded in the event` });

const dayReasons = ['weekday', 'weekend', 'holiday', 'carry_over', 'decree', 'day_off', 'moved_working_day', 'override'] as const;
const OverrideType = literals(overrideTypes);

export const DaysQuery = Type.Object(
  { from: DateText('The first day'), to: DateText(`The last day (at most ${CALENDAR_DAYS_MAX} days in all, else ERR_CALENDAR_RANGE_INVALID)`) },
  { additionalProperties: false },
);

export const DayParams = Type.Object({ date: DateText('The local date (Kazakhstan time)') }, { additionalProperties: false });

export const SetDayBody = Type.Object(
  { type: Type.Unsafe<(typeof overrideTypes)[number]>({ type: 'string', enum: [...overrideTypes], description: 'day_off: no work that day; working_day: a working day (e.g. a Saturday worked by decree)' }), reason: Reason },
  { additionalProperties: false },
);

export const ClearDayBody = Type.Object({ reason: Reason }, { additionalProperties: false });

const OverrideFields = {
  date: Type.String(),
  type: OverrideType,
  reason: Type.String(),
  eventId: Type.Integer(),
  setAt: Type.String({ format: 'date-time' }),
  actorId: Nullable(Uuid),
  actorRole: Type.String({ description: 'The role of who recorded it; "operator" for the command line' }),
};

export const OverrideResponse = Type.Object(OverrideFields);

export const EventResponse = Type.Object({
  id: Type.Integer(),
  date: Type.String(),
  action: literals(['set', 'clear'] as const),
  type: Nullable(OverrideType),
  reason: Type.String(),
  actorId: Nullable(Uuid),
  actorRole: Type.String(),
  occurredAt: Type.String({ format: 'date-time' }),
});

export const DayResponse = Type.Object({
  date: Type.String(),
  weekday: Type.Integer({ minimum: 1, maximum: 7, description: '1 = Monday … 7 = Sunday' }),
  working: Type.Boolean(),
  why: Type.Unsafe<(typeof dayReasons)[number]>({
    type: 'string',
    enum: [...dayReasons],
    description:
      'weekday / weekend; holiday (a public holiday); carry_over (a holiday on a weekend moved its day off here); decree (a day off moved by decree); ' +
      'day_off (a day off in the data); moved_working_day (a weekend day worked by decree); override (an admin override: see override)',
  }),
  note: Nullable(Type.String({ description: 'The holiday\'s English name, the decree\'s reason or the admin\'s reason' })),
  holiday: Nullable(Names),
  coverage: literals(['data', 'rule'] as const),
  override: Nullable(
    Type.Object({
      ...OverrideFields,
      dataWorking: Type.Boolean({ description: 'What the calendar data alone says' }),
      dataWhy: Type.String(),
    }),
  ),
});

export const DaysResponse = Type.Object({ days: Type.Array(DayResponse) });
export const ChangeResponse = Type.Object({ event: EventResponse, day: DayResponse });
export const OverviewResponse = Type.Object({ overrides: Type.Array(OverrideResponse), events: Type.Array(EventResponse) });
