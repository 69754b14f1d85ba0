import { secondsLeft, type BoardRow, type BoardSnapshot } from '../../../core/board.ts';

/** A board row on the wire: times as ISO strings, the time left at the moment it was sent. */
export function presentBoardRow(row: BoardRow, now: Date) {
  return {
    id: row.id,
    registrationNumber: row.registrationNumber,
    channel: row.channel,
    category: row.category,
    urgency: row.urgency,
    state: row.state,
    stateKind: row.stateKind,
    organisationId: row.organisationId,
    districtId: row.districtId,
    city: row.city,
    address: row.address,
    location: row.location,
    receivedAt: row.receivedAt.toISOString(),
    dueAt: row.dueAt?.toISOString() ?? null,
    secondsLeft: secondsLeft(row, now),
    assignee: row.assigneeId ? { id: row.assigneeId, name: row.assigneeName } : null,
    confidential: row.confidential,
    version: row.version,
  };
}

export const presentBoard = (b: BoardSnapshot) => ({
  organisationId: b.organisationId,
  generatedAt: b.generatedAt.toISOString(),
  truncated: b.truncated,
  rows: b.rows.map((r) => presentBoardRow(r, b.generatedAt)),
});
