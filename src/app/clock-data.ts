import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_FILES } from '../config/paths.ts';
import { createBusinessCalendar, type BusinessCalendar, type CalendarDataInput } from '../core/sla/calendar.ts';
import { termPoliciesSchema, type TermPolicy } from '../core/sla/terms.ts';

const readJson = (file: string): unknown => JSON.parse(readFileSync(path.join(DATA_FILES, file), 'utf8'));

/** The business calendar from data/calendars/kz.json (validated by the calendar itself). */
export const loadBusinessCalendar = (): BusinessCalendar => createBusinessCalendar(readJson('calendars/kz.json') as CalendarDataInput);

/** The term policies from data/term-policies.json. */
export const loadTermPolicies = (): TermPolicy[] => termPoliciesSchema.parse(readJson('term-policies.json')).policies;
