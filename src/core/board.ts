/**
 * The dispatch board: an organisation's open 102 and 109 cases, emergencies first, then urgent ones, then
 * the oldest first. Pure rules here (what is on a board, in which order, who may watch it, the tickets an
 * EventSource signs in with); the query is src/storage/board-store.ts, the stream src/http/routes/board/.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DomainError } from './errors.ts';
import { staffRoles, type Channel, type GeoPoint, type StaffRole, type StateKind, type Urgency } from './model.ts';
import { canReadBoard, canReadBoardRow, seesSubtree } from './policy.ts';
import type { Principal, StaffPrincipal } from './principal.ts';
import { isStaff } from './principal.ts';
import type { Clock, LiveFeed } from './ports.ts';

/** The channels whose cases are dispatched from a board: police (102) and city (109). */
export const BOARD_CHANNELS: readonly Channel[] = ['police', 'city'];
/** Every state kind but closed: new, open and waiting cases stay on the board. */
export const BOARD_STATE_KINDS: readonly StateKind[] = ['new', 'open', 'waiting'];

/** One row of a board: what a dispatcher needs to pick the next case, never the applicant or the text. */
export interface BoardRow {
  id: string;
  registrationNumber: string;
  channel: Channel;
  category: string;
  urgency: Urgency;
  state: string;
  stateKind: StateKind;
  organisationId: string;
  districtId: string | null;
  city: string | null;
  address: string | null;
  location: GeoPoint | null;
  receivedAt: Date;
  dueAt: Date | null;
  assigneeId: string | null;
  assigneeName: string | null;
  confidential: boolean;
  /** The case's version: a client applies a change only when it is newer than the row it has. */
  version: number;
}

const URGENCY_RANK: Readonly<Record<Urgency, number>> = { emergency: 0, urgent: 1, normal: 2 };

export const urgencyRank = (u: Urgency): number => URGENCY_RANK[u];

