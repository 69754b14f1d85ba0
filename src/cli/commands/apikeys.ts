import { systemClock } from '../../app/platform.ts';
import { DomainError } from '../../core/errors.ts';
import { createApiKey, revokeApiKey } from '../../core/identity/identity.ts';
import type { StaffPrincipal } from '../../core/principal.ts';
import { listApiKeys } from '../../storage/api-key-list.ts';
import { openContext, openPlatform } from '../context.ts';

/**
 * `tyndau apikeys create | list | revoke`: the operator's door to the same commands as the admin API
 * (POST / DELETE /api/v1/admin/api-keys). A key is a machine principal: a staff role of one organisation.
 * Open311 clients file requests with it (docs/OPEN311.md); by default it is a registrar of the processing
 * centre, the body that registers what every door brings in.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// eslint-disable-next-line no-control-regex -- a name with control characters would corrupt the listing
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The operator at the console: everything is within reach, and no person is recorded as the creator. */
const operator = (scope: ReadonlySet<string>): StaffPrincipal => ({ type: 'machine', userId: 'operator', role: 'admin', organisationId: 'kz.government', scope });

export interface CreateOptions {
  name: string;
  org?: string;
  role?: string;
}

export async function apiKeysCreate(options: CreateOptions): Promise<void> {
  const name = options.name.trim();
  if (name.length < 1 || name.length > 100 || CONTROL.test(name)) throw new DomainError('ERR_VALIDATION', '--name must be 1–100 characters on one line');
  const ctx = await openContext();
  try {
    const platform = await openPlatform(ctx, systemClock);
    platform.calendarAdmin.stop();
    const everything = new Set(platform.reference.organisations.map((o) => o.id));
    const key = await createApiKey(platform.identity, operator(everything), {
      name,
      role: options.role ?? 'registrar',
      organisationId: options.org ?? 'kz.processing_centre',
    });
    process.stdout.write(`id\t${key.id}\nname\t${key.name}\nrole\t${key.role}\norganisation\t${key.organisationId}\nkey\t${key.key}\n`);
    process.stderr.write('The key is shown this once; only its hash is stored. Give it to the client now.\n');
  } finally {
    await ctx.close();
  }
}

export async function apiKeysList(): Promise<void> {
  const ctx = await openContext();
  try {
    for (const k of await listApiKeys(ctx.db)) {
      const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
      process.stdout.write(`${k.id}\t${k.name}\t${k.role}\t${k.organisationId ?? '-'}\t${k.createdAt.toISOString()}\t${state}\n`);
    }
  } finally {
    await ctx.close();
  }
}

export async function apiKeysRevoke(id: string): Promise<void> {
  if (!UUID.test(id)) throw new DomainError('ERR_VALIDATION', 'The id is a UUID (tyndau apikeys list shows them)');
  const ctx = await openContext();
  try {
    const platform = await openPlatform(ctx, systemClock);
    platform.calendarAdmin.stop();
    await revokeApiKey(platform.identity, operator(new Set(platform.reference.organisations.map((o) => o.id))), id);
    process.stdout.write(`revoked ${id}\n`);
  } finally {
    await ctx.close();
  }
}
