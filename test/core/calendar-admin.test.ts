import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError, type ErrorCode } from '../../src/core/errors.ts';
import type { Principal } from '../../src/core/principal.ts';
import {
  calendarOverrides,
  clearCalendarDay,
  createCalendarExplainer,
  foldCalendarEvents,
  listCalendarDays,
  parseCalendarDate,
  parseOverrideReason,
  planClearDay,
  planSetDay,
  setCalendarDay,
  type CalendarAdminDeps,
  type CalendarEvent,
  type CurrentOverride,
  type NewCalendarEvent,
} from '../../src/core/sla/calendar-admin.ts';
import { calendarDataSchema, createBusinessCalendar, type CalendarData } from '../../src/core/sla/calendar.ts';

// Dates below were read off a paper calendar: Friday 4 December 2026, Saturday 5 December 2026,
// Independence Day Wednesday 16 December 2026, Nauryz 2026 on Sat 21 – Mon 23 March with carry-overs on 24–25 March.

const data: CalendarData = calendarDataSchema.parse(JSON.parse(readFileSync(new URL('../../data/calendars/kz.json', import.meta.url), 'utf8')));
const explainer = createCalendarExplainer(data);
const AT = new Date('2026-11-25T05:00:00Z');
const OPERATOR = { actorId: null, actorRole: 'operator' };
const NONE: ReadonlyMap<string, CurrentOverride> = new Map();

function codeOf(fn: () => unknown): ErrorCode | 'no error' {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
  return 'no error';
}

let nextId = 0;
const event = (e: Partial<CalendarEvent> & Pick<CalendarEvent, 'date' | 'action'>): CalendarEvent => ({
  id: ++nextId,
  type: e.action === 'set' ? 'day_off' : null,
  reason: 'test',
  actorId: null,
  actorRole: 'admin',
  occurredAt: AT,
  ...e,
});

describe('the fold of calendar events', () => {
  it('keeps the latest event per date (by id, not by array order) and lets "clear" remove the override', () => {
    const a = event({ date: '2026-12-04', action: 'set', type: 'day_off' });
    const b = event({ date: '2026-12-05', action: 'set', type: 'working_day' });
    const c = event({ date: '2026-12-04', action: 'clear' });
    const d = event({ date: '2026-12-05', action: 'set', type: 'working_day', reason: 'reasoned again' });
    expect([...foldCalendarEvents([d, c, b, a]).keys()]).toEqual(['2026-12-05']);
    expect(foldCalendarEvents([a, b, c, d]).get('2026-12-05')).toMatchObject({ type: 'working_day', reason: 'reasoned again', eventId: d.id });
    const e = event({ date: '2026-12-04', action: 'set', type: 'working_day' });
    expect(calendarOverrides(foldCalendarEvents([a, b, c, d, e]))).toEqual([
      { date: '2026-12-05', type: 'working_day', reason: 'reasoned again' },
      { date: '2026-12-04', type: 'working_day', reason: 'test' },
    ]);
  });
});

describe('why a day is (not) a working day', () => {
  it.each([
    ['2026-12-04', true, 'weekday', 5],
    ['2026-12-05', false, 'weekend', 6],
    ['2026-12-06', false, 'weekend', 7],
    ['2026-12-16', false, 'holiday', 3],
    ['2026-03-22', false, 'holiday', 7],
    ['2026-03-24', false, 'carry_over', 2],
    ['2025-01-03', false, 'decree', 5],
    ['2025-01-05', true, 'moved_working_day', 7],
    ['2028-01-03', false, 'carry_over', 1],
    ['2028-01-05', true, 'weekday', 3],
  ] as const)('%s: working %s because %s (ISO weekday %i)', (date, working, why, weekday) => {
    const day = explainer.day(date, NONE);
    expect(day).toMatchObject({ date, working, why, weekday, override: null });
    expect(day.coverage).toBe(date.startsWith('2028') ? 'rule' : 'data');
  });

  it('names the holiday in three languages, also when an override changes the day', () => {
    expect(explainer.day('2026-12-16', NONE).holiday).toMatchObject({ en: expect.stringMatching(/Independence/) });
    const overrides = foldCalendarEvents([event({ date: '2026-12-16', action: 'set', type: 'working_day', reason: 'emergency session' })]);
    const day = explainer.day('2026-12-16', overrides);
    expect(day).toMatchObject({ working: true, why: 'override', note: 'emergency session', override: { type: 'working_day', dataWorking: false, dataWhy: 'holiday' } });
    expect(day.holiday?.ru).toBeTruthy();
  });

  it('agrees with the business calendar on every day, whatever the overrides', () => {
    const DAY_MS = 86_400_000;
    const date = fc.integer({ min: Date.UTC(2024, 0, 1) / DAY_MS, max: Date.UTC(2029, 11, 31) / DAY_MS }).map((n) => new Date(n * DAY_MS).toISOString().slice(0, 10));
    const override = fc.record({ date, type: fc.constantFrom<'day_off' | 'working_day'>('day_off', 'working_day') });
    fc.assert(
      fc.property(fc.array(override, { maxLength: 15 }), fc.array(date, { minLength: 1, maxLength: 40 }), (sets, probes) => {
        const events = sets.map((s) => event({ date: s.date, action: 'set', type: s.type }));
        const folded = foldCalendarEvents(events);
        const cal = createBusinessCalendar(data, calendarOverrides(folded));
        for (const d of [...probes, ...sets.map((s) => s.date)]) expect(explainer.day(d, folded).working, d).toBe(cal.isWorkingDay(d));
      }),
      { numRuns: 200 },
    );
  });
});

