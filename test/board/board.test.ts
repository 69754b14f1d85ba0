import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareBoardRows, type BoardRow } from '../../src/core/board.ts';
import { boardHubsOf } from '../../src/http/routes/board/hub.ts';
import { bearer } from '../support/app.ts';
import { POINTS } from '../support/factories.ts';
import { isCaseEvent } from './sse-client.ts';
import { boardOf, caseData, cityCase, ESIL_POLICE, LIGHTING, listeningApp, policeCase, pollFor, snapshotOf, until, type ListeningApp } from './support.ts';

const row = (id: string, urgency: BoardRow['urgency'], receivedAt: string): BoardRow => ({
  id, urgency, receivedAt: new Date(receivedAt), registrationNumber: id, channel: 'city', category: 'roads.lighting', state: 'received', stateKind: 'new',
  organisationId: 'o', districtId: null, city: null, address: null, location: null, dueAt: null, assigneeId: null, assigneeName: null, confidential: false, version: 1,
});

describe('board order (pure)', () => {
  it('puts emergencies first, then urgent, then the oldest first', () => {
    const rows = [
      row('d', 'normal', '2026-01-01T10:00:00Z'),
      row('b', 'urgent', '2026-01-03T10:00:00Z'),
      row('a', 'emergency', '2026-01-05T10:00:00Z'),
      row('c', 'normal', '2026-01-01T09:00:00Z'),
      row('e', 'emergency', '2026-01-04T10:00:00Z'),
    ];
    expect(rows.sort(compareBoardRows).map((r) => r.id)).toEqual(['e', 'a', 'b', 'c', 'd']);
  });
});

