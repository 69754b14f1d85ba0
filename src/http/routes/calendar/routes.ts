import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Platform } from '../../../app/platform.ts';
import { DomainError } from '../../../core/errors.ts';
import { canManageCalendar } from '../../../core/policy.ts';
import { calendarOverview, clearCalendarDay, listCalendarDays, setCalendarDay } from '../../../core/sla/calendar-admin.ts';
import { requireSignedIn } from '../../plugins/auth.ts';
import { presentCalendarChange, presentCalendarDay, presentCalendarEvent, presentOverride } from '../../presenters/calendar.ts';
import { errorResponses } from '../common-schema.ts';
import { ChangeResponse, ClearDayBody, DayParams, DaysQuery, DaysResponse, OverviewResponse, SetDayBody } from './schema.ts';

/**
 * The business calendar: public days with the reason each is (not) a working day, and the admin overrides
 * (recorded as events; they apply to computations made after them, not to deadlines already computed).
 */
export const calendarRoutes = (platform: Platform): FastifyPluginAsyncTypebox => async (app) => {
  const deps = platform.calendarAdmin;
  app.addHook('onClose', async () => deps.stop());
  // Admin routes refuse before validating, so that a non-admin learns nothing from the validation errors.
  const adminOnly = async (request: FastifyRequest): Promise<void> => {
    if (!canManageCalendar(requireSignedIn(request))) throw new DomainError('ERR_FORBIDDEN', "Only an admin may manage the business calendar's overrides");
  };

  app.get('/calendar/days', {
    schema: {
      tags: ['calendar'],
      summary: 'Working days and days off in a range (at most 366 days), each with why',
      querystring: DaysQuery,
      response: { 200: DaysResponse, ...errorResponses(400) },
    },
  }, async (request) => ({ days: listCalendarDays(deps, request.query).map(presentCalendarDay) }));

  app.get('/admin/calendar/overrides', {
    preValidation: adminOnly,
    schema: {
      tags: ['admin', 'calendar'],
      summary: 'The admin overrides in force and the history of every change (admins)',
      response: { 200: OverviewResponse, ...errorResponses(401, 403) },
    },
  }, async (request) => {
    const { overrides, events } = await calendarOverview(deps, requireSignedIn(request));
    return { overrides: overrides.map(presentOverride), events: events.map(presentCalendarEvent) };
  });

  app.put('/admin/calendar/days/:date', {
    preValidation: adminOnly,
    schema: {
      tags: ['admin', 'calendar'],
      summary: 'Mark a date a day off or a working day (admins); applies to computations made from now on',
      params: DayParams,
      body: SetDayBody,
      response: { 200: ChangeResponse, ...errorResponses(400, 401, 403, 409) },
    },
  }, async (request) => presentCalendarChange(await setCalendarDay(deps, requireSignedIn(request), { ...request.body, date: request.params.date })));

  app.delete('/admin/calendar/days/:date', {
    preValidation: adminOnly,
    schema: {
      tags: ['admin', 'calendar'],
      summary: 'Remove the admin override of a date: the calendar data decides again (admins)',
      params: DayParams,
      body: ClearDayBody,
      response: { 200: ChangeResponse, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request) => presentCalendarChange(await clearCalendarDay(deps, requireSignedIn(request), { ...request.body, date: request.params.date })));
};
