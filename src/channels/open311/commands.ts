import { performAction, postMessage, type WorkDeps } from '../../core/case-work.ts';
import { DomainError } from '../../core/errors.ts';
import { authenticate, type IdentityDeps } from '../../core/identity/identity.ts';
import { submitCase, type IntakeDeps } from '../../core/intake.ts';
import type { Language, Organisation } from '../../core/model.ts';
import type { Principal, StaffPrincipal } from '../../core/principal.ts';
import { workflows } from '../../core/workflow/registry.ts';
import type { CreateRequestInput, PlaceContext, RequestsQuery, UpdateInput, Page, Window } from './input.ts';
import type { Open311Store } from './ports.ts';
import { caseText, serviceNotice, toOpen311Request, toOpen311Update, type Open311Request, type Open311Update, type PresentContext } from './present.ts';
import { applicantStepFor } from './status.ts';
import { channelOfService, isService, SERVICE_CASE_CHANNELS, type CategoryNames } from './services.ts';

/**
 * The Open311 door's commands: every request goes through the one intake as the API key's principal,
 * every update through the workflow as the case's applicant. Nothing here writes a table.
 */
export interface Open311Deps {
  intake: IntakeDeps;
  work: WorkDeps;
  store: Open311Store;
  catalog: {
    categories: readonly CategoryNames[];
    organisation(id: string): Organisation | undefined;
    hasCategory(code: string): boolean;
  };
  places: PlaceContext;
  /** A new unguessable token: the request's idempotency key, given to the client. */
  newToken(): string;
}

/** An Open311 client is a machine: its api_key is an API key (tyk_…), never a person's session token. */
export async function authenticateClient(identity: IdentityDeps, apiKey: string | undefined): Promise<StaffPrincipal> {
  if (apiKey === undefined) throw new DomainError('ERR_GEOREPORT_API_KEY_REQUIRED');
  if (!apiKey.startsWith('tyk_') || apiKey.length > 200) throw new DomainError('ERR_GEOREPORT_API_KEY_INVALID');
  let principal: Principal;
  try {
    principal = await authenticate(identity, apiKey);
  } catch (err) {
    if (err instanceof DomainError && err.code === 'ERR_INVALID_TOKEN') throw new DomainError('ERR_GEOREPORT_API_KEY_INVALID');
    throw err;
  }
  if (principal.type !== 'machine') throw new DomainError('ERR_GEOREPORT_API_KEY_INVALID');
  return principal;
}

/** The principal under which intake records a machine's idempotency keys (src/core/intake.ts, principalKey). */
const filerKey = (client: StaffPrincipal): string => `machine:${client.userId}`;

export const isOfferedService = (deps: Open311Deps, code: string): boolean => isService(code) && deps.catalog.hasCategory(code);

export function presentContext(deps: Open311Deps, locale: Language): PresentContext {
  const names = new Map(deps.catalog.categories.map((c) => [c.code, c.names]));
  return {
    locale,
    serviceName: (code, l) => names.get(code)?.[l] ?? null,
    organisationName: (id, l) => deps.catalog.organisation(id)?.names[l] ?? null,
  };
}

/**
 * POST requests: the case is anonymous (the client's contact fields are not kept) and its channel is the
 * service's. The token is the submission's idempotency key, so the record of who filed the case commits
 * in the same statement as the case itself.
 */
export async function fileRequest(deps: Open311Deps, client: StaffPrincipal, input: CreateRequestInput, locale: Language) {
  const channel = isOfferedService(deps, input.serviceCode) ? channelOfService(input.serviceCode) : null;
  if (!channel) throw new DomainError('ERR_GEOREPORT_SERVICE_CODE_INVALID', undefined, { service_code: input.serviceCode });
  const token = deps.newToken();
  const receipt = await submitCase(
    deps.intake,
    client,
    {
      channel,
      category: input.serviceCode,
      text: caseText(input.description, input.mediaUrl),
      location: input.location,
      address: input.address,
      districtId: input.districtId,
      city: input.city,
    },
    { idempotencyKey: token },
  );
  const organisation = deps.catalog.organisation(receipt.organisationId)?.names[locale] ?? null;
  return { service_request_id: receipt.registrationNumber, token, service_notice: serviceNotice(receipt.registrationNumber, organisation, receipt.dueAt) };
}

