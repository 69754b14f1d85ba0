import { describe, expect, it } from 'vitest';
import { staffRoles, type CaseRecord, type StaffRole } from '../../src/core/model.ts';
import {
  canAdminister,
  canAssign,
  canManageCalendar,
  canReadCase,
  canReadInternalNotes,
  canRegisterOnBehalf,
  canWorkOnCase,
  canWriteInternalNote,
  listScopeFor,
  seesSubtree,
  workflowRole,
  type ListScope,
} from '../../src/core/policy.ts';
import type { Principal, StaffPrincipal } from '../../src/core/principal.ts';

/**
 * A slice of data/organisations.json (parentId links), enough for own / child / parent / unrelated:
 *
 *   kz.government
 *   ├── astana.akimat
 *   │   ├── astana.dept.housing ── astana.utility.heat
 *   │   └── astana.dept.education ── astana.psychologists
 *   └── almaty.akimat ── almaty.dept.housing ── almaty.utility.heat
 */
const PARENT: Readonly<Record<string, string | null>> = {
  'kz.government': null,
  'astana.akimat': 'kz.government',
  'astana.dept.housing': 'astana.akimat',
  'astana.utility.heat': 'astana.dept.housing',
  'astana.dept.education': 'astana.akimat',
  'astana.psychologists': 'astana.dept.education',
  'almaty.akimat': 'kz.government',
  'almaty.dept.housing': 'almaty.akimat',
  'almaty.utility.heat': 'almaty.dept.housing',
};

function subtree(root: string): Set<string> {
  const found = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [id, parent] of Object.entries(PARENT)) {
      if (parent && found.has(parent) && !found.has(id)) {
        found.add(id);
        grew = true;
      }
    }
  }
  return found;
}

const HOUSING = 'astana.dept.housing';
const HEAT = 'astana.utility.heat'; // child of HOUSING
const AKIMAT = 'astana.akimat'; // parent of HOUSING
const ALMATY_HEAT = 'almaty.utility.heat'; // unrelated to HOUSING
const PSYCHOLOGISTS = 'astana.psychologists';
const EDUCATION = 'astana.dept.education'; // parent of PSYCHOLOGISTS

let seq = 0;
const uuid = (): string => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

/** A principal as the auth plugin builds it: the scope follows the role, as in identity.ts. */
function staff(role: StaffRole, organisationId: string, type: 'staff' | 'machine' = 'staff', userId = uuid()): StaffPrincipal {
  return { type, userId, role, organisationId, scope: seesSubtree(role) ? subtree(organisationId) : new Set([organisationId]) };
}
const machine = (role: StaffRole, organisationId: string): StaffPrincipal => staff(role, organisationId, 'machine');

const PUBLIC: Principal = { type: 'public' };
const citizen = (userId = uuid()): Principal => ({ type: 'citizen', userId });
const tracking = (caseId: string): Principal => ({ type: 'tracking', caseId });

const AT = new Date('2026-11-25T05:00:00Z');

function caseIn(organisationId: string, overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    id: uuid(),
    registrationNumber: `109-2026-${String(seq).padStart(8, '0')}`,
    channel: 'city',
    kind: 'complaint',
    category: 'utilities.heating',
    urgency: 'normal',
    language: 'ru',
    text: 'В квартире холодно',
    location: null,
    address: null,
    city: 'astana',
    districtId: 'astana.esil',
    applicantId: null,
    anonymous: true,
    organisationId,
    assigneeId: null,
    state: 'received',
    stateKind: 'new',
    confidential: false,
    triage: false,
    outcome: null,
    receivedAt: AT,
    registeredAt: AT,
    dueAt: null,
    closedAt: null,
    createdAt: AT,
    updatedAt: AT,
    version: 1,
    relatedCaseId: null,
    complaintConsent: true,
    complaintAbout: null,
    contestedOfficialId: null,
    ...overrides,
  };
}

const SUBTREE_ROLES: readonly StaffRole[] = ['head', 'controller', 'analyst', 'admin'];
const OWN_ORG_ROLES: readonly StaffRole[] = ['registrar', 'executor', 'dispatcher', 'psychologist'];
const ASSIGNING_ROLES: readonly StaffRole[] = ['head', 'registrar', 'dispatcher'];

