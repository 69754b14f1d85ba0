import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  calendarDataSchema,
  createBusinessCalendar,
  ruleYear,
  type CalendarData,
  type CalendarOverride,
} from '../../src/core/sla/calendar.ts';

// Expected dates below were worked out by hand on a paper calendar, not by the code under test.
// Local time is UTC+5: 18:00 local = 13:00Z, 10:00 local = 05:00Z.

const raw: unknown = JSON.parse(readFileSync(new URL('../../data/calendars/kz.json', import.meta.url), 'utf8'));
const data: CalendarData = calendarDataSchema.parse(raw);
const cal = createBusinessCalendar(data);

const at = (iso: string): Date => new Date(iso);

describe('calendar data file', () => {
  it('parses and covers 2025, 2026 and 2027', () => {
    expect(calendarDataSchema.safeParse(raw).success).toBe(true);
    expect(Object.keys(data.years).sort()).toEqual(['2025', '2026', '2027']);
    for (const year of [2025, 2026, 2027]) expect(cal.coverage(year)).toBe('data');
    expect(data.utcOffsetMinutes).toBe(300);
    expect(data.workdayEnd).toBe('18:00');
  });

  it('has the 15 public holidays of each year, Kurban Ait included', () => {
    expect(data.years['2025']?.holidays.map((h) => h.date)).toContain('2025-06-06');
    expect(data.years['2026']?.holidays.map((h) => h.date)).toContain('2026-05-27');
    expect(data.years['2027']?.holidays.map((h) => h.date)).toContain('2027-05-16');
    for (const y of Object.values(data.years)) expect(y.holidays).toHaveLength(15);
  });

  it('says that 2027 decree transfers are not yet known', () => {
    expect(data.years['2027']?.decreeTransfersKnown).toBe(false);
    expect(data.years['2026']?.decreeTransfersKnown).toBe(true);
  });

  it('lists as carry-overs exactly the days the weekend rule gives', () => {
    for (const year of [2025, 2026, 2027]) {
      const carried = (data.years[String(year)]?.daysOff ?? []).filter((d) => d.kind === 'carry_over').map((d) => d.date);
      expect(carried).toEqual(ruleYear(year, data.fixedHolidays).carryOvers);
    }
  });

  it('rejects contradictory data', () => {
    const bad = structuredClone(data);
    bad.years['2026']?.workingWeekends.push({ date: '2026-03-24', reason: 'Tuesday is no weekend' });
    expect(calendarDataSchema.safeParse(bad).success).toBe(false);
    const outside = structuredClone(data);
    outside.years['2026']?.daysOff.push({ date: '2025-12-31', reason: 'wrong year' });
    expect(calendarDataSchema.safeParse(outside).success).toBe(false);
    const impossible = structuredClone(data);
    impossible.years['2026']?.daysOff.push({ date: '2026-02-30', reason: 'no such day' });
    expect(calendarDataSchema.safeParse(impossible).success).toBe(false);
  });
});

describe('isWorkingDay', () => {
  it('2026 Nauryz on Sat–Mon moves two days off to Tue 24 and Wed 25 March', () => {
    expect(cal.isWorkingDay('2026-03-20')).toBe(true);
    expect(cal.isWorkingDay('2026-03-21')).toBe(false);
    expect(cal.isWorkingDay('2026-03-22')).toBe(false);
    expect(cal.isWorkingDay('2026-03-23')).toBe(false);
    expect(cal.isWorkingDay('2026-03-24')).toBe(false);
    expect(cal.isWorkingDay('2026-03-25')).toBe(false);
    expect(cal.isWorkingDay('2026-03-26')).toBe(true);
  });

  it('8 March 2026 (Sunday) gives Monday 9 March off', () => {
    expect(cal.isWorkingDay('2026-03-08')).toBe(false);
    expect(cal.isWorkingDay('2026-03-09')).toBe(false);
    expect(cal.isWorkingDay('2026-03-10')).toBe(true);
  });

  it('2025 decree: Friday 3 January off, Sunday 5 January worked', () => {
    expect(cal.isWorkingDay('2025-01-03')).toBe(false);
    expect(cal.isWorkingDay('2025-01-04')).toBe(false);
    expect(cal.isWorkingDay('2025-01-05')).toBe(true);
    expect(cal.isWorkingDay('2025-01-06')).toBe(true);
    expect(cal.isWorkingDay('2025-01-07')).toBe(false);
  });

  it('Kurban Ait 2027 on Sunday 16 May is not moved; 9 May (Sunday) is', () => {
    expect(cal.isWorkingDay('2027-05-16')).toBe(false);
    expect(cal.isWorkingDay('2027-05-17')).toBe(true);
    expect(cal.isWorkingDay('2027-05-10')).toBe(false);
    expect(cal.isWorkingDay('2027-05-11')).toBe(true);
  });

  it('a weekday Kurban Ait is a day off (Wednesday 27 May 2026)', () => {
    expect(cal.isWorkingDay('2026-05-27')).toBe(false);
    expect(cal.isWorkingDay('2026-05-28')).toBe(true);
  });

  it('rejects malformed and impossible dates', () => {
    expect(() => cal.isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => cal.isWorkingDay('2026-3-1')).toThrow(RangeError);
    expect(() => cal.isWorkingDay('')).toThrow(RangeError);
  });
});

