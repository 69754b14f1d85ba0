import type { StaffRole } from '../model.ts';

export interface StaffAccount {
  id: string;
  passwordHash: string | null;
  role: StaffRole;
  organisationId: string;
  disabled: boolean;
}

export interface UserAccount {
  id: string;
  kind: 'staff' | 'citizen';
  role: string;
  organisationId: string | null;
  displayName: string;
  disabled: boolean;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  role: StaffRole;
  organisationId: string;
  revokedAt: Date | null;
}

export interface IdentityStore {
  findStaffByUsername(username: string): Promise<StaffAccount | null>;
  findUser(id: string): Promise<UserAccount | null>;
  findOrCreateCitizen(phone: string, at: Date): Promise<string>;
  createStaff(account: { id: string; username: string; passwordHash: string; displayName: string; role: StaffRole; organisationId: string; at: Date }): Promise<void>;
  saveToken(tokenHash: string, userId: string, createdAt: Date, expiresAt: Date): Promise<void>;
  findToken(tokenHash: string): Promise<{ userId: string; expiresAt: Date; revokedAt: Date | null } | null>;
  revokeToken(tokenHash: string, at: Date): Promise<void>;
  saveOneTimeCode(phone: string, codeHash: string, expiresAt: Date): Promise<void>;
  /** Counts one attempt and returns the code's state after it. */
  attemptOneTimeCode(phone: string): Promise<{ codeHash: string; expiresAt: Date; attempts: number } | null>;
  deleteOneTimeCode(phone: string): Promise<void>;
  saveApiKey(key: { id: string; keyHash: string; name: string; role: StaffRole; organisationId: string; createdBy: string | null; at: Date }): Promise<void>;
  findApiKey(keyHash: string): Promise<ApiKeyRecord | null>;
  /** Revokes an active key of one of these organisations; false when there is none. */
  revokeApiKey(id: string, at: Date, organisations: readonly string[]): Promise<boolean>;
}

/** Delivers a sign-in code: SMS in production; in demo mode the code comes back in the response. */
export interface OneTimeCodeSender {
  readonly revealsCode: boolean;
  send(phone: string, code: string): Promise<void>;
}