describe('dispatch board', () => {
  let t: ListeningApp;
  let dispatcher: { token: string; id: string };
  beforeAll(async () => {
    t = await listeningApp({ BOARD_HEARTBEAT_MS: 100 });
    dispatcher = await t.staff('dispatcher', LIGHTING);
  });
  afterAll(() => t.close());

  it('lists the open 109 cases of the organisation: emergencies first, then urgent, then by age', async () => {
    const oldNormal = await cityCase(t, { text: 'Фонарь не горит, первый' });
    t.clock.advance(60_000);
    const urgent = await cityCase(t, { urgency: 'urgent', text: 'Фонари не горят на переходе у школы' });
    t.clock.advance(60_000);
    const newNormal = await cityCase(t, { text: 'Фонарь мигает во дворе' });
    t.clock.advance(60_000);
    const emergency = await cityCase(t, { urgency: 'emergency', text: 'Оборван провод фонаря, искрит на тротуаре' });
    t.clock.advance(60_000);
    const closed = await cityCase(t, { text: 'Фонарь не горит, закрою сразу' });
    const closing = await t.request({
      method: 'POST', url: `/api/v1/cases/${closed.caseId}/actions/resolve_on_first_contact`, headers: bearer(dispatcher.token),
      payload: { outcome: 'explained', answer: 'Замена ламп по графику в четверг' },
    });
    expect(closing.statusCode).toBe(200);

    const board = await boardOf(t, dispatcher.token);
    expect(board.organisationId).toBe(LIGHTING);
    const ids = board.rows.map((r) => r.id);
    expect(ids.slice(0, 4)).toEqual([emergency.caseId, urgent.caseId, oldNormal.caseId, newNormal.caseId]);
    expect(ids).not.toContain(closed.caseId);
    const first = board.rows[0]!;
    expect(first).toMatchObject({ urgency: 'emergency', stateKind: 'new', confidential: false, assignee: null });
    expect(first.secondsLeft).toBeGreaterThan(0); // 2 hours for a city emergency
    expect(first.secondsLeft).toBeLessThanOrEqual(2 * 3600);
  });

  it('is for staff of the organisation with a working role', async () => {
    expect((await t.request({ method: 'GET', url: '/api/v1/board' })).statusCode).toBe(401);
    const citizen = await t.citizen('+77011234567');
    expect((await t.request({ method: 'GET', url: '/api/v1/board', headers: bearer(citizen.token) })).statusCode).toBe(403);
    const analyst = await t.staff('analyst', LIGHTING);
    expect((await t.request({ method: 'GET', url: '/api/v1/board', headers: bearer(analyst.token) })).statusCode).toBe(403);
    const stranger = await t.staff('dispatcher', 'astana.utility.heat');
    const other = await t.request({ method: 'GET', url: `/api/v1/board?organisationId=${LIGHTING}`, headers: bearer(stranger.token) });
    expect(other.statusCode).toBe(403);
    const unknown = await t.request({ method: 'GET', url: '/api/v1/board?organisationId=nowhere', headers: bearer(dispatcher.token) });
    expect(unknown.json<{ error: { code: string } }>().error.code).toBe('ERR_UNKNOWN_ORGANISATION');
    const stream = await fetch(`${t.base}/api/v1/board/stream`);
    expect(stream.status).toBe(401);
  });

  it('streams a snapshot, then each change of the organisation and no other', async () => {
    const stream = await t.stream(`?organisationId=${LIGHTING}`, bearer(dispatcher.token));
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const retry = await stream.next((e) => e.retry !== undefined);
    expect(retry.retry).toBe(3000);
    const snapshot = snapshotOf(await stream.next((e) => e.event === 'snapshot'));
    expect(snapshot.rows.length).toBeGreaterThan(0);
    await t.platform.feed.poll(); // the feed's cursor is where the board starts listening

    const elsewhere = await cityCase(t, { category: 'utilities.heating', text: 'Холодные батареи третий день' });
    expect(elsewhere.organisation.id).toBe('astana.utility.heat');
    const mine = await cityCase(t, { urgency: 'emergency', text: 'Упал столб освещения на дорогу' });
    const added = await pollFor(t, stream, isCaseEvent(mine.caseId, 'upsert'));
    expect(added.id).toMatch(/^[0-9a-f]{12}-\d+$/);
    expect(caseData(added).row).toMatchObject({ id: mine.caseId, urgency: 'emergency', stateKind: 'new' });

    const taken = await t.request({ method: 'POST', url: `/api/v1/cases/${mine.caseId}/actions/take_into_work`, headers: bearer(dispatcher.token), payload: {} });
    expect(taken.statusCode).toBe(200);
    const moved = await pollFor(t, stream, isCaseEvent(mine.caseId, 'upsert'));
    expect(caseData(moved).row).toMatchObject({ state: 'in_work', stateKind: 'open' });

    const assigned = await t.request({ method: 'POST', url: `/api/v1/cases/${mine.caseId}/assign`, headers: bearer(dispatcher.token), payload: { assigneeId: dispatcher.id } });
    expect(assigned.statusCode).toBe(200);
    const withAssignee = await pollFor(t, stream, isCaseEvent(mine.caseId, 'upsert'));
    expect(caseData(withAssignee).row?.assignee?.id).toBe(dispatcher.id);

    // Another organisation's case never reached this stream.
    expect(stream.seen.some(isCaseEvent(elsewhere.caseId))).toBe(false);
    // The heartbeat keeps the stream alive between changes.
    await stream.next((e) => e.comment === 'ping', 2_000);
    stream.close();
  });

  it('drops a case from the old board when it is redirected, and shows it on the new one', async () => {
    const cleaningDispatcher = await t.staff('dispatcher', 'astana.utility.cleaning');
    const oldBoard = await t.stream('', bearer(dispatcher.token));
    const newBoard = await t.stream('', bearer(cleaningDispatcher.token));
    await oldBoard.next((e) => e.event === 'snapshot');
    await newBoard.next((e) => e.event === 'snapshot');
    await t.platform.feed.poll();
    const c = await cityCase(t, { text: 'Сугроб на тротуаре перекрыл проход, фонарь тут ни при чём' });
    await pollFor(t, oldBoard, isCaseEvent(c.caseId, 'upsert'));
    const redirected = await t.request({
      method: 'POST', url: `/api/v1/cases/${c.caseId}/actions/redirect`, headers: bearer(dispatcher.token),
      payload: { organisationId: 'astana.utility.cleaning', reason: 'Уборка снега — не освещение' },
    });
    expect(redirected.statusCode).toBe(200);
    const removed = await pollFor(t, oldBoard, isCaseEvent(c.caseId, 'remove'));
    expect(caseData(removed)).toMatchObject({ op: 'remove', id: c.caseId });
    const arrived = await pollFor(t, newBoard, isCaseEvent(c.caseId, 'upsert'));
    expect(caseData(arrived).row?.id).toBe(c.caseId);
    expect((await boardOf(t, dispatcher.token)).rows.map((r) => r.id)).not.toContain(c.caseId);
    oldBoard.close();
    newBoard.close();
  });

  it('ends the board with its last client: one feed subscription per organisation, none after they leave', async () => {
    await until(t, () => t.platform.feed.subscribers() === 0);
    const streams = await Promise.all([1, 2, 3].map(() => t.stream('', bearer(dispatcher.token))));
    await Promise.all(streams.map((s) => s.next((e) => e.event === 'snapshot')));
    expect(t.platform.feed.subscribers()).toBe(1);
    expect(boardHubsOf(t.platform.board)!.clients(LIGHTING)).toBe(3);
    streams[0]!.close();
    streams[1]!.close();
    const hubs = boardHubsOf(t.platform.board)!;
    await until(t, () => hubs.clients(LIGHTING) === 1);
    expect(t.platform.feed.subscribers()).toBe(1);
    streams[2]!.close();
    await until(t, () => t.platform.feed.subscribers() === 0);
    expect(boardHubsOf(t.platform.board)!.clients()).toBe(0);
  });

  it('replays what a reconnecting client missed (Last-Event-ID), or sends a new snapshot when it cannot', async () => {
    const keeper = await t.stream('', bearer(dispatcher.token)); // keeps the organisation's board alive on this node
    await keeper.next((e) => e.event === 'snapshot');
    const client = await t.stream('', bearer(dispatcher.token));
    await client.next((e) => e.event === 'snapshot');
    await t.platform.feed.poll();
    const first = await cityCase(t, { text: 'Не горит фонарь у остановки' });
    const seen = await pollFor(t, client, isCaseEvent(first.caseId, 'upsert'));
    client.close();
    const missed = await cityCase(t, { text: 'Не горит фонарь у аптеки' });
    await pollFor(t, keeper, isCaseEvent(missed.caseId, 'upsert'));

    const resumed = await t.stream('', { ...bearer(dispatcher.token), 'last-event-id': seen.id! });
    const replayed = await resumed.next((e) => e.event === 'case' || e.event === 'snapshot');
    expect(replayed.event).toBe('case');
    expect(caseData(replayed).row?.id).toBe(missed.caseId);
    resumed.close();

    const stale = await t.stream('', { ...bearer(dispatcher.token), 'last-event-id': '000000000000-1' });
    expect((await stale.next((e) => e.event === 'case' || e.event === 'snapshot')).event).toBe('snapshot');
    stale.close();
    keeper.close();
  });
});