it('the role lists above split the staff roles exactly', () => {
  expect([...SUBTREE_ROLES, ...OWN_ORG_ROLES].sort()).toEqual([...staffRoles].sort());
  for (const role of staffRoles) expect(seesSubtree(role)).toBe(SUBTREE_ROLES.includes(role));
});

describe('canReadCase', () => {
  it('lets the public read nothing', () => {
    expect(canReadCase(PUBLIC, caseIn(HOUSING))).toBe(false);
    expect(canReadCase(PUBLIC, caseIn(HOUSING, { applicantId: null, anonymous: true }))).toBe(false);
  });

  it('lets a citizen read only the cases they applied for, confidential ones included', () => {
    const me = uuid();
    const p = citizen(me);
    expect(canReadCase(p, caseIn(HOUSING, { applicantId: me, anonymous: false }))).toBe(true);
    expect(canReadCase(p, caseIn(PSYCHOLOGISTS, { applicantId: me, anonymous: false, confidential: true, channel: 'child' }))).toBe(true);
    expect(canReadCase(p, caseIn(HOUSING, { applicantId: uuid(), anonymous: false }))).toBe(false);
    expect(canReadCase(p, caseIn(HOUSING))).toBe(false); // anonymous: nobody's
  });

  it('lets a tracking-code holder read only that one case, confidential or not', () => {
    const mine = caseIn(HOUSING);
    const mineConfidential = caseIn(PSYCHOLOGISTS, { confidential: true, channel: 'child' });
    expect(canReadCase(tracking(mine.id), mine)).toBe(true);
    expect(canReadCase(tracking(mineConfidential.id), mineConfidential)).toBe(true);
    expect(canReadCase(tracking(mine.id), caseIn(HOUSING))).toBe(false);
  });

  describe.each(['staff', 'machine'] as const)('%s principals', (type) => {
    it.each(staffRoles)('%s reads its own organisation\'s cases, never a parent\'s or an unrelated one\'s', (role) => {
      const p = staff(role, HOUSING, type);
      expect(canReadCase(p, caseIn(HOUSING))).toBe(true);
      expect(canReadCase(p, caseIn(AKIMAT))).toBe(false);
      expect(canReadCase(p, caseIn(ALMATY_HEAT))).toBe(false);
    });

    it.each(SUBTREE_ROLES)('%s (a supervising role) also reads child organisations\' cases, at any depth', (role) => {
      expect(canReadCase(staff(role, HOUSING, type), caseIn(HEAT))).toBe(true);
      expect(canReadCase(staff(role, AKIMAT, type), caseIn(HEAT))).toBe(true);
    });

    it.each(OWN_ORG_ROLES)('%s does not read child organisations\' cases', (role) => {
      expect(canReadCase(staff(role, HOUSING, type), caseIn(HEAT))).toBe(false);
      expect(canReadCase(staff(role, AKIMAT, type), caseIn(HEAT))).toBe(false);
    });
  });

  describe('confidential cases', () => {
    const psychologist = staff('psychologist', PSYCHOLOGISTS);
    const confidential = caseIn(PSYCHOLOGISTS, { channel: 'child', category: 'child.bullying', confidential: true, assigneeId: psychologist.userId });

    it('are read by their assignee and by the head of the responsible organisation', () => {
      expect(canReadCase(psychologist, confidential)).toBe(true);
      expect(canReadCase(staff('head', PSYCHOLOGISTS), confidential)).toBe(true);
    });

    it.each(staffRoles.filter((r) => r !== 'head'))('are not read by a %s of the responsible organisation who is not the assignee', (role) => {
      expect(canReadCase(staff(role, PSYCHOLOGISTS), confidential)).toBe(false);
    });

    it.each(SUBTREE_ROLES)('are not read by a %s of a parent organisation, though its scope covers the case\'s organisation', (role) => {
      for (const org of [EDUCATION, AKIMAT, 'kz.government']) {
        const p = staff(role, org);
        expect(p.scope.has(PSYCHOLOGISTS)).toBe(true);
        expect(canReadCase(p, confidential), `${role} of ${org}`).toBe(false);
      }
    });

    it.each(staffRoles)('are not read by a machine key with the role %s, even of the responsible organisation', (role) => {
      expect(canReadCase(machine(role, PSYCHOLOGISTS), confidential)).toBe(false);
    });

    it('are not read by a machine key whose id happens to equal the assignee id', () => {
      const key: StaffPrincipal = { ...machine('psychologist', PSYCHOLOGISTS), userId: psychologist.userId };
      expect(canReadCase(key, confidential)).toBe(false);
    });

    it('are read by nobody but the head while unassigned', () => {
      const unassigned = { ...confidential, assigneeId: null };
      expect(canReadCase(staff('head', PSYCHOLOGISTS), unassigned)).toBe(true);
      expect(canReadCase(psychologist, unassigned)).toBe(false);
      expect(canReadCase(staff('admin', AKIMAT), unassigned)).toBe(false);
    });

    it('domestic-violence cases follow the same rule', () => {
      const police = 'astana.police.esil';
      const officer = staff('executor', police);
      const domestic = caseIn(police, { channel: 'police', category: 'safety.domestic', confidential: true, assigneeId: officer.userId });
      expect(canReadCase(officer, domestic)).toBe(true);
      expect(canReadCase(staff('head', police), domestic)).toBe(true);
      expect(canReadCase(staff('registrar', police), domestic)).toBe(false);
      expect(canReadCase(staff('controller', police), domestic)).toBe(false);
    });
  });
});