describe('validation of an override request', () => {
  it.each([['2026-02-30'], ['2026-3-1'], ['1999-12-31'], ['2101-01-01'], [''], ['tomorrow'], ['2026-12-04T00:00:00Z'], [' 2026-12-04']])(
    'refuses the date %j with ERR_CALENDAR_DATE_INVALID',
    (date) => {
      expect(codeOf(() => parseCalendarDate(date))).toBe('ERR_CALENDAR_DATE_INVALID');
    },
  );

  it('accepts the first and the last day of the range, and refuses what is not a string', () => {
    expect(parseCalendarDate('2000-01-01')).toBe('2000-01-01');
    expect(parseCalendarDate('2100-12-31')).toBe('2100-12-31');
    expect(codeOf(() => parseCalendarDate(20261204))).toBe('ERR_CALENDAR_DATE_INVALID');
    expect(codeOf(() => parseCalendarDate(null))).toBe('ERR_CALENDAR_DATE_INVALID');
  });

  it.each([[''], ['   '], ['x'.repeat(501)], ['a\u0000b'], ['two\nlines'], ['tab\there'], ['lone \uD800 surrogate'], ['\u0085next line']])(
    'refuses the reason %j with ERR_CALENDAR_REASON_INVALID',
    (reason) => {
      expect(codeOf(() => parseOverrideReason(reason))).toBe('ERR_CALENDAR_REASON_INVALID');
    },
  );

  it('trims the reason and counts characters, not UTF-16 units', () => {
    expect(parseOverrideReason('  Указ № 12  ')).toBe('Указ № 12');
    expect(parseOverrideReason('x'.repeat(500))).toHaveLength(500);
    expect(parseOverrideReason('🎄'.repeat(500))).toHaveLength(1000);
    expect(codeOf(() => parseOverrideReason('🎄'.repeat(501)))).toBe('ERR_CALENDAR_REASON_INVALID');
    expect(codeOf(() => parseOverrideReason(undefined))).toBe('ERR_CALENDAR_REASON_INVALID');
  });
});

describe('planning a change', () => {
  const set = (current: ReadonlyMap<string, CurrentOverride>, date: string, type: 'day_off' | 'working_day') => () =>
    planSetDay(explainer, current, { date, type, reason: 'r' }, OPERATOR, AT);
  const dayOff = foldCalendarEvents([event({ date: '2026-12-04', action: 'set', type: 'day_off' })]);

  it('records a day off on a Friday and a working Saturday', () => {
    expect(set(NONE, '2026-12-04', 'day_off')()).toEqual<NewCalendarEvent>({ date: '2026-12-04', action: 'set', type: 'day_off', reason: 'r', occurredAt: AT, ...OPERATOR });
    expect(set(NONE, '2026-12-05', 'working_day')()).toMatchObject({ action: 'set', type: 'working_day' });
    expect(set(NONE, '2026-12-16', 'working_day')()).toMatchObject({ type: 'working_day' });
  });

  it('refuses what would change nothing: a working Friday made working, a weekend or holiday made a day off, an override repeated', () => {
    expect(codeOf(set(NONE, '2026-12-04', 'working_day'))).toBe('ERR_CALENDAR_OVERRIDE_NOOP');
    expect(codeOf(set(NONE, '2026-12-05', 'day_off'))).toBe('ERR_CALENDAR_OVERRIDE_NOOP');
    expect(codeOf(set(NONE, '2026-12-16', 'day_off'))).toBe('ERR_CALENDAR_OVERRIDE_NOOP');
    expect(codeOf(set(NONE, '2026-03-24', 'day_off'))).toBe('ERR_CALENDAR_OVERRIDE_NOOP');
    expect(codeOf(set(dayOff, '2026-12-04', 'day_off'))).toBe('ERR_CALENDAR_OVERRIDE_NOOP');
  });

  it('sends an admin who sets back what the data says to "clear" instead', () => {
    expect(set(dayOff, '2026-12-04', 'working_day')).toThrow(expect.objectContaining({ code: 'ERR_CALENDAR_OVERRIDE_NOOP', message: expect.stringMatching(/clear it/) }));
  });

  it('clears only an override that is in force', () => {
    expect(planClearDay(dayOff, { date: '2026-12-04', reason: 'decree withdrawn' }, OPERATOR, AT)).toMatchObject({ action: 'clear', type: null });
    expect(codeOf(() => planClearDay(NONE, { date: '2026-12-04', reason: 'r' }, OPERATOR, AT))).toBe('ERR_CALENDAR_OVERRIDE_NOT_FOUND');
  });
});