describe('years outside the data', () => {
  it('reports rule coverage', () => {
    expect(cal.coverage(2024)).toBe('rule');
    expect(cal.coverage(2028)).toBe('rule');
  });

  it('carries New Year 2028 (Sat–Sun) to Monday 3 and Tuesday 4 January', () => {
    expect(cal.isWorkingDay('2028-01-03')).toBe(false);
    expect(cal.isWorkingDay('2028-01-04')).toBe(false);
    expect(cal.isWorkingDay('2028-01-05')).toBe(true);
    expect(cal.isWorkingDay('2028-01-07')).toBe(false);
  });

  it('does not carry 7 January 2029 (Sunday)', () => {
    expect(cal.isWorkingDay('2029-01-07')).toBe(false);
    expect(cal.isWorkingDay('2029-01-08')).toBe(true);
  });

  it('knows no Kurban Ait: a lunar date cannot be derived by rule', () => {
    expect(ruleYear(2028, data.fixedHolidays).holidays).toHaveLength(14);
  });

  it('crosses from data into rule years: the working day after Friday 31 Dec 2027 is Wed 5 Jan 2028', () => {
    expect(cal.addWorkingDays('2027-12-31', 1)).toBe('2028-01-05');
  });
});

describe('registrationDay', () => {
  it('a working day before 18:00 local is the same day, at or after 18:00 the next working day', () => {
    expect(cal.registrationDay(at('2026-03-20T12:59:59.999Z'))).toBe('2026-03-20');
    expect(cal.registrationDay(at('2026-03-20T13:00:00.000Z'))).toBe('2026-03-26');
  });

  it('Friday 17:30 vs 18:30 local before the 9 March 2026 carry-over', () => {
    expect(cal.registrationDay(at('2026-03-06T12:30:00Z'))).toBe('2026-03-06');
    expect(cal.registrationDay(at('2026-03-06T13:30:00Z'))).toBe('2026-03-10');
  });

  it('Saturday goes to Monday', () => {
    expect(cal.registrationDay(at('2026-04-18T04:00:00Z'))).toBe('2026-04-20');
  });

  it('uses the local date, not the UTC one: 23:30 Friday local is still Friday', () => {
    expect(cal.localDate(at('2026-04-17T18:59:59.999Z'))).toBe('2026-04-17');
    expect(cal.localDate(at('2026-04-17T19:00:00.000Z'))).toBe('2026-04-18');
    expect(cal.registrationDay(at('2026-04-17T18:30:00Z'))).toBe('2026-04-20');
  });

  it('the 2025 decree: received Friday 3 January or Saturday 4 January → Sunday 5 January', () => {
    expect(cal.registrationDay(at('2025-01-03T05:00:00Z'))).toBe('2025-01-05');
    expect(cal.registrationDay(at('2025-01-04T05:00:00Z'))).toBe('2025-01-05');
  });

  it('a holiday is never a registration day', () => {
    expect(cal.registrationDay(at('2026-03-23T06:00:00Z'))).toBe('2026-03-26');
  });
});