describe('canWorkOnCase', () => {
  it('follows reading for citizens and tracking-code holders (they write in their own dialog)', () => {
    const me = uuid();
    const own = caseIn(HOUSING, { applicantId: me, anonymous: false });
    expect(canWorkOnCase(citizen(me), own)).toBe(true);
    expect(canWorkOnCase(citizen(), own)).toBe(false);
    expect(canWorkOnCase(tracking(own.id), own)).toBe(true);
    expect(canWorkOnCase(tracking(uuid()), own)).toBe(false);
    expect(canWorkOnCase(PUBLIC, own)).toBe(false);
  });

  it.each(staffRoles.filter((r) => r !== 'analyst'))('lets a %s work on its own organisation\'s cases', (role) => {
    expect(canWorkOnCase(staff(role, HOUSING), caseIn(HOUSING))).toBe(true);
    expect(canWorkOnCase(machine(role, HOUSING), caseIn(HOUSING))).toBe(true);
    expect(canWorkOnCase(staff(role, HOUSING), caseIn(ALMATY_HEAT))).toBe(false);
  });

  it.each(SUBTREE_ROLES.filter((r) => r !== 'analyst'))('lets a %s work on child organisations\' cases', (role) => {
    expect(canWorkOnCase(staff(role, HOUSING), caseIn(HEAT))).toBe(true);
  });

  it.each(OWN_ORG_ROLES)('does not let a %s work on child organisations\' cases', (role) => {
    expect(canWorkOnCase(staff(role, HOUSING), caseIn(HEAT))).toBe(false);
  });

  it('keeps a non-supervising role to its own organisation even if its scope were wider', () => {
    const p: StaffPrincipal = { ...staff('executor', HOUSING), scope: subtree(HOUSING) };
    expect(canReadCase(p, caseIn(HEAT))).toBe(true);
    expect(canWorkOnCase(p, caseIn(HEAT))).toBe(false);
  });

  it('never lets an analyst change a case: it only looks', () => {
    for (const p of [staff('analyst', HOUSING), machine('analyst', HOUSING)]) {
      expect(canReadCase(p, caseIn(HOUSING))).toBe(true);
      expect(canWorkOnCase(p, caseIn(HOUSING))).toBe(false);
      expect(canWorkOnCase(p, caseIn(HEAT))).toBe(false);
      expect(canWriteInternalNote(p, caseIn(HOUSING))).toBe(false);
    }
  });

  it('lets only the assignee and the head work on a confidential case', () => {
    const psychologist = staff('psychologist', PSYCHOLOGISTS);
    const c = caseIn(PSYCHOLOGISTS, { channel: 'child', confidential: true, assigneeId: psychologist.userId });
    expect(canWorkOnCase(psychologist, c)).toBe(true);
    expect(canWorkOnCase(staff('head', PSYCHOLOGISTS), c)).toBe(true);
    expect(canWorkOnCase(staff('psychologist', PSYCHOLOGISTS), c)).toBe(false);
    expect(canWorkOnCase(staff('admin', AKIMAT), c)).toBe(false);
    expect(canWorkOnCase(staff('head', EDUCATION), c)).toBe(false);
    expect(canWorkOnCase(machine('head', PSYCHOLOGISTS), c)).toBe(false);
  });
});

