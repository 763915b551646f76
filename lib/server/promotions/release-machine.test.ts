import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import type { ReleaseStatus } from '@/lib/generated/prisma/client';
import { RELEASE_STATUSES } from '@/lib/validation/registry';
import { assertControl, assertTransition, canTransition, OPEN_STATUSES, RELEASE_CONTROLS, RELEASE_TRANSITIONS } from './release-machine';

const TERMINAL: ReleaseStatus[] = ['rejected', 'cancelled', 'failed', 'rolled_back', 'superseded', 'aborted'];

describe('RELEASE_TRANSITIONS', () => {
  it('covers every status the database knows, and only those', () => {
    expect(Object.keys(RELEASE_TRANSITIONS).sort()).toEqual([...RELEASE_STATUSES].sort());
    for (const targets of Object.values(RELEASE_TRANSITIONS)) {
      for (const target of targets) expect(RELEASE_STATUSES).toContain(target);
    }
  });

  it.each(TERMINAL)('%s is terminal: no transition leaves it', (status) => {
    expect(RELEASE_TRANSITIONS[status]).toEqual([]);
    for (const to of RELEASE_STATUSES) expect(canTransition(status, to)).toBe(false);
  });

  it('has exactly the terminal statuses without exits, and open statuses are not terminal', () => {
    const withoutExits = RELEASE_STATUSES.filter((s) => RELEASE_TRANSITIONS[s].length === 0);
    expect(withoutExits.sort()).toEqual([...TERMINAL].sort());
    for (const open of OPEN_STATUSES) expect(RELEASE_TRANSITIONS[open].length).toBeGreaterThan(0);
  });

  it('allows the happy path pending_approval → approved → deploying → live → superseded', () => {
    const path: ReleaseStatus[] = ['pending_approval', 'approved', 'deploying', 'live', 'superseded'];
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!), `${path[i - 1]} → ${path[i]}`).toBe(true);
    expect(canTransition('live', 'rolled_back')).toBe(true);
  });

  it('allows the ways out of an open request: reject, cancel, fail', () => {
    expect(canTransition('pending_approval', 'rejected')).toBe(true);
    expect(canTransition('pending_approval', 'cancelled')).toBe(true);
    expect(canTransition('approved', 'cancelled')).toBe(true);
    expect(canTransition('approved', 'failed')).toBe(true);
    expect(canTransition('deploying', 'failed')).toBe(true);
  });

  it.each<[ReleaseStatus, ReleaseStatus]>([
    ['live', 'approved'],
    ['live', 'pending_approval'],
    ['live', 'live'],
    ['approved', 'approved'],
    ['approved', 'rejected'],
    ['pending_approval', 'live'],
    ['pending_approval', 'deploying'],
    ['deploying', 'cancelled'],
    ['deploying', 'approved'],
    ['superseded', 'live'],
    ['rolled_back', 'live'],
    ['rejected', 'approved'],
    ['cancelled', 'approved'],
    ['approved', 'paused'],
    ['live', 'paused'],
    ['live', 'aborted'],
    ['paused', 'live'],
    ['paused', 'superseded'],
    ['aborted', 'deploying'],
  ])('refuses %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it('never allows a status to follow itself, and never goes back to pending_approval', () => {
    for (const status of RELEASE_STATUSES) {
      expect(canTransition(status, status)).toBe(false);
      expect(canTransition(status, 'pending_approval')).toBe(false);
    }
  });

  it('reaches a terminal status from every status', () => {
    const reachesTerminal = (status: ReleaseStatus, seen = new Set<ReleaseStatus>()): boolean => {
      if (TERMINAL.includes(status)) return true;
      seen.add(status);
      return RELEASE_TRANSITIONS[status].some((next) => !seen.has(next) && reachesTerminal(next, seen));
    };
    for (const status of RELEASE_STATUSES) expect(reachesTerminal(status), status).toBe(true);
  });
});

describe('assertTransition', () => {
  it('passes allowed transitions', () => {
    expect(() => assertTransition({ id: 'r', status: 'pending_approval' }, 'approved')).not.toThrow();
  });

  it('refuses others with 409 invalid_transition and a message naming the state', () => {
    let caught: unknown;
    try {
      assertTransition({ id: 'r', status: 'cancelled' }, 'approved');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect(caught).toMatchObject({ status: 409, code: 'invalid_transition' });
    expect((caught as AppError).message).toMatch(/cancelled/);
  });
});

describe('canary and shadow controls', () => {
  it('pauses only a deploying canary, and resumes only a paused one', () => {
    expect(canTransition('deploying', 'paused')).toBe(true);
    expect(canTransition('paused', 'deploying')).toBe(true);
    expect(() => assertControl({ status: 'deploying', strategy: 'canary' }, 'pause')).not.toThrow();
    expect(() => assertControl({ status: 'paused', strategy: 'canary' }, 'pause')).toThrow(/paused; it cannot be paused/);
    expect(() => assertControl({ status: 'deploying', strategy: 'canary' }, 'resume')).toThrow(/cannot be resumed/);
    expect(() => assertControl({ status: 'deploying', strategy: 'shadow' }, 'pause')).toThrow(/only canary releases can/);
  });

  it('aborts and promotes canaries and shadows that are running or paused, nothing else', () => {
    for (const control of ['abort', 'promote-now'] as const) {
      for (const strategy of ['canary', 'shadow'] as const) {
        expect(() => assertControl({ status: 'deploying', strategy }, control)).not.toThrow();
      }
      expect(() => assertControl({ status: 'deploying', strategy: 'replace' }, control)).toThrow(/A replace release cannot/);
      for (const status of ['live', 'approved', 'aborted', 'failed'] as const) {
        expect(() => assertControl({ status, strategy: 'canary' }, control)).toThrow(AppError);
      }
    }
  });

  it('only names statuses that the machine can leave by the transition the control makes', () => {
    expect(RELEASE_CONTROLS.pause.from.every((s) => canTransition(s, 'paused'))).toBe(true);
    expect(RELEASE_CONTROLS.resume.from.every((s) => canTransition(s, 'deploying'))).toBe(true);
    expect(RELEASE_CONTROLS.abort.from.every((s) => canTransition(s, 'aborted'))).toBe(true);
  });
});