describe('dueAt (15 working days unless said)', () => {
  it('ends at 18:00 local on the 15th working day as an exact UTC instant', () => {
    // Registered Mon 23 Mar 2026 (holiday) → 26 Mar; day 1 = 27 Mar … day 15 = Thu 16 Apr.
    expect(cal.dueAt(at('2026-03-23T06:00:00Z'), 15).toISOString()).toBe('2026-04-16T13:00:00.000Z');
    // Registered Fri 20 Mar; day 1 = 26 Mar … day 15 = Wed 15 Apr.
    expect(cal.dueAt(at('2026-03-20T05:00:00Z'), 15).toISOString()).toBe('2026-04-15T13:00:00.000Z');
  });

  it('an appeal on 31 Dec 2025 at 17:59 vs 18:01 local, across New Year and 7 January', () => {
    // 17:59 → registered Wed 31 Dec; day 1 = Mon 5 Jan, 7 Jan off, day 15 = Mon 26 Jan.
    expect(cal.registrationDay(at('2025-12-31T12:59:00Z'))).toBe('2025-12-31');
    expect(cal.dueAt(at('2025-12-31T12:59:00Z'), 15).toISOString()).toBe('2026-01-26T13:00:00.000Z');
    // 18:01 → registered Mon 5 Jan; day 1 = Tue 6 Jan, day 15 = Tue 27 Jan.
    expect(cal.registrationDay(at('2025-12-31T13:01:00Z'))).toBe('2026-01-05');
    expect(cal.dueAt(at('2025-12-31T13:01:00Z'), 15).toISOString()).toBe('2026-01-27T13:00:00.000Z');
  });

  it('Friday 6 March 2026 at 17:30 vs 18:30 local', () => {
    // 17:30 → registered 6 Mar; days 10–13, 16–20, 26, 27, 30, 31 Mar, 1, 2 Apr → Thu 2 Apr.
    expect(cal.dueAt(at('2026-03-06T12:30:00Z'), 15).toISOString()).toBe('2026-04-02T13:00:00.000Z');
    // 18:30 → registered Tue 10 Mar; one working day later: Fri 3 Apr.
    expect(cal.dueAt(at('2026-03-06T13:30:00Z'), 15).toISOString()).toBe('2026-04-03T13:00:00.000Z');
  });

  it('received on Saturday 18 April 2026, across 1, 7 and 11 May', () => {
    // Registered Mon 20 Apr; days 21–24, 27–30 Apr, 4–6, 8, 12–14 May → Thu 14 May.
    expect(cal.dueAt(at('2026-04-18T04:00:00Z'), 15).toISOString()).toBe('2026-05-14T13:00:00.000Z');
  });

  it('counts the 2025 decree Sunday as a working day', () => {
    // Registered Sun 5 Jan 2025; days 6, 8–10, 13–17, 20–24, 27 Jan → Mon 27 Jan.
    expect(cal.dueAt(at('2025-01-03T05:00:00Z'), 15).toISOString()).toBe('2025-01-27T13:00:00.000Z');
  });

  it('0 working days ends on the registration day', () => {
    expect(cal.dueAt(at('2026-03-21T05:00:00Z'), 0).toISOString()).toBe('2026-03-26T13:00:00.000Z');
  });

  it('rejects a fractional or negative term and an invalid date', () => {
    expect(() => cal.dueAt(at('2026-03-20T05:00:00Z'), 1.5)).toThrow(RangeError);
    expect(() => cal.dueAt(at('2026-03-20T05:00:00Z'), -1)).toThrow(RangeError);
    expect(() => cal.dueAt(new Date(Number.NaN), 15)).toThrow(RangeError);
  });
});

describe('addWorkingDays and workingDaysBetween', () => {
  it('steps over Nauryz both ways', () => {
    expect(cal.addWorkingDays('2026-03-20', 1)).toBe('2026-03-26');
    expect(cal.addWorkingDays('2026-03-26', -1)).toBe('2026-03-20');
    expect(cal.addWorkingDays('2026-03-21', 0)).toBe('2026-03-21');
  });

  it('counts working days in (a, b]', () => {
    expect(cal.workingDaysBetween('2026-03-20', '2026-03-26')).toBe(1);
    expect(cal.workingDaysBetween('2026-03-26', '2026-03-20')).toBe(-1);
    expect(cal.workingDaysBetween('2026-03-21', '2026-03-25')).toBe(0);
    expect(cal.workingDaysBetween('2026-03-25', '2026-03-21')).toBe(0); // +0, not -0
    expect(cal.workingDaysBetween('2026-03-20', '2026-03-20')).toBe(0);
    expect(cal.workingDaysBetween('2025-12-31', '2026-01-26')).toBe(15);
  });

  it('workdayEndAt is 18:00 local', () => {
    expect(cal.workdayEndAt('2026-04-16').toISOString()).toBe('2026-04-16T13:00:00.000Z');
  });
});