describe('internal notes', () => {
  it('are read by staff and machine keys only', () => {
    expect(canReadInternalNotes(PUBLIC)).toBe(false);
    expect(canReadInternalNotes(citizen())).toBe(false);
    expect(canReadInternalNotes(tracking(uuid()))).toBe(false);
    for (const role of staffRoles) {
      expect(canReadInternalNotes(staff(role, HOUSING))).toBe(true);
      expect(canReadInternalNotes(machine(role, HOUSING))).toBe(true);
    }
  });

  it('are written by staff who may work on the case, never by the applicant', () => {
    const me = uuid();
    const own = caseIn(HOUSING, { applicantId: me, anonymous: false });
    expect(canWriteInternalNote(citizen(me), own)).toBe(false);
    expect(canWriteInternalNote(tracking(own.id), own)).toBe(false);
    expect(canWriteInternalNote(staff('executor', HOUSING), own)).toBe(true);
    expect(canWriteInternalNote(staff('executor', HEAT), own)).toBe(false);
  });
});

describe('canAssign', () => {
  it.each(ASSIGNING_ROLES)('lets a %s (staff or machine) assign its own organisation\'s cases', (role) => {
    expect(canAssign(staff(role, HOUSING), caseIn(HOUSING))).toBe(true);
    expect(canAssign(machine(role, HOUSING), caseIn(HOUSING))).toBe(true);
    expect(canAssign(staff(role, HOUSING), caseIn(ALMATY_HEAT))).toBe(false);
    expect(canAssign(staff(role, HOUSING), caseIn(AKIMAT))).toBe(false);
  });

  it('lets a head assign child organisations\' cases, but not a registrar or dispatcher', () => {
    expect(canAssign(staff('head', HOUSING), caseIn(HEAT))).toBe(true);
    expect(canAssign(staff('registrar', HOUSING), caseIn(HEAT))).toBe(false);
    expect(canAssign(staff('dispatcher', HOUSING), caseIn(HEAT))).toBe(false);
  });

  it.each(staffRoles.filter((r) => !ASSIGNING_ROLES.includes(r)))('never lets a %s assign', (role) => {
    expect(canAssign(staff(role, HOUSING), caseIn(HOUSING))).toBe(false);
    expect(canAssign(staff(role, HOUSING), caseIn(HEAT))).toBe(false);
    expect(canAssign(machine(role, HOUSING), caseIn(HOUSING))).toBe(false);
  });

  it('never lets the public, a citizen or a tracking-code holder assign, even their own case', () => {
    const me = uuid();
    const own = caseIn(HOUSING, { applicantId: me, anonymous: false });
    expect(canAssign(PUBLIC, own)).toBe(false);
    expect(canAssign(citizen(me), own)).toBe(false);
    expect(canAssign(tracking(own.id), own)).toBe(false);
  });

  it('on a confidential case: only the head of the organisation (who can read it)', () => {
    const psychologist = staff('psychologist', PSYCHOLOGISTS);
    const c = caseIn(PSYCHOLOGISTS, { channel: 'child', confidential: true, assigneeId: psychologist.userId });
    expect(canAssign(staff('head', PSYCHOLOGISTS), c)).toBe(true);
    expect(canAssign(psychologist, c)).toBe(false);
    expect(canAssign(staff('registrar', PSYCHOLOGISTS), c)).toBe(false);
    expect(canAssign(staff('dispatcher', PSYCHOLOGISTS), c)).toBe(false);
    expect(canAssign(machine('head', PSYCHOLOGISTS), c)).toBe(false);
    expect(canAssign(staff('head', EDUCATION), c)).toBe(false);
  });
});

describe('workflowRole', () => {
  it('is null for the public and "applicant" for citizens and tracking-code holders', () => {
    expect(workflowRole(PUBLIC)).toBeNull();
    expect(workflowRole(citizen())).toBe('applicant');
    expect(workflowRole(tracking(uuid()))).toBe('applicant');
  });

  it.each(staffRoles)('is the staff role itself for a %s, for people and machine keys alike', (role) => {
    expect(workflowRole(staff(role, HOUSING))).toBe(role);
    expect(workflowRole(machine(role, HOUSING))).toBe(role);
  });
});

