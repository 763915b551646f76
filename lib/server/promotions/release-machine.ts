import 'server-only';
import type { Tx } from '@/lib/db';
import type { Prisma, ReleaseStatus, StrategyType } from '@/lib/generated/prisma/client';
import { conflict } from '@/lib/errors';

/**
 * The release lifecycle — the only place that decides which status may follow which.
 *
 *   pending_approval → approved → deploying ⇄ paused → live → superseded | rolled_back
 *          ↓              ↓           ↓         ↓
 *   rejected, cancelled  cancelled   failed, aborted     (approved → failed too)
 *
 * `paused` and `aborted` belong to canary and shadow releases, which stay `deploying` while
 * they run their steps (or mirror traffic). `deploying → superseded` is a shadow ended by
 * promoting it: the replace request it opened takes over.
 */
export const RELEASE_TRANSITIONS: Record<ReleaseStatus, readonly ReleaseStatus[]> = {
  pending_approval: ['approved', 'rejected', 'cancelled'],
  approved: ['deploying', 'cancelled', 'failed'],
  deploying: ['live', 'failed', 'paused', 'aborted', 'superseded'],
  paused: ['deploying', 'aborted', 'failed'],
  live: ['superseded', 'rolled_back'],
  rejected: [],
  cancelled: [],
  failed: [],
  rolled_back: [],
  superseded: [],
  aborted: [],
};

export const OPEN_STATUSES: readonly ReleaseStatus[] = ['pending_approval', 'approved', 'deploying', 'paused'];

/**
 * What people may do to a running canary or shadow (POST /releases/{id}/{control}), and the
 * strategies and statuses each applies to. `promote-now` is not a status change of its own:
 * it marks the canary for the final step (or, for a shadow, opens the replace request).
 */
export const RELEASE_CONTROLS = {
  pause: { strategies: ['canary'], from: ['deploying'] },
  resume: { strategies: ['canary'], from: ['paused'] },
  abort: { strategies: ['canary', 'shadow'], from: ['deploying', 'paused'] },
  'promote-now': { strategies: ['canary', 'shadow'], from: ['deploying', 'paused'] },
} as const satisfies Record<string, { strategies: readonly StrategyType[]; from: readonly ReleaseStatus[] }>;
export type ReleaseControl = keyof typeof RELEASE_CONTROLS;

export function assertControl(release: { status: ReleaseStatus; strategy: StrategyType }, control: ReleaseControl): void {
  const rule = RELEASE_CONTROLS[control];
  if (!(rule.strategies as readonly StrategyType[]).includes(release.strategy)) {
    throw conflict(`A ${release.strategy} release cannot be ${CONTROL_PAST[control]}; only ${rule.strategies.join(' and ')} releases can.`, 'invalid_transition');
  }
  if (!(rule.from as readonly ReleaseStatus[]).includes(release.status)) {
    throw conflict(`This release is ${DESCRIBE[release.status]}; it cannot be ${CONTROL_PAST[control]}.`, 'invalid_transition');
  }
}

const CONTROL_PAST: Record<ReleaseControl, string> = {
  pause: 'paused',
  resume: 'resumed',
  abort: 'aborted',
  'promote-now': 'promoted now',
};

export function canTransition(from: ReleaseStatus, to: ReleaseStatus): boolean {
  return RELEASE_TRANSITIONS[from].includes(to);
}

const DESCRIBE: Record<ReleaseStatus, string> = {
  pending_approval: 'waiting for approval',
  approved: 'already approved',
  deploying: 'deploying',
  live: 'already live',
  rejected: 'rejected',
  cancelled: 'cancelled',
  failed: 'failed',
  rolled_back: 'rolled back',
  superseded: 'superseded by a newer release',
  paused: 'paused',
  aborted: 'aborted',
};

export function assertTransition(release: { id: string; status: ReleaseStatus }, to: ReleaseStatus): void {
  if (!canTransition(release.status, to)) {
    throw conflict(`This release is ${DESCRIBE[release.status]}; it cannot become ${to.replace('_', ' ')}.`, 'invalid_transition');
  }
}

/** Locks a release row for the rest of the transaction and returns it (or null). */
export async function lockRelease(tx: Tx, id: string) {
  await tx.$queryRaw`SELECT id FROM releases WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.release.findUnique({ where: { id } });
}

/**
 * Applies a transition to a release locked with lockRelease. The status and revision in
 * the WHERE clause make a stale caller fail loudly instead of overwriting.
 */
export async function transitionRelease(
  tx: Tx,
  release: { id: string; status: ReleaseStatus; revision: number },
  to: ReleaseStatus,
  data: Omit<Prisma.ReleaseUncheckedUpdateManyInput, 'status' | 'revision'> = {},
) {
  assertTransition(release, to);
  const { count } = await tx.release.updateMany({
    where: { id: release.id, status: release.status, revision: release.revision },
    data: { ...data, status: to, revision: { increment: 1 } },
  });
  if (count === 0) throw conflict('This release changed while you were acting on it; reload and try again.', 'concurrent_change');
  return tx.release.findUniqueOrThrow({ where: { id: release.id } });
}