describe('admin overrides', () => {
  it('win over the data and the rule', () => {
    const overrides: CalendarOverride[] = [
      { date: '2026-03-26', type: 'day_off', reason: 'regional decree' },
      { date: '2026-03-24', type: 'working_day' },
      { date: '2028-01-05', type: 'day_off' },
    ];
    const c = createBusinessCalendar(data, overrides);
    expect(c.isWorkingDay('2026-03-26')).toBe(false);
    expect(c.isWorkingDay('2026-03-24')).toBe(true);
    expect(c.addWorkingDays('2026-03-24', 1)).toBe('2026-03-27');
    expect(c.isWorkingDay('2028-01-05')).toBe(false);
    // The base calendar is untouched.
    expect(cal.isWorkingDay('2026-03-26')).toBe(true);
  });

  it('the latest override for a date wins', () => {
    const c = createBusinessCalendar(data, [
      { date: '2026-03-26', type: 'day_off' },
      { date: '2026-03-26', type: 'working_day' },
    ]);
    expect(c.isWorkingDay('2026-03-26')).toBe(true);
  });
});

describe('properties', () => {
  const DAY_MS = 86_400_000;
  const LOCAL_18H_MS = 18 * 3_600_000;
  const OFFSET_MS = 5 * 3_600_000;
  const instant = fc.date({ min: new Date('2024-06-01T00:00:00Z'), max: new Date('2029-12-31T00:00:00Z'), noInvalidDate: true });
  const dateIn2025to2027 = fc
    .integer({ min: Date.UTC(2025, 0, 1) / DAY_MS, max: Date.UTC(2027, 11, 31) / DAY_MS })
    .map((n) => new Date(n * DAY_MS).toISOString().slice(0, 10));
  const override = fc.record({ date: dateIn2025to2027, type: fc.constantFrom<'day_off' | 'working_day'>('day_off', 'working_day') });

  it('dueAt is a working day at 18:00 local, strictly after receipt, N working days after registration', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 60 }), fc.array(override, { maxLength: 20 }), (received, n, overrides) => {
        const c = createBusinessCalendar(data, overrides);
        const due = c.dueAt(received, n);
        expect((((due.getTime() + OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS).toBe(LOCAL_18H_MS);
        expect(c.isWorkingDay(c.localDate(due))).toBe(true);
        expect(due.getTime()).toBeGreaterThan(received.getTime());
        expect(c.workingDaysBetween(c.registrationDay(received), c.localDate(due))).toBe(n);
      }),
      { numRuns: 300 },
    );
  });

  it('more working days never give an earlier due date', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 30 }), (received, n, extra) => {
        const a = cal.dueAt(received, n).getTime();
        const b = cal.dueAt(received, n + extra).getTime();
        expect(b).toBeGreaterThanOrEqual(a);
        if (extra > 0) expect(b).toBeGreaterThan(a);
      }),
      { numRuns: 300 },
    );
  });

  it('a later receipt never gives an earlier due date', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 7 * DAY_MS }), fc.integer({ min: 1, max: 30 }), (received, later, n) => {
        const a = cal.dueAt(received, n).getTime();
        const b = cal.dueAt(new Date(received.getTime() + later), n).getTime();
        expect(b).toBeGreaterThanOrEqual(a);
      }),
      { numRuns: 300 },
    );
  });

  it('addWorkingDays and workingDaysBetween are inverse, and between is antisymmetric', () => {
    fc.assert(
      fc.property(dateIn2025to2027, fc.integer({ min: -40, max: 40 }), (day, n) => {
        const d = cal.addWorkingDays(day, n);
        if (n >= 0 || cal.isWorkingDay(day)) expect(cal.workingDaysBetween(day, d)).toBe(n);
        expect(cal.workingDaysBetween(d, day) + cal.workingDaysBetween(day, d)).toBe(0);
        if (n !== 0) expect(cal.isWorkingDay(d)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
