import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DATA_FILES } from '../../config/paths.ts';
import { hashPassword } from '../../core/identity/secrets.ts';
import { staffRoles, type StaffRole } from '../../core/model.ts';
import type { Platform } from '../platform.ts';

const roleName = z.string().regex(/^[a-z]+\d?$/);
const accountsSchema = z.object({
  password: z.string().min(8),
  everyOrganisation: z.array(roleName),
  byType: z.record(z.string(), z.array(roleName)),
  extra: z.array(z.object({ username: z.string(), role: z.enum(staffRoles), organisationId: z.string(), displayName: z.string() })),
  citizens: z.array(z.string()),
});

export interface DemoStaff {
  id: string;
  username: string;
  role: StaffRole;
  organisationId: string;
}

/** 'psychologist2' is a second psychologist: the digit only makes the username unique. */
const baseRole = (name: string): StaffRole => z.enum(staffRoles).parse(name.replace(/\d$/, ''));

/** Creates the demo staff (one password hash shared by all, computed once) and returns them. */
export async function createDemoAccounts(platform: Platform): Promise<DemoStaff[]> {
  const file = accountsSchema.parse(JSON.parse(readFileSync(path.join(DATA_FILES, 'demo', 'accounts.json'), 'utf8')));
  const passwordHash = await hashPassword(file.password);
  const wanted = platform.reference.organisations.flatMap((org) =>
    [...file.everyOrganisation, ...(file.byType[org.type] ?? [])].map((name) => ({
      username: `${org.id}.${name}`,
      role: baseRole(name),
      organisationId: org.id,
      displayName: `${org.names.en}: ${name}`,
    })),
  );
  const staff: DemoStaff[] = [];
  const at = platform.clock.now();
  for (const account of [...wanted, ...file.extra]) {
    const id = platform.identity.ids.uuid();
    await platform.identity.identities.createStaff({ id, passwordHash, at, ...account });
    staff.push({ id, username: account.username, role: account.role, organisationId: account.organisationId });
  }
  for (const phone of file.citizens) await platform.identity.identities.findOrCreateCitizen(phone, at);
  return staff;
}
