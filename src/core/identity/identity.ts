import { DomainError } from '../errors.ts';
import { staffRoles, type StaffRole } from '../model.ts';
import type { Clock, IdGenerator } from '../ports.ts';
import type { Principal, StaffPrincipal } from '../principal.ts';
import { seesSubtree } from '../policy.ts';
import { normalisePhone } from './phone.ts';
import type { IdentityStore, OneTimeCodeSender } from './ports.ts';
import { hashPassword, newOneTimeCode, newSecret, sha256, verifyPassword } from './secrets.ts';

export interface IdentityDeps {
  identities: IdentityStore;
  sender: OneTimeCodeSender;
  clock: Clock;
  ids: IdGenerator;
  subtree: (organisationId: string) => ReadonlySet<string>;
  hasOrganisation: (organisationId: string) => boolean;
  tokenTtlHours: number;
  codeTtlSeconds: number;
  codeMaxAttempts: number;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
  userId: string;
}

async function issueToken(deps: IdentityDeps, userId: string): Promise<IssuedToken> {
  const token = newSecret('tyt');
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.tokenTtlHours * 3_600_000);
  await deps.identities.saveToken(sha256(token), userId, now, expiresAt);
  return { token, expiresAt, userId };
}

// Compared against when the username is unknown, so that a miss costs as long as a hit.
const DECOY_HASH = hashPassword('decoy-password-for-timing');

export async function signInStaff(deps: IdentityDeps, username: string, password: string): Promise<IssuedToken> {
  const account = await deps.identities.findStaffByUsername(username.trim().toLowerCase());
  const ok = await verifyPassword(password, account?.passwordHash ?? (await DECOY_HASH));
  if (!account || !ok || account.disabled) throw new DomainError('ERR_INVALID_CREDENTIALS');
  return issueToken(deps, account.id);
}

export async function requestSignInCode(deps: IdentityDeps, rawPhone: string): Promise<{ phone: string; expiresAt: Date; code?: string }> {
  const phone = normalisePhone(rawPhone);
  const code = newOneTimeCode();
  const expiresAt = new Date(deps.clock.now().getTime() + deps.codeTtlSeconds * 1000);
  await deps.identities.saveOneTimeCode(phone, sha256(`${phone}:${code}`), expiresAt);
  await deps.sender.send(phone, code);
  return deps.sender.revealsCode ? { phone, expiresAt, code } : { phone, expiresAt };
}

export async function verifySignInCode(deps: IdentityDeps, rawPhone: string, code: string): Promise<IssuedToken> {
  const phone = normalisePhone(rawPhone);
  const state = await deps.identities.attemptOneTimeCode(phone);
  if (!state || state.expiresAt <= deps.clock.now()) throw new DomainError('ERR_OTP_INVALID');
  if (state.attempts > deps.codeMaxAttempts) {
    await deps.identities.deleteOneTimeCode(phone);
    throw new DomainError('ERR_OTP_TOO_MANY_ATTEMPTS');
  }
  if (state.codeHash !== sha256(`${phone}:${code.trim()}`)) throw new DomainError('ERR_OTP_INVALID');
  await deps.identities.deleteOneTimeCode(phone);
  return issueToken(deps, await deps.identities.findOrCreateCitizen(phone, deps.clock.now()));
}

export async function signOut(deps: IdentityDeps, token: string): Promise<void> {
  await deps.identities.revokeToken(sha256(token), deps.clock.now());
}

function staffPrincipal(deps: IdentityDeps, type: 'staff' | 'machine', id: string, role: StaffRole, organisationId: string): Principal {
  const scope = seesSubtree(role) ? deps.subtree(organisationId) : new Set([organisationId]);
  return { type, userId: id, role, organisationId, scope };
}

/** Turns a bearer secret (a session token or an API key) into the principal it stands for. */
export async function authenticate(deps: IdentityDeps, secret: string): Promise<Principal> {
  if (secret.startsWith('tyk_')) {
    const key = await deps.identities.findApiKey(sha256(secret));
    if (!key || key.revokedAt) throw new DomainError('ERR_INVALID_TOKEN');
    return staffPrincipal(deps, 'machine', key.id, key.role, key.organisationId);
  }
  const token = await deps.identities.findToken(sha256(secret));
  if (!token || token.revokedAt || token.expiresAt <= deps.clock.now()) throw new DomainError('ERR_INVALID_TOKEN');
  const user = await deps.identities.findUser(token.userId);
  if (!user || user.disabled) throw new DomainError('ERR_INVALID_TOKEN');
  if (user.kind === 'citizen') return { type: 'citizen', userId: user.id };
  return staffPrincipal(deps, 'staff', user.id, user.role as StaffRole, user.organisationId!);
}

const isStaffRole = (role: string): role is StaffRole => (staffRoles as readonly string[]).includes(role);

/**
 * An API key for a machine client, created by an admin for an organisation within the admin's own reach:
 * a key may never see more than the person who made it.
 */
export async function createApiKey(deps: IdentityDeps, creator: StaffPrincipal, input: { name: string; role: string; organisationId: string }) {
  if (!isStaffRole(input.role) || input.role === 'admin') throw new DomainError('ERR_VALIDATION', 'An API key takes a staff role other than admin', { role: input.role });
  if (!deps.hasOrganisation(input.organisationId)) throw new DomainError('ERR_UNKNOWN_ORGANISATION', undefined, { organisationId: input.organisationId });
  if (!creator.scope.has(input.organisationId)) {
    throw new DomainError('ERR_FORBIDDEN', 'An API key can only be made for an organisation within your own', { organisationId: input.organisationId });
  }
  const key = newSecret('tyk');
  const id = deps.ids.uuid();
  const createdBy = creator.type === 'staff' ? creator.userId : null;
  await deps.identities.saveApiKey({ id, keyHash: sha256(key), name: input.name, role: input.role, organisationId: input.organisationId, createdBy, at: deps.clock.now() });
  return { id, key, name: input.name, role: input.role, organisationId: input.organisationId };
}

/** Revokes a key of an organisation within the admin's reach; any other id is simply not found. */
export async function revokeApiKey(deps: IdentityDeps, admin: StaffPrincipal, id: string): Promise<void> {
  const revoked = await deps.identities.revokeApiKey(id, deps.clock.now(), [...admin.scope]);
  if (!revoked) throw new DomainError('ERR_API_KEY_NOT_FOUND', undefined, { id });
}

export async function createStaffAccount(
  deps: IdentityDeps,
  input: { username: string; password: string; displayName: string; role: StaffRole; organisationId: string },
): Promise<string> {
  if (!deps.hasOrganisation(input.organisationId)) throw new DomainError('ERR_UNKNOWN_ORGANISATION', undefined, { organisationId: input.organisationId });
  const id = deps.ids.uuid();
  await deps.identities.createStaff({
    id,
    username: input.username.trim().toLowerCase(),
    passwordHash: await hashPassword(input.password),
    displayName: input.displayName,
    role: input.role,
    organisationId: input.organisationId,
    at: deps.clock.now(),
  });
  return id;
}
