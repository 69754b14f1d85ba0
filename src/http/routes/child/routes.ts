import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import QRCode from 'qrcode';
import { Type } from 'typebox';
import type { Platform } from '../../../app/platform.ts';
import { submitChildReport } from '../../../core/child-intake.ts';
import { addOnCallShift, listOnCallShifts, removeOnCallShift } from '../../../core/child-on-call.ts';
import type { OnCallShift, School } from '../../../core/child-ports.ts';
import { schoolStatistics, type Cell } from '../../../core/child-statistics.ts';
import { DomainError } from '../../../core/errors.ts';
import { parseInstant } from '../../presenters/cursor.ts';
import { errorResponses } from '../common-schema.ts';
import { childChatRoutes } from './chat.ts';
import * as S from './schema.ts';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,128}$/;
/** A QR code changes only with PUBLIC_BASE_URL: clients and proxies may keep it a day. */
const QR_CACHE = 'public, max-age=86400';

function instant(name: string, value: string): Date {
  const at = parseInstant(value);
  if (!at) throw new DomainError('ERR_VALIDATION', `${name} is not a usable date-time`, { [name]: value });
  return at;
}

const shown = (cell: Cell): number | '<5' => (cell === null ? '<5' : cell);

const presentShift = (s: OnCallShift) => ({ id: s.id, organisationId: s.organisationId, userId: s.userId, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString() });

/**
 * The child door (Bala Qorgau): schools and their QR codes, the anonymous report, the live chat, the on-call
 * roster and the per-school statistics.
 */
export const childRoutes = (platform: Platform): FastifyPluginAsyncTypebox => async (app) => {
  const child = platform.child;

  const presentSchool = (s: School) => ({
    code: s.code,
    city: s.city,
    districtId: s.districtId,
    names: s.names,
    childFormUrl: child.childFormUrl(s.code),
    qr: { svg: `/api/v1/schools/${s.code}/qr.svg`, png: `/api/v1/schools/${s.code}/qr.png` },
  });
  async function school(code: string): Promise<School> {
    const found = await child.schools.find(code);
    if (!found) throw new DomainError('ERR_SCHOOL_NOT_FOUND', undefined, { code });
    return found;
  }

  app.get('/schools', {
    schema: { tags: ['child'], summary: 'Schools with a Bala Qorgau QR plate', querystring: S.SchoolsQuery, response: { 200: Type.Array(S.SchoolResponse) } },
  }, async (request) => (await child.schools.list(request.query.city?.trim().toLowerCase() || undefined)).map(presentSchool));

  app.get('/schools/:code', {
    schema: { tags: ['child'], summary: 'One school: names, district, the link its QR code opens', params: S.SchoolParams, response: { 200: S.SchoolResponse, ...errorResponses(404) } },
  }, async (request) => presentSchool(await school(request.params.code)));

  app.get('/schools/:code/qr.svg', {
    schema: { tags: ['child'], summary: 'The school\'s QR code (SVG): opens the child form with the school filled in', params: S.SchoolParams, produces: ['image/svg+xml'], response: errorResponses(404) },
  }, async (request, reply) => {
    const s = await school(request.params.code);
    const svg = await QRCode.toString(child.childFormUrl(s.code), { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
    return reply.header('content-type', 'image/svg+xml; charset=utf-8').header('cache-control', QR_CACHE).send(svg);
  });

  app.get('/schools/:code/qr.png', {
    schema: { tags: ['child'], summary: 'The school\'s QR code (PNG, 8 pixels per module)', params: S.SchoolParams, produces: ['image/png'], response: errorResponses(404) },
  }, async (request, reply) => {
    const s = await school(request.params.code);
    const png = await QRCode.toBuffer(child.childFormUrl(s.code), { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 8 });
    return reply.header('content-type', 'image/png').header('cache-control', QR_CACHE).send(png);
  });

  app.post('/child/reports', {
    schema: {
      tags: ['child'],
      summary: 'A child\'s report (anonymous by default: the tracking code in the answer is the only key)',
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
      body: S.ChildReportBody,
      response: { 201: S.ChildReceiptResponse, ...errorResponses(400, 401, 413, 415, 422) },
    },
  }, async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) throw new DomainError('ERR_IDEMPOTENCY_KEY_INVALID');
    const r = await submitChildReport(child.intake, request.principal, request.body, { idempotencyKey: key });
    return reply.status(201).send({
      caseId: r.caseId,
      registrationNumber: r.registrationNumber,
      state: r.state,
      receivedAt: r.receivedAt,
      dueAt: r.dueAt,
      anonymous: r.anonymous,
      ...(r.trackingCode ? { trackingCode: r.trackingCode } : {}),
      school: r.school ? { code: r.school.code, names: r.school.names } : null,
      urgent: r.urgency === 'emergency',
      psychologistAlerted: (r.crisisPage?.recipients.length ?? 0) > 0,
      chat: { tickets: `/api/v1/cases/${r.caseId}/chat/tickets`, messages: `/api/v1/cases/${r.caseId}/chat/messages` },
    });
  });

  app.get('/statistics/schools', {
    schema: {
      tags: ['child', 'statistics'],
      summary: 'Child cases per school × category for one city and year; counts under 5 shown as "<5"',
      querystring: S.SchoolStatisticsQuery,
      response: { 200: S.SchoolStatisticsResponse, ...errorResponses(400, 401, 403) },
    },
  }, async (request) => {
    const stats = await schoolStatistics(child.statistics, request.principal, { city: request.query.city.trim().toLowerCase(), year: request.query.year });
    const cellsOf = (cells: readonly Cell[]) => Object.fromEntries(stats.categories.map((c, i) => [c, shown(cells[i] ?? null)]));
    return {
      city: stats.city,
      year: stats.year,
      minCell: stats.minCell,
      categories: [...stats.categories],
      schools: stats.schools.map((row) => ({ code: row.school.code, names: row.school.names, cells: cellsOf(row.cells), total: shown(row.total) })),
      totals: { cells: cellsOf(stats.columnTotals), total: shown(stats.total) },
    };
  });

  app.get('/child/on-call', {
    schema: { tags: ['child'], summary: 'The on-call roster of a psychologists\' service', querystring: S.OnCallQuery, response: { 200: Type.Array(S.OnCallShiftResponse), ...errorResponses(400, 401, 403) } },
  }, async (request) => {
    const q = request.query;
    return (await listOnCallShifts(child.onCall, request.principal, { organisationId: q.organisationId, from: instant('from', q.from), to: instant('to', q.to) })).map(presentShift);
  });

  app.post('/child/on-call', {
    schema: { tags: ['child'], summary: 'Put a psychologist on call (the head of the service)', body: S.OnCallBody, response: { 201: S.OnCallShiftResponse, ...errorResponses(400, 401, 403) } },
  }, async (request, reply) => {
    const b = request.body;
    const shift = await addOnCallShift(child.onCall, request.principal, { organisationId: b.organisationId, userId: b.userId, startsAt: instant('startsAt', b.startsAt), endsAt: instant('endsAt', b.endsAt) });
    return reply.status(201).send(presentShift(shift));
  });

  app.delete('/child/on-call/:id', {
    schema: { tags: ['child'], summary: 'Remove an on-call shift', params: S.OnCallDeleteParams, querystring: S.OnCallDeleteQuery, response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) } },
  }, async (request, reply) => {
    await removeOnCallShift(child.onCall, request.principal, request.params.id, request.query.organisationId);
    return reply.status(204).send(null);
  });

  await app.register(childChatRoutes(platform));
};
