import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.ts';
import { channels, roles, stateKinds, type Role } from '../../src/core/model.ts';
import type { ActionInput, TransitionDefinition, WorkflowDefinition } from '../../src/core/workflow/definition.ts';
import { availableActions, planAction, stateKindOf } from '../../src/core/workflow/engine.ts';
import { workflows } from '../../src/core/workflow/registry.ts';

const ACTION_INPUTS: readonly ActionInput[] = ['reason', 'organisation', 'assignee', 'outcome', 'answer', 'terminationReason', 'message', 'proof', 'until', 'unit'];
const all = (): Set<ActionInput> => new Set(ACTION_INPUTS);

/** The DomainError a call throws; fails the test when it throws nothing or something else. */
function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError, but the call succeeded');
}

/** Where an action leads from `from`: 'initial' is the workflow's initial state, 'same' stays put. */
const targetOf = (wf: WorkflowDefinition, t: TransitionDefinition, from = t.from[0]!): string =>
  t.to === 'initial' ? wf.initial : t.to === 'same' ? from : t.to;
/** Missing proof has its own code; every other missing input is ERR_ACTION_INPUT. */
const missingCode = (missing: readonly ActionInput[]): string => (missing.includes('proof') ? 'ERR_PROOF_REQUIRED' : 'ERR_ACTION_INPUT');

const definitions = Object.entries(workflows) as [string, WorkflowDefinition][];

describe('workflow registry', () => {
  it('has a definition for every channel, each named after its channel', () => {
    expect(Object.keys(workflows).sort()).toEqual([...channels].sort());
    for (const [channel, wf] of definitions) expect(wf.channel).toBe(channel);
  });
});

describe.each(definitions)('the %s workflow (structure)', (_channel, wf) => {
  const stateNames = Object.keys(wf.states);

  it('starts in a state it defines, of kind new', () => {
    expect(stateNames).toContain(wf.initial);
    expect(wf.states[wf.initial]?.kind).toBe('new');
  });

  it('gives every state a known kind, and a clock that matches it', () => {
    for (const [name, state] of Object.entries(wf.states)) {
      expect(stateKinds, `state ${name}`).toContain(state.kind);
      if (state.kind === 'closed') expect(state.clock, `closed state ${name}`).toBe('stopped');
      if (state.kind === 'waiting') expect(state.clock, `waiting state ${name}`).toBe('paused');
      if (state.kind === 'new' || state.kind === 'open') expect(state.clock, `state ${name}`).toBe('runs');
    }
  });

  it('names only defined states in every from and to', () => {
    for (const [name, action] of Object.entries(wf.actions)) {
      expect(action.from.length, `action ${name} has no from`).toBeGreaterThan(0);
      for (const from of action.from) expect(stateNames, `action ${name} from ${from}`).toContain(from);
      if (action.to !== 'initial' && action.to !== 'same') expect(stateNames, `action ${name} to ${action.to}`).toContain(action.to);
    }
  });

  it('names only known roles and inputs, and records a case.* event', () => {
    for (const [name, action] of Object.entries(wf.actions)) {
      expect(action.roles.length, `action ${name} has no roles`).toBeGreaterThan(0);
      for (const role of action.roles) expect(roles, `action ${name} role ${role}`).toContain(role);
      for (const input of action.requires) expect(ACTION_INPUTS, `action ${name} input ${input}`).toContain(input);
      expect(action.event, `action ${name}`).toMatch(/^case\.[a-z_]+$/);
    }
  });

  it('reaches every state from the initial one', () => {
    const reached = new Set([wf.initial]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const action of Object.values(wf.actions)) {
        const to = targetOf(wf, action);
        if (action.to !== 'same' && action.from.some((f) => reached.has(f)) && !reached.has(to)) {
          reached.add(to);
          grew = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...stateNames].sort());
  });

  it('leaves every state that is not closed by some action', () => {
    for (const [name, state] of Object.entries(wf.states)) {
      if (state.kind === 'closed') continue;
      const exits = Object.values(wf.actions).filter((a) => a.from.includes(name) && targetOf(wf, a) !== name);
      expect(exits.length, `state ${name} is a dead end`).toBeGreaterThan(0);
    }
  });
});