/** The board's order (the same as the index cases_board walks): urgency, then age (oldest first), then id. */
export function compareBoardRows(a: BoardRow, b: BoardRow): number {
  return (
    urgencyRank(a.urgency) - urgencyRank(b.urgency) ||
    a.receivedAt.getTime() - b.receivedAt.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Whether a case, as it is now, belongs on this organisation's board. */
export const isOnBoard = (row: Pick<BoardRow, 'channel' | 'stateKind' | 'organisationId'>, organisationId: string): boolean =>
  row.organisationId === organisationId && BOARD_CHANNELS.includes(row.channel) && BOARD_STATE_KINDS.includes(row.stateKind);

/** Seconds until the due time (negative when overdue); null without a due time. */
export const secondsLeft = (row: Pick<BoardRow, 'dueAt'>, now: Date): number | null =>
  row.dueAt ? Math.round((row.dueAt.getTime() - now.getTime()) / 1000) : null;

/** The rows this principal may see: confidential cases only for their assignee and the organisation's head. */
export const visibleRows = (p: StaffPrincipal, rows: readonly BoardRow[]): BoardRow[] => rows.filter((r) => canReadBoardRow(p, r));

/** Which board: the one asked for, else the principal's own organisation; refused outside their reach. */
export function boardOrganisation(p: Principal, asked: string | undefined, hasOrganisation: (id: string) => boolean): { principal: StaffPrincipal; organisationId: string } {
  if (p.type === 'public') throw new DomainError('ERR_UNAUTHENTICATED');
  if (!isStaff(p)) throw new DomainError('ERR_FORBIDDEN', 'Boards are for staff of an organisation');
  const organisationId = asked ?? p.organisationId;
  if (!hasOrganisation(organisationId)) throw new DomainError('ERR_UNKNOWN_ORGANISATION', undefined, { organisationId });
  if (!canReadBoard(p, organisationId)) throw new DomainError('ERR_FORBIDDEN', 'Your role or organisation may not watch this board', { organisationId });
  return { principal: p, organisationId };
}

/** Where board rows come from (src/storage/board-store.ts). */
export interface BoardSource {
  /** At most `limit` rows in board order; `more` when further rows are open. */
  board(organisationId: string, limit: number): Promise<{ rows: BoardRow[]; more: boolean }>;
  /** The cases as they are now, wherever they are. */
  rowsByIds(ids: readonly string[]): Promise<BoardRow[]>;
}

export interface BoardSnapshot {
  organisationId: string;
  generatedAt: Date;
  rows: BoardRow[];
  /** More cases are open than the snapshot carries (BOARD_MAX_ROWS). */
  truncated: boolean;
}

/** A board as it is now, as this principal may see it. */
export async function readBoard(deps: Pick<BoardDeps, 'source' | 'clock' | 'maxRows'>, principal: StaffPrincipal, organisationId: string): Promise<BoardSnapshot> {
  const { rows, more } = await deps.source.board(organisationId, deps.maxRows);
  return { organisationId, generatedAt: deps.clock.now(), rows: visibleRows(principal, rows), truncated: more };
}

// --- Tickets: how a browser's EventSource (which cannot send headers) signs in to the stream ---

export interface BoardTicketStore {
  saveTicket(t: { ticketHash: string; userId: string; organisationId: string; createdAt: Date; expiresAt: Date }): Promise<void>;
  /** Marks the ticket used when it is unused and unexpired, in one statement; null otherwise. */
  redeemTicket(ticketHash: string, at: Date): Promise<{ userId: string; organisationId: string } | null>;
}

export interface BoardUser {
  id: string;
  kind: 'staff' | 'citizen';
  role: string;
  organisationId: string | null;
  disabled: boolean;
}

export interface BoardTicketDeps {
  tickets: BoardTicketStore;
  /** Users as the identity store has them: a ticket is redeemed for the person as they are now. */
  findUser(id: string): Promise<BoardUser | null>;
  subtree: (organisationId: string) => ReadonlySet<string>;
  hasOrganisation: (id: string) => boolean;
  clock: Clock;
  ttlSeconds: number;
}

const TICKET_PREFIX = 'tyb_';
const TICKET_SHAPE = /^tyb_[A-Za-z0-9_-]{43}$/;
const isStaffRole = (role: string): role is StaffRole => (staffRoles as readonly string[]).includes(role);
const hashTicket = (ticket: string): string => createHash('sha256').update(ticket).digest('hex');

/**
 * A single-use ticket for one board, valid for a short time, for a signed-in person (an API key sends its
 * header instead). It stands for the person, so a role or an account changed meanwhile is seen on redeeming.
 */
export async function issueBoardTicket(deps: BoardTicketDeps, p: Principal, asked: string | undefined): Promise<{ ticket: string; organisationId: string; expiresAt: Date }> {
  const { principal, organisationId } = boardOrganisation(p, asked, deps.hasOrganisation);
  if (principal.type !== 'staff') throw new DomainError('ERR_FORBIDDEN', 'Tickets are for people; a machine client sends its key in the Authorization header');
  const ticket = `${TICKET_PREFIX}${randomBytes(32).toString('base64url')}`;
  const createdAt = deps.clock.now();
  const expiresAt = new Date(createdAt.getTime() + deps.ttlSeconds * 1000);
  await deps.tickets.saveTicket({ ticketHash: hashTicket(ticket), userId: principal.userId, organisationId, createdAt, expiresAt });
  return { ticket, organisationId, expiresAt };
}

/** The principal a ticket stands for, once: a forged, used or expired ticket is refused alike. */
export async function redeemBoardTicket(deps: BoardTicketDeps, ticket: string): Promise<{ principal: StaffPrincipal; organisationId: string }> {
  if (!TICKET_SHAPE.test(ticket)) throw new DomainError('ERR_BOARD_TICKET_INVALID');
  const redeemed = await deps.tickets.redeemTicket(hashTicket(ticket), deps.clock.now());
  if (!redeemed) throw new DomainError('ERR_BOARD_TICKET_INVALID');
  const user = await deps.findUser(redeemed.userId);
  if (!user || user.disabled || user.kind !== 'staff' || !user.organisationId || !isStaffRole(user.role)) throw new DomainError('ERR_BOARD_TICKET_INVALID');
  const role = user.role;
  const scope = seesSubtree(role) ? deps.subtree(user.organisationId) : new Set([user.organisationId]);
  const principal: StaffPrincipal = { type: 'staff', userId: user.id, role, organisationId: user.organisationId, scope };
  if (!canReadBoard(principal, redeemed.organisationId)) throw new DomainError('ERR_FORBIDDEN', 'Your role or organisation may not watch this board');
  return { principal, organisationId: redeemed.organisationId };
}

/** Everything the board's routes need: the rows, the live feed, the tickets. */
export interface BoardDeps extends BoardTicketDeps {
  source: BoardSource;
  feed: LiveFeed;
  maxRows: number;
}
