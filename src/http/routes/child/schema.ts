import { Type } from 'typebox';
import { childTopics } from '../../../core/child-intake.ts';
import { languages } from '../../../core/model.ts';
import { Names, Nullable, Uuid } from '../common-schema.ts';

const literals = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });

export const SchoolCode = Type.String({ minLength: 1, maxLength: 20, description: 'The code on the school\'s QR plate, e.g. AST-012' });

export const SchoolParams = Type.Object({ code: SchoolCode }, { additionalProperties: false });
export const SchoolsQuery = Type.Object({ city: Type.Optional(Type.String({ maxLength: 50 })) }, { additionalProperties: false });

export const SchoolResponse = Type.Object({
  code: Type.String(),
  city: Type.String(),
  districtId: Type.String(),
  names: Type.Object({ kk: Type.String(), ru: Type.String(), en: Type.String() }),
  childFormUrl: Type.String({ description: 'What the QR code opens: the child form with this school filled in' }),
  qr: Type.Object({ svg: Type.String(), png: Type.String() }),
});

export const ChildReportBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 100_000, description: 'What is wrong, in the child\'s own words (kk, ru, en or a mix)' }),
    schoolCode: Type.Optional(SchoolCode),
    city: Type.Optional(Type.String({ maxLength: 50, description: 'Without a school: astana, almaty or shymkent' })),
    topic: Type.Optional(literals(childTopics)),
    inDanger: Type.Optional(Type.Boolean({ description: '"I am in danger now": an emergency, a psychologist is alerted at once' })),
    language: Type.Optional(literals(languages)),
    anonymous: Type.Optional(Type.Boolean({ default: true, description: 'Default true: no account is tied to the case; the tracking code is the only key. A signed-in child may say false.' })),
  },
  { additionalProperties: false },
);

export const ChildReceiptResponse = Type.Object({
  caseId: Uuid,
  registrationNumber: Type.String({ examples: ['БҚ-2026-00000042'] }),
  state: Type.String(),
  receivedAt: Type.String({ format: 'date-time' }),
  dueAt: Nullable(Type.String({ format: 'date-time' })),
  anonymous: Type.Boolean(),
  trackingCode: Type.Optional(Type.String({ description: 'The only key to an anonymous case: send it as X-Tracking-Code. Shown once; keep it secret.' })),
  school: Nullable(Type.Object({ code: Type.String(), names: Names })),
  urgent: Type.Boolean({ description: 'Read as an emergency: a psychologist has been alerted' }),
  psychologistAlerted: Type.Boolean(),
  chat: Type.Object({ tickets: Type.String(), messages: Type.String() }),
});

export const ChatTicketResponse = Type.Object({
  ticket: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
  streamUrl: Type.String({ description: 'Open it with EventSource (once, before expiresAt)' }),
});

export const StreamQuery = Type.Object(
  { ticket: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
  { additionalProperties: false },
);

export const ChatMessageBody = Type.Object({ body: Type.String({ minLength: 1, maxLength: 100_000 }) }, { additionalProperties: false });

export const ChatMessageResponse = Type.Object({
  id: Uuid,
  authorRole: Type.String(),
  mine: Type.Boolean(),
  body: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});

const CellValue = Type.Union([Type.Integer(), Type.Literal('<5')]);

export const SchoolStatisticsQuery = Type.Object(
  {
    city: Type.String({ minLength: 1, maxLength: 50 }),
    year: Type.Integer({ minimum: 2000, maximum: 2100, description: 'A calendar year (Kazakhstan time); only whole years, so tables cannot be subtracted' }),
  },
  { additionalProperties: false },
);

export const SchoolStatisticsResponse = Type.Object({
  city: Type.String(),
  year: Type.Integer(),
  minCell: Type.Integer({ description: 'Counts below this are shown as "<5"; more are hidden so that none can be recovered from the totals' }),
  categories: Type.Array(Type.String()),
  schools: Type.Array(Type.Object({ code: Type.String(), names: Names, cells: Type.Record(Type.String(), CellValue), total: CellValue })),
  totals: Type.Object({ cells: Type.Record(Type.String(), CellValue), total: CellValue }),
});

export const OnCallQuery = Type.Object(
  { organisationId: Type.String({ minLength: 1, maxLength: 100 }), from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }) },
  { additionalProperties: false },
);

export const OnCallBody = Type.Object(
  {
    organisationId: Type.String({ minLength: 1, maxLength: 100 }),
    userId: Uuid,
    startsAt: Type.String({ format: 'date-time' }),
    endsAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

export const OnCallShiftResponse = Type.Object({
  id: Type.Integer(),
  organisationId: Type.String(),
  userId: Type.String(),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
});

export const OnCallDeleteParams = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export const OnCallDeleteQuery = Type.Object({ organisationId: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