describe.each(definitions)('planAction over the %s workflow', (_channel, wf) => {
  const actions = Object.entries(wf.actions);
  const stateNames = Object.keys(wf.states);

  it('allows each action from each of its states, for each of its roles, leading where the definition says', () => {
    for (const [name, action] of actions) {
      for (const state of action.from) {
        for (const role of action.roles) {
          const plan = planAction(wf, { state }, { action: name, role, supplied: new Set(action.requires) });
          const to = targetOf(wf, action, state);
          expect(plan, `${name} from ${state} as ${role}`).toEqual({ toState: to, toKind: wf.states[to]!.kind, event: action.event });
        }
      }
    }
  });

  it('refuses each action in every state outside its from list (ERR_ACTION_NOT_ALLOWED_IN_STATE)', () => {
    for (const [name, action] of actions) {
      for (const state of stateNames.filter((s) => !action.from.includes(s))) {
        const err = refusal(() => planAction(wf, { state }, { action: name, role: action.roles[0]!, supplied: all() }));
        expect(err.code, `${name} in ${state}`).toBe('ERR_ACTION_NOT_ALLOWED_IN_STATE');
        expect(err.errorClass).toBe('conflict');
        expect(err.details).toMatchObject({ action: name, state, allowedFrom: action.from });
      }
    }
  });

  it('refuses each action to every role not listed (ERR_ACTION_NOT_ALLOWED_FOR_ROLE)', () => {
    for (const [name, action] of actions) {
      for (const role of roles.filter((r: Role) => !action.roles.includes(r))) {
        const err = refusal(() => planAction(wf, { state: action.from[0]! }, { action: name, role, supplied: all() }));
        expect(err.code, `${name} as ${role}`).toBe('ERR_ACTION_NOT_ALLOWED_FOR_ROLE');
        expect(err.errorClass).toBe('forbidden');
        expect(err.details).toMatchObject({ action: name, role, roles: action.roles });
      }
    }
  });

  it('checks the state before the role: a wrong state is reported even for a wrong role', () => {
    for (const [name, action] of actions) {
      const wrongState = stateNames.find((s) => !action.from.includes(s));
      const wrongRole = roles.find((r) => !action.roles.includes(r));
      if (!wrongState || !wrongRole) continue;
      const err = refusal(() => planAction(wf, { state: wrongState }, { action: name, role: wrongRole, supplied: all() }));
      expect(err.code).toBe('ERR_ACTION_NOT_ALLOWED_IN_STATE');
    }
  });

  it('refuses an action without its inputs, naming each missing one (ERR_ACTION_INPUT)', () => {
    for (const [name, action] of actions) {
      const request = { action: name, role: action.roles[0]! };
      const state = { state: action.from[0]! };
      if (action.requires.length === 0) {
        expect(() => planAction(wf, state, { ...request, supplied: new Set() })).not.toThrow();
        continue;
      }
      const none = refusal(() => planAction(wf, state, { ...request, supplied: new Set() }));
      expect(none.code).toBe(missingCode(action.requires));
      if (none.code === 'ERR_PROOF_REQUIRED') {
        expect(none.errorClass).toBe('unprocessable');
        expect(none.details).toEqual({ action: name });
      } else {
        expect(none.errorClass).toBe('invalid');
        expect(none.details).toEqual({ action: name, missing: [...action.requires] });
      }
      for (const input of action.requires) {
        const rest = new Set(ACTION_INPUTS.filter((i) => i !== input));
        const one = refusal(() => planAction(wf, state, { ...request, supplied: rest }));
        expect(one.code, `${name} without ${input}`).toBe(missingCode([input]));
        if (input !== 'proof') expect(one.details, `${name} without ${input}`).toEqual({ action: name, missing: [input] });
      }
    }
  });

  it('refuses an action the workflow does not have (ERR_ACTION_UNKNOWN), listing those it has', () => {
    const err = refusal(() => planAction(wf, { state: wf.initial }, { action: 'teleport', role: 'head', supplied: all() }));
    expect(err.code).toBe('ERR_ACTION_UNKNOWN');
    expect(err.details).toEqual({ action: 'teleport', available: Object.keys(wf.actions) });
    // Inherited object keys are not actions either.
    for (const inherited of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(refusal(() => planAction(wf, { state: wf.initial }, { action: inherited, role: 'head', supplied: all() })).code, inherited).toBe('ERR_ACTION_UNKNOWN');
    }
  });

  it('offers as available exactly the actions planAction allows (given their inputs)', () => {
    for (const state of stateNames) {
      for (const role of roles) {
        const allowed = actions
          .filter(([name, action]) => {
            try {
              planAction(wf, { state }, { action: name, role, supplied: new Set(action.requires) });
              return true;
            } catch {
              return false;
            }
          })
          .map(([name]) => name);
        expect(availableActions(wf, state, role), `${state} as ${role}`).toEqual(allowed);
      }
    }
  });

  it('knows the kind of each of its states and refuses an unknown one', () => {
    for (const [name, state] of Object.entries(wf.states)) expect(stateKindOf(wf, name)).toBe(state.kind);
    expect(() => stateKindOf(wf, 'nowhere')).toThrow(/no state nowhere/);
    expect(() => stateKindOf(wf, 'constructor')).toThrow(/no state constructor/);
  });
});

