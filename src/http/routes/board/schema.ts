import { Type } from 'typebox';
import { channels, stateKinds, urgencies } from '../../../core/model.ts';
import { Nullable, Uuid } from '../common-schema.ts';

const literals = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
const OrganisationId = Type.String({ minLength: 1, maxLength: 100, description: "Whose board; by default the caller's own organisation" });

export const BoardQuery = Type.Object({ organisationId: Type.Optional(OrganisationId) }, { additionalProperties: false });

export const StreamQuery = Type.Object(
  {
    organisationId: Type.Optional(OrganisationId),
    ticket: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'A board ticket (POST /board/tickets), for an EventSource that cannot send the Authorization header' })),
    lastEventId: Type.Optional(Type.String({ maxLength: 64, description: 'For clients that cannot send the Last-Event-ID header' })),
  },
  { additionalProperties: false },
);

export const TicketBody = Type.Object({ organisationId: Type.Optional(OrganisationId) }, { additionalProperties: false });

export const TicketResponse = Type.Object({
  ticket: Type.String({ description: 'Single use; put it in the stream URL: /api/v1/board/stream?ticket=…' }),
  organisationId: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});

export const BoardRowResponse = Type.Object({
  id: Uuid,
  registrationNumber: Type.String(),
  channel: literals(channels),
  category: Type.String(),
  urgency: literals(urgencies),
  state: Type.String(),
  stateKind: literals(stateKinds),
  organisationId: Type.String(),
  districtId: Nullable(Type.String()),
  city: Nullable(Type.String()),
  address: Nullable(Type.String()),
  location: Nullable(Type.Object({ lat: Type.Number(), lon: Type.Number() })),
  receivedAt: Type.String({ format: 'date-time' }),
  dueAt: Nullable(Type.String({ format: 'date-time' })),
  secondsLeft: Nullable(Type.Integer({ description: 'Until the due time when this row was sent; negative: overdue' })),
  assignee: Nullable(Type.Object({ id: Uuid, name: Nullable(Type.String()) })),
  confidential: Type.Boolean(),
  version: Type.Integer({ description: 'Apply a streamed change only when its version is newer than the row you have' }),
});

export const BoardResponse = Type.Object({
  organisationId: Type.String(),
  generatedAt: Type.String({ format: 'date-time' }),
  truncated: Type.Boolean({ description: 'More cases are open than BOARD_MAX_ROWS' }),
  rows: Type.Array(BoardRowResponse, { description: 'Emergencies first, then urgent, then the oldest first' }),
});