describe('registering on behalf and administering', () => {
  it.each(staffRoles)('%s', (role) => {
    const registers = role === 'registrar' || role === 'dispatcher' || role === 'admin';
    expect(canRegisterOnBehalf(staff(role, HOUSING))).toBe(registers);
    expect(canRegisterOnBehalf(machine(role, HOUSING))).toBe(registers);
    expect(canAdminister(staff(role, HOUSING))).toBe(role === 'admin');
    // An API key never administers (and createApiKey refuses the admin role anyway).
    expect(canAdminister(machine(role, HOUSING))).toBe(false);
    // The business calendar: an admin in person (the event names them), wherever their organisation.
    expect(canManageCalendar(staff(role, HOUSING))).toBe(role === 'admin');
    expect(canManageCalendar(staff(role, ALMATY_HEAT))).toBe(role === 'admin');
    expect(canManageCalendar(machine(role, HOUSING))).toBe(false);
  });

  it('nobody outside staff registers on behalf or administers', () => {
    for (const p of [PUBLIC, citizen(), tracking(uuid())]) {
      expect(canRegisterOnBehalf(p)).toBe(false);
      expect(canAdminister(p)).toBe(false);
      expect(canManageCalendar(p)).toBe(false);
    }
  });
});

describe('listScopeFor', () => {
  it('gives the public nothing, a citizen their applications, a tracking-code holder their case', () => {
    const me = uuid();
    const caseId = uuid();
    expect(listScopeFor(PUBLIC)).toEqual({ type: 'none' });
    expect(listScopeFor(citizen(me))).toEqual({ type: 'applicant', applicantId: me });
    expect(listScopeFor(tracking(caseId))).toEqual({ type: 'case', caseId });
  });

  it.each(staffRoles)('gives a %s its scope, confidential cases assigned to it, and (a head) its own organisation\'s confidential cases', (role) => {
    const p = staff(role, HOUSING);
    const scope = listScopeFor(p);
    expect(scope).toMatchObject({ type: 'staff', confidentialAssignee: p.userId, confidentialHeadOf: role === 'head' ? HOUSING : null });
    expect(scope.type === 'staff' && [...scope.organisations].sort()).toEqual([...p.scope].sort());
    expect(scope.type === 'staff' && scope.organisations.includes(HEAT)).toBe(seesSubtree(role));
  });

  it.each(staffRoles)('gives a machine key with the role %s no confidential cases at all', (role) => {
    const p = machine(role, HOUSING);
    expect(listScopeFor(p)).toMatchObject({ type: 'staff', confidentialAssignee: null, confidentialHeadOf: null });
  });

  /** What the storage WHERE clause (src/storage/case-store.ts applyScope) selects, restated. */
  function listed(scope: ListScope, c: CaseRecord): boolean {
    switch (scope.type) {
      case 'none':
        return false;
      case 'applicant':
        return c.applicantId === scope.applicantId;
      case 'case':
        return c.id === scope.caseId;
      case 'staff':
        return (
          (!c.confidential && scope.organisations.includes(c.organisationId)) ||
          (c.confidential && scope.confidentialAssignee !== null && c.assigneeId === scope.confidentialAssignee) ||
          (c.confidential && scope.confidentialHeadOf !== null && c.organisationId === scope.confidentialHeadOf)
        );
    }
  }

  it('lists exactly the cases canReadCase lets the principal read', () => {
    const me = uuid();
    const psychologist = staff('psychologist', PSYCHOLOGISTS);
    const cases: CaseRecord[] = [];
    for (const org of Object.keys(PARENT)) {
      cases.push(caseIn(org), caseIn(org, { applicantId: me, anonymous: false }));
      cases.push(caseIn(org, { confidential: true, channel: 'child' }));
      cases.push(caseIn(org, { confidential: true, channel: 'child', assigneeId: psychologist.userId }));
      cases.push(caseIn(org, { confidential: true, channel: 'child', applicantId: me, anonymous: false }));
    }
    const principals: Principal[] = [PUBLIC, citizen(me), citizen(), tracking(cases[0]!.id), tracking(cases[2]!.id), psychologist];
    for (const org of Object.keys(PARENT)) {
      for (const role of staffRoles) principals.push(staff(role, org), machine(role, org));
    }
    for (const p of principals) {
      for (const c of cases) {
        const who = p.type === 'staff' || p.type === 'machine' ? `${p.type} ${p.role}@${p.organisationId}` : p.type;
        expect(listed(listScopeFor(p), c), `${who} on ${c.organisationId}${c.confidential ? ' (confidential)' : ''}`).toBe(canReadCase(p, c));
      }
    }
  });
});