export async function requestOfToken(deps: Open311Deps, token: string): Promise<{ service_request_id: string; token: string }> {
  const found = token.length <= 100 ? await deps.store.caseOfToken(token) : null;
  if (!found) throw new DomainError('ERR_GEOREPORT_TOKEN_NOT_FOUND');
  return { service_request_id: found.registrationNumber, token };
}

const offeredCodes = (deps: Open311Deps): string[] => deps.catalog.categories.map((c) => c.code).filter((c) => isOfferedService(deps, c));

export async function listRequests(deps: Open311Deps, query: RequestsQuery, locale: Language): Promise<Open311Request[]> {
  const { page, pageSize } = query.page;
  const rows = await deps.store.listRequests(
    query.ids
      ? { numbers: query.ids, categories: offeredCodes(deps), channels: SERVICE_CASE_CHANNELS, limit: pageSize, offset: (page - 1) * pageSize }
      : {
          categories: query.serviceCodes ?? offeredCodes(deps),
          channels: SERVICE_CASE_CHANNELS,
          from: query.window.from,
          to: query.window.to,
          statuses: query.statuses ?? undefined,
          city: query.city,
          limit: pageSize,
          offset: (page - 1) * pageSize,
        },
  );
  const ctx = presentContext(deps, locale);
  return rows.map((r) => toOpen311Request(r, ctx));
}

/** GET requests/{id}: a public, non-confidential request of a service; anything else is not found. */
export async function getRequest(deps: Open311Deps, id: string, locale: Language): Promise<Open311Request> {
  const rows = id.length <= 64 ? await deps.store.listRequests({ numbers: [id], categories: offeredCodes(deps), channels: SERVICE_CASE_CHANNELS, limit: 1, offset: 0 }) : [];
  if (!rows[0]) throw new DomainError('ERR_CASE_NOT_FOUND', 'No such service request', { service_request_id: id.slice(0, 64) });
  return toOpen311Request(rows[0], presentContext(deps, locale));
}

export async function listUpdates(deps: Open311Deps, query: { window: Window; page: Page; city: string | null }): Promise<Open311Update[]> {
  const { page, pageSize } = query.page;
  const rows = await deps.store.listSteps({
    categories: offeredCodes(deps),
    channels: SERVICE_CASE_CHANNELS,
    from: query.window.from,
    to: query.window.to,
    city: query.city,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return rows.map(toOpen311Update);
}

/**
 * POST servicerequestupdates: the client speaks for the person who reported, on a request it filed itself.
 * It acts as the case's applicant: "open" on a closed case is "not fixed", "fixed" on a resolved one
 * confirms it, anything else is a message in the dialog. The workflow decides what is allowed.
 */
export async function postUpdate(deps: Open311Deps, client: StaffPrincipal, input: UpdateInput): Promise<{ update_id: string }> {
  const record = await deps.work.store.getByRegistrationNumber(input.serviceRequestId);
  if (!record || record.confidential || !(await deps.store.filedBy(record.id, filerKey(client)))) {
    throw new DomainError('ERR_CASE_NOT_FOUND', 'No such service request filed with this api_key', { service_request_id: input.serviceRequestId });
  }
  const applicant: Principal = record.applicantId ? { type: 'citizen', userId: record.applicantId } : { type: 'tracking', caseId: record.id };
  const text = caseText(input.description, input.mediaUrl);
  const workflow = workflows[record.channel];
  const step = applicantStepFor(workflow, record.state, input.status);
  let id: string | null;
  if (step) {
    await performAction(deps.work, applicant, record.id, step.action, step.input === 'reason' ? { reason: text } : { message: text });
    id = await deps.store.stepEventId(record.id, { type: workflow.actions[step.action]!.event });
  } else {
    const message = await postMessage(deps.work, applicant, record.id, text, 'dialog');
    id = await deps.store.stepEventId(record.id, { messageId: message.id });
  }
  if (id === null) throw new Error(`open311: the event of the update on ${record.id} was not found`);
  return { update_id: id };
}
