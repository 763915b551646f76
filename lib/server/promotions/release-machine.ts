import 'server-only';
import type { Tx } from '@/lib/db';
import type { Prisma, ReleaseStatus } from '@/lib/generated/prisma/client';
import { conflict } from '@/lib/errors';

/**
 * The release lifecycle — the only place that decides which status may follow which.
 *
 *   pending_approval → approved → deploying → live → superseded | rolled_back
 *          ↓              ↓           ↓
 *   rejected, cancelled  cancelled   failed          (approved → failed too)
 */
export const RELEASE_TRANSITIONS: Record<ReleaseStatus, readonly ReleaseStatus[]> = {
  pending_approval: ['approved', 'rejected', 'cancelled'],
  approved: ['deploying', 'cancelled', 'failed'],
  deploying: ['live', 'failed'],
  live: ['superseded', 'rolled_back'],
  rejected: [],
  cancelled: [],
  failed: [],
  rolled_back: [],
  superseded: [],
};

export const OPEN_STATUSES: readonly ReleaseStatus[] = ['pending_approval', 'approved', 'deploying'];

export function canTransition(from: ReleaseStatus, to: ReleaseStatus): boolean {
  return RELEASE_TRANSITIONS[from].includes(to);
}

const DESCRIBE: Record<ReleaseStatus, string> = {
  pending_approval: 'waiting for approval',
  approved: 'already approved',
  deploying: 'already deploying',
  live: 'already live',
  rejected: 'rejected',
  cancelled: 'cancelled',
  failed: 'failed',
  rolled_back: 'rolled back',
  superseded: 'superseded by a newer release',
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
