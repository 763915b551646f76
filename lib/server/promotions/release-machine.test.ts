import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import type { ReleaseStatus } from '@/lib/generated/prisma/client';
import { RELEASE_STATUSES } from '@/lib/validation/registry';
import { assertTransition, canTransition, OPEN_STATUSES, RELEASE_TRANSITIONS } from './release-machine';

const TERMINAL: ReleaseStatus[] = ['rejected', 'cancelled', 'failed', 'rolled_back', 'superseded'];

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
