import type { CalendarChange, CalendarDay, CalendarEvent, CurrentOverride } from '../../core/sla/calendar-admin.ts';

/** Wire shapes of the business calendar. Instants are ISO 8601 in UTC; dates are local YYYY-MM-DD. */

export const presentOverride = (o: CurrentOverride) => ({
  date: o.date,
  type: o.type,
  reason: o.reason,
  eventId: o.eventId,
  setAt: o.setAt.toISOString(),
  actorId: o.actorId,
  actorRole: o.actorRole,
});

export const presentCalendarEvent = (e: CalendarEvent) => ({
  id: e.id,
  date: e.date,
  action: e.action,
  type: e.type,
  reason: e.reason,
  actorId: e.actorId,
  actorRole: e.actorRole,
  occurredAt: e.occurredAt.toISOString(),
});

export const presentCalendarDay = (d: CalendarDay) => ({
  date: d.date,
  weekday: d.weekday,
  working: d.working,
  why: d.why,
  note: d.note,
  holiday: d.holiday,
  coverage: d.coverage,
  override: d.override ? { ...presentOverride(d.override), dataWorking: d.override.dataWorking, dataWhy: d.override.dataWhy } : null,
});

export const presentCalendarChange = (c: CalendarChange) => ({ event: presentCalendarEvent(c.event), day: presentCalendarDay(c.day) });