describe('listing days', () => {
  const deps = { explainer, overrides: () => NONE };
  it('returns each day of an inclusive range, at most 366', () => {
    expect(listCalendarDays(deps, { from: '2026-12-04', to: '2026-12-06' }).map((d) => [d.date, d.working])).toEqual([
      ['2026-12-04', true],
      ['2026-12-05', false],
      ['2026-12-06', false],
    ]);
    expect(listCalendarDays(deps, { from: '2028-01-01', to: '2028-12-31' })).toHaveLength(366); // a leap year
  });

  it('refuses a backward or too long range, and names a bad end', () => {
    expect(codeOf(() => listCalendarDays(deps, { from: '2026-12-06', to: '2026-12-04' }))).toBe('ERR_CALENDAR_RANGE_INVALID');
    expect(codeOf(() => listCalendarDays(deps, { from: '2026-01-01', to: '2027-01-02' }))).toBe('ERR_CALENDAR_RANGE_INVALID');
    expect(() => listCalendarDays(deps, { from: '2026-12-04', to: '2026-13-01' })).toThrow(expect.objectContaining({ code: 'ERR_CALENDAR_DATE_INVALID', details: expect.objectContaining({ field: 'to' }) }));
    expect(() => listCalendarDays(deps, { from: 'x', to: '2026-12-01' })).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'from' }) }));
  });
});

describe('the commands', () => {
  /** An in-memory log, as the store behaves. */
  function memoryDeps(): CalendarAdminDeps & { events: CalendarEvent[] } {
    const events: CalendarEvent[] = [];
    let copy = new Map<string, CurrentOverride>();
    return {
      events,
      explainer,
      clock: { now: () => AT },
      log: {
        exclusive: (fn) => fn(),
        all: async () => [...events],
        append: async (e) => {
          const stored = { ...e, id: events.length + 1 };
          events.push(stored);
          return stored;
        },
      },
      overrides: () => copy,
      refresh: async () => {
        copy = foldCalendarEvents(events);
      },
    };
  }
  const admin: Principal = { type: 'staff', userId: '00000000-0000-4000-8000-000000000001', role: 'admin', organisationId: 'kz.processing_centre', scope: new Set(['kz.processing_centre']) };
  const head: Principal = { ...admin, role: 'head' };

  it('records the change with its actor and refreshes this node', async () => {
    const deps = memoryDeps();
    const change = await setCalendarDay(deps, admin, { date: '2026-12-04', type: 'day_off', reason: ' Regional decree ' });
    expect(change.event).toMatchObject({ id: 1, date: '2026-12-04', action: 'set', type: 'day_off', reason: 'Regional decree', actorId: admin.userId, actorRole: 'admin' });
    expect(change.day).toMatchObject({ working: false, why: 'override' });
    expect(deps.overrides().get('2026-12-04')?.type).toBe('day_off');
    const cleared = await clearCalendarDay(deps, 'operator', { date: '2026-12-04', reason: 'withdrawn' });
    expect(cleared.event).toMatchObject({ action: 'clear', actorId: null, actorRole: 'operator' });
    expect(cleared.day).toMatchObject({ working: true, why: 'weekday' });
    expect(deps.overrides().size).toBe(0);
  });

  it('refuses anyone but an admin, before looking at the request', async () => {
    const deps = memoryDeps();
    for (const p of [head, { type: 'public' } as const, { type: 'citizen', userId: admin.userId } as const, { ...admin, type: 'machine' } as const]) {
      await expect(setCalendarDay(deps, p, { date: 'nonsense', type: 'x', reason: '' })).rejects.toMatchObject({ code: 'ERR_FORBIDDEN' });
      await expect(clearCalendarDay(deps, p, { date: '2026-12-04', reason: 'r' })).rejects.toMatchObject({ code: 'ERR_FORBIDDEN' });
    }
    expect(deps.events).toEqual([]);
  });

  it('validates date, then type, then reason', async () => {
    const deps = memoryDeps();
    await expect(setCalendarDay(deps, admin, { date: '2026-02-29', type: 'x', reason: '' })).rejects.toMatchObject({ code: 'ERR_CALENDAR_DATE_INVALID' });
    await expect(setCalendarDay(deps, admin, { date: '2026-12-04', type: 'holiday', reason: '' })).rejects.toMatchObject({ code: 'ERR_VALIDATION' });
    await expect(setCalendarDay(deps, admin, { date: '2026-12-04', type: 'day_off', reason: '' })).rejects.toMatchObject({ code: 'ERR_CALENDAR_REASON_INVALID' });
    expect(deps.events).toEqual([]);
  });
});