describe('planAction on the appeal workflow (examples)', () => {
  const wf = workflows.appeal;

  it('sends a redirected appeal back to the initial state', () => {
    const plan = planAction(wf, { state: 'in_work' }, { action: 'redirect', role: 'head', supplied: new Set(['organisation', 'reason']) });
    expect(plan).toEqual({ toState: 'registered', toKind: 'new', event: 'case.redirected' });
  });

  it('pauses the clock while waiting for documents, and closes on an answer', () => {
    expect(planAction(wf, { state: 'in_work' }, { action: 'request_documents', role: 'executor', supplied: new Set(['message']) }).toKind).toBe('waiting');
    expect(wf.states['awaiting_applicant']?.clock).toBe('paused');
    expect(planAction(wf, { state: 'in_work' }, { action: 'answer', role: 'executor', supplied: new Set(['outcome', 'answer']) }).toKind).toBe('closed');
  });

  it('lets only the applicant withdraw, and only the head terminate', () => {
    expect(planAction(wf, { state: 'registered' }, { action: 'withdraw', role: 'applicant', supplied: new Set() }).toState).toBe('withdrawn');
    expect(refusal(() => planAction(wf, { state: 'registered' }, { action: 'withdraw', role: 'head', supplied: new Set() })).code).toBe('ERR_ACTION_NOT_ALLOWED_FOR_ROLE');
    expect(refusal(() => planAction(wf, { state: 'in_work' }, { action: 'terminate', role: 'executor', supplied: all() })).code).toBe('ERR_ACTION_NOT_ALLOWED_FOR_ROLE');
    expect(refusal(() => planAction(wf, { state: 'answered' }, { action: 'withdraw', role: 'applicant', supplied: new Set() })).code).toBe('ERR_ACTION_NOT_ALLOWED_IN_STATE');
  });

  it('refuses a broken definition that leads to an undefined state', () => {
    const broken: WorkflowDefinition = { ...wf, actions: { ...wf.actions, vanish: { from: ['registered'], to: 'limbo', roles: ['head'], requires: [], event: 'case.vanished' } } };
    expect(() => planAction(broken, { state: 'registered' }, { action: 'vanish', role: 'head', supplied: new Set() })).toThrow(/unknown state limbo/);
  });
});