describe('confidential cases on the board', () => {
  let t: ListeningApp;
  beforeAll(async () => {
    t = await listeningApp();
  });
  afterAll(() => t.close());

  it('shows a domestic-violence report only to the head and the assignee, never to other dispatchers', async () => {
    const dispatcher = await t.staff('dispatcher', ESIL_POLICE);
    const head = await t.staff('head', ESIL_POLICE);
    const officer = await t.staff('executor', ESIL_POLICE);
    const dispatcherStream = await t.stream('', bearer(dispatcher.token));
    const headStream = await t.stream('', bearer(head.token));
    await dispatcherStream.next((e) => e.event === 'snapshot');
    await headStream.next((e) => e.event === 'snapshot');
    await t.platform.feed.poll();

    const theft = await policeCase(t);
    const domestic = await policeCase(t, { category: 'safety.domestic', urgency: 'emergency', text: 'Сосед избивает жену, слышны крики', location: POINTS.astanaEsil });
    expect(domestic.organisation.id).toBe(ESIL_POLICE);

    await pollFor(t, headStream, isCaseEvent(domestic.caseId, 'upsert'));
    await pollFor(t, dispatcherStream, isCaseEvent(theft.caseId, 'upsert'));
    const assigned = await t.request({ method: 'POST', url: `/api/v1/cases/${domestic.caseId}/assign`, headers: bearer(head.token), payload: { assigneeId: officer.id } });
    expect(assigned.statusCode).toBe(200);
    await pollFor(t, headStream, isCaseEvent(domestic.caseId, 'upsert'));
    await t.platform.feed.poll();
    await new Promise((r) => setTimeout(r, 50));
    expect(dispatcherStream.seen.some(isCaseEvent(domestic.caseId))).toBe(false);

    const byDispatcher = await boardOf(t, dispatcher.token);
    expect(byDispatcher.rows.map((r) => r.id)).toContain(theft.caseId);
    expect(byDispatcher.rows.map((r) => r.id)).not.toContain(domestic.caseId);
    const byHead = await boardOf(t, head.token);
    expect(byHead.rows[0]).toMatchObject({ id: domestic.caseId, confidential: true, urgency: 'emergency' });
    const byOfficer = await boardOf(t, officer.token);
    expect(byOfficer.rows.map((r) => r.id)).toContain(domestic.caseId);
    dispatcherStream.close();
    headStream.close();
  });
});
