/**
 * The live chat between a child and their psychologist: the dialog of a child case (internal notes never
 * appear in it). Writing goes through the case commands, so a message is a dialog message with its event;
 * the psychologist's first message on a new case is the first contact (it meets the first-contact term),
 * and the child's message while the psychologist waits for them is their reply (the clock runs again).
 *
 * An EventSource cannot send headers, and the tracking code must not travel in a URL (URLs are logged):
 * the client first asks for a chat ticket (header-authenticated), a short-lived single-use secret that
 * opens the stream once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ChatTickets, OnCallRoster, TicketHolder } from './child-ports.ts';
import { readCase, type ReadDeps } from './case-access.ts';
import { applyAction, postMessage, withWorkableCase, type WorkDeps } from './case-work.ts';
import { DomainError } from './errors.ts';
import type { CaseMessage, CaseRecord, StaffRole } from './model.ts';
import { canReadCase, seesSubtree, workflowRole } from './policy.ts';
import type { Principal } from './principal.ts';
import { workflows } from './workflow/registry.ts';

export interface ChatDeps {
  work: WorkDeps;
  read: ReadDeps;
  tickets: ChatTickets;
  roster: Pick<OnCallRoster, 'staffRole'>;
  subtree: (organisationId: string) => ReadonlySet<string>;
  ticketTtlSeconds: number;
}

const hashTicket = (ticket: string): string => createHash('sha256').update(ticket).digest('hex');

/** A case the principal may read, with a chat: a child case. Invisible cases are not found, as everywhere. */
async function chatCase(deps: ChatDeps, principal: Principal, caseId: string): Promise<CaseRecord> {
  if (principal.type === 'public') throw new DomainError('ERR_UNAUTHENTICATED');
  const record = await deps.read.store.get(caseId);
  if (!record || !canReadCase(principal, record)) throw new DomainError('ERR_CASE_NOT_FOUND', undefined, { caseId });
  if (record.channel !== 'child') throw new DomainError('ERR_CHAT_NOT_AVAILABLE', undefined, { caseId, channel: record.channel });
  return record;
}

/** The workflow step a chat message also is, if any: first contact by the psychologist, or the child's reply. */
function chatAction(record: CaseRecord, principal: Principal): string | null {
  const role = workflowRole(principal);
  if (!role) return null;
  for (const action of ['first_contact', 'reply']) {
    const t = workflows[record.channel].actions[action];
    if (t && t.from.includes(record.state) && t.roles.includes(role)) return action;
  }
  return null;
}

/** Writes one chat message (a dialog message) and returns it. */
export async function postChatMessage(deps: ChatDeps, principal: Principal, caseId: string, body: string): Promise<CaseMessage> {
  await chatCase(deps, principal, caseId);
  const messageId = await withWorkableCase(deps.work, principal, caseId, async (tx, before) => {
    const action = chatAction(before, principal);
    if (!action) return null;
    const event = workflows[before.channel].actions[action]!.event;
    await applyAction(deps.work, tx, principal, before, action, { message: body });
    const written = await tx.latestEvent(caseId, [event]);
    return typeof written?.payload['messageId'] === 'string' ? written.payload['messageId'] : null;
  });
  if (messageId === null) return postMessage(deps.work, principal, caseId, body, 'dialog');
  const message = (await deps.read.store.messages(caseId, false)).find((m) => m.id === messageId);
  if (!message) throw new Error(`chat message ${messageId} not found after writing it`);
  return message;
}

function holderOf(principal: Principal, caseId: string): TicketHolder {
  switch (principal.type) {
    case 'tracking':
      return { type: 'tracking', caseId };
    case 'citizen':
      return { type: 'citizen', userId: principal.userId };
    case 'staff':
      return { type: 'staff', userId: principal.userId, role: principal.role, organisationId: principal.organisationId };
    default:
      // A machine client reads no confidential case; it has no chat to open either.
      throw new DomainError('ERR_FORBIDDEN', 'Chat tickets are for people: the child or their psychologist');
  }
}

/** A single-use ticket that opens the chat stream within ticketTtlSeconds. */
export async function issueChatTicket(deps: ChatDeps, principal: Principal, caseId: string): Promise<{ ticket: string; expiresAt: Date }> {
  await chatCase(deps, principal, caseId);
  const holder = holderOf(principal, caseId);
  const ticket = `tct_${randomBytes(24).toString('base64url')}`;
  const now = deps.work.clock.now();
  const expiresAt = new Date(now.getTime() + deps.ticketTtlSeconds * 1000);
  await deps.tickets.save({ hash: hashTicket(ticket), caseId, holder, expiresAt, createdAt: now });
  return { ticket, expiresAt };
}

/** The principal a ticket stands for, once: unknown, expired, used, or for another case → ERR_CHAT_TICKET_INVALID. */
export async function redeemChatTicket(deps: ChatDeps, ticket: string, caseId: string): Promise<Principal> {
  const holder = ticket.length <= 100 ? await deps.tickets.redeem(hashTicket(ticket), caseId, deps.work.clock.now()) : null;
  if (!holder) throw new DomainError('ERR_CHAT_TICKET_INVALID');
  switch (holder.type) {
    case 'tracking':
      return { type: 'tracking', caseId: holder.caseId };
    case 'citizen':
      return { type: 'citizen', userId: holder.userId };
    case 'staff': {
      // The account may have been disabled or moved since the ticket was issued.
      const role: StaffRole | null = await deps.roster.staffRole(holder.userId, holder.organisationId);
      if (role !== holder.role) throw new DomainError('ERR_CHAT_TICKET_INVALID');
      const scope = seesSubtree(holder.role) ? deps.subtree(holder.organisationId) : new Set([holder.organisationId]);
      return { type: 'staff', userId: holder.userId, role: holder.role, organisationId: holder.organisationId, scope };
    }
  }
}

/**
 * Opens the chat for reading: the case must be a child case the principal may read. Staff reading it is
 * recorded once per connection (case.confidential_read, what: chat), as every read of a confidential case.
 */
export async function openChat(deps: ChatDeps, principal: Principal, caseId: string): Promise<CaseRecord> {
  await chatCase(deps, principal, caseId);
  return readCase(deps.read, principal, caseId, 'chat');
}

/** The dialog as the chat shows it, oldest first: never internal notes, whoever reads. */
export const chatMessages = (deps: ChatDeps, caseId: string): Promise<CaseMessage[]> => deps.read.store.messages(caseId, false);

/** Whether the principal may still read the case (checked again on every change: a redirect ends a psychologist's chat). */
export async function stillReadable(deps: ChatDeps, principal: Principal, caseId: string): Promise<CaseRecord | null> {
  const record = await deps.read.store.get(caseId);
  return record && canReadCase(principal, record) ? record : null;
}
