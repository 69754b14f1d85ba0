import { performAction, type ActionParams } from '../../core/case-work.ts';
import { createApiKey } from '../../core/identity/identity.ts';
import type { Outcome, StaffRole } from '../../core/model.ts';
import { seesSubtree } from '../../core/policy.ts';
import type { StaffPrincipal } from '../../core/principal.ts';
import type { ActionInput } from '../../core/workflow/definition.ts';
import { workflows } from '../../core/workflow/registry.ts';
import { buildApp } from '../../http/app.ts';
import type { Platform } from '../platform.ts';
import type { DemoStaff } from './accounts.ts';

/**
 * The demo's Open311 client: one API key and a dozen requests filed through the real handler
 * (POST /open311/v2/requests.json, form-encoded), some worked to closure by the organisations' staff,
 * one reopened by the client ("not fixed"), so GET requests and servicerequestupdates have something to show.
 */

interface DemoRequest {
  fields: Record<string, string>;
  close?: boolean;
  /** After closing, the client's user says it is not fixed (POST servicerequestupdates). */
  notFixed?: string;
}

const REQUESTS: readonly DemoRequest[] = [
  { fields: { service_code: 'roads.lighting', lat: '51.128', long: '71.43', description: 'Не горят три фонаря вдоль тротуара на Кенесары 40, вечером очень темно.' }, close: true },
  { fields: { service_code: 'roads.repair', lat: '43.2', long: '76.9', description: 'Глубокая яма на проезжей части у дома 15 по Тимирязева, машины объезжают по встречной.' } },
  { fields: { service_code: 'utilities.heating', lat: '51.16', long: '71.47', description: 'Пәтердегі батареялар суық, үйде кішкентай балалар бар. Жылу қашан береді?' } },
  { fields: { service_code: 'sanitation.waste', lat: '42.32', long: '69.59', description: 'Контейнеры у рынка не вывозят уже четыре дня, запах на весь двор.' }, close: true },
  { fields: { service_code: 'animals.stray', lat: '43.25', long: '76.95', description: 'Стая бродячих собак у школы №120 бросается на детей по утрам.' } },
  {
    fields: { service_code: 'roads.snow', lat: '51.18', long: '71.40', description: 'Тротуар на Абая не расчищен, сплошная наледь, люди падают.' },
    close: true,
    notFixed: 'Наледь снова появилась, посыпали только половину тротуара.',
  },
  { fields: { service_code: 'safety.public_order', lat: '43.26', long: '76.85', description: 'Каждую ночь во дворе шумная компания распивает спиртное, мешают спать.' }, close: true },
  { fields: { service_code: 'transport.public', lat: '42.30', long: '69.55', description: 'Автобус №12 не ходит по расписанию, интервал больше часа.' } },
  {
    fields: { service_code: 'environment.greenery', jurisdiction_id: 'astana', address_string: 'Кабанбай батыра 48, детская площадка', description: 'Сломанное дерево висит над детской площадкой, может упасть.' },
  },
  { fields: { service_code: 'housing.maintenance', address_id: 'astana.esil', description: 'Лифт в третьем подъезде не работает вторую неделю.' }, close: true },
  { fields: { service_code: 'utilities.water', lat: '43.22', long: '76.87', description: 'Нет холодной воды с утра, аварийная служба не отвечает.' } },
];

const ROLES: readonly StaffRole[] = ['dispatcher', 'executor', 'head', 'controller'];
// Inputs the demo can give an action; anything else (proof, a new organisation, an assignee) it leaves alone.
const GIVEN: ReadonlySet<ActionInput> = new Set(['message', 'answer', 'outcome', 'reason']);

function principalOf(platform: Platform, staff: readonly DemoStaff[], organisationId: string, role: StaffRole): StaffPrincipal {
  const person = staff.find((s) => s.organisationId === organisationId && s.role === role);
  const scope = seesSubtree(role) ? platform.reference.subtree(organisationId) : new Set([organisationId]);
  return person
    ? { type: 'staff', userId: person.id, role, organisationId, scope }
    : { type: 'machine', userId: 'demo', role, organisationId, scope };
}

/** Works a case step by step towards a closed state, with whatever role of its organisation has such a step. */
async function workToClosure(platform: Platform, staff: readonly DemoStaff[], caseId: string): Promise<boolean> {
  for (let step = 0; step < 6; step++) {
    const record = await platform.read.store.get(caseId);
    if (!record) return false;
    const workflow = workflows[record.channel];
    if (record.stateKind === 'closed') return true;
    const options = ROLES.flatMap((role) =>
      Object.entries(workflow.actions)
        .filter(([, a]) => a.from.includes(record.state) && a.roles.includes(role) && a.requires.every((r) => GIVEN.has(r)))
        .map(([name, a]) => ({ name, role, action: a, closes: workflow.states[a.to]?.kind === 'closed' })),
    );
    const next = options.find((o) => o.closes) ?? options.find((o) => workflow.states[o.action.to]?.kind === 'open');
    if (!next) return false;
    const outcome: Outcome = next.action.outcomes?.includes('satisfied') || !next.action.outcomes ? 'satisfied' : next.action.outcomes[0]!;
    const params: ActionParams = {
      message: 'Бригада выехала на место.',
      answer: 'Проблема устранена, спасибо за обращение.',
      reason: 'Проверено на месте.',
      outcome,
    };
    const given: ActionParams = Object.fromEntries(Object.entries(params).filter(([k]) => next.action.requires.includes(k as ActionInput)));
    await performAction(platform.work, principalOf(platform, staff, record.organisationId, next.role), caseId, next.name, given);
  }
  return false;
}

/**
 * Seeds the Open311 part of the demo into a platform that already has the reference data (and, for real
 * names on the closing steps, the demo staff). Returns the client's key: it is shown once, like any key.
 */
export async function seedOpen311Demo(platform: Platform, staff: readonly DemoStaff[] = []): Promise<{ apiKey: string; filed: number; closed: number }> {
  const operator: StaffPrincipal = { type: 'machine', userId: 'operator', role: 'admin', organisationId: 'kz.government', scope: platform.reference.subtree('kz.government') };
  const { key } = await createApiKey(platform.identity, operator, { name: 'Demo Open311 client (FixMyStreet)', role: 'registrar', organisationId: 'kz.processing_centre' });
  const app = await buildApp(platform);
  const post = async (url: string, fields: Record<string, string>) => {
    const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ api_key: key, ...fields }).toString() });
    if (res.statusCode !== 200) throw new Error(`open311 demo: ${url} answered ${res.statusCode}: ${res.body}`);
    return res.json<Record<string, string>[]>()[0]!;
  };
  let filed = 0;
  let closed = 0;
  try {
    for (const request of REQUESTS) {
      const created = await post('/open311/v2/requests.json', request.fields);
      filed++;
      if (!request.close) continue;
      const record = await platform.read.store.getByRegistrationNumber(created['service_request_id']!);
      if (record && (await workToClosure(platform, staff, record.id))) closed++;
      if (request.notFixed) {
        await post('/open311/v2/servicerequestupdates.json', {
          service_request_id: created['service_request_id']!,
          update_id: `demo-${filed}`,
          status: 'OPEN',
          updated_datetime: platform.clock.now().toISOString(),
          description: request.notFixed,
        });
      }
    }
  } finally {
    await app.close();
  }
  return { apiKey: key, filed, closed };
}
