import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_FILES } from '../config/paths.ts';
import { calendarDataSchema, type CalendarData } from '../core/sla/calendar.ts';
import type { Procedures } from '../core/sla/procedures.ts';
import { termPoliciesSchema, type TermPolicy } from '../core/sla/terms.ts';

const readJson = (file: string): unknown => JSON.parse(readFileSync(path.join(DATA_FILES, file), 'utf8'));

/**
 * The per-year calendar data from data/calendars/kz.json, validated. The calendar computations use adds the
 * stored admin overrides (createLiveCalendar in live-calendar.ts; the CLI's calendar commands read them too).
 */
export const loadCalendarData = (): CalendarData => calendarDataSchema.parse(readJson('calendars/kz.json'));

const loadTermFile = () => termPoliciesSchema.parse(readJson('term-policies.json'));

/** The term policies from data/term-policies.json. */
export const loadTermPolicies = (): TermPolicy[] => loadTermFile().policies;

/** The channels' procedural rules from the same file. */
export const loadProcedures = (): Procedures => loadTermFile().procedures;
