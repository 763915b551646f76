import 'server-only';
import type { Tx } from '@/lib/db';

/**
 * Locks every environment row (FOR UPDATE, in a fixed order so lockers queue instead of
 * deadlocking) and returns the environments in promotion order. Whoever changes the
 * order takes this lock first, so two admins adding or moving at once are serialised.
 * The rows are re-read after locking: in READ COMMITTED a later statement sees what the
 * transaction we waited for committed (including environments it added).
 */
export async function lockEnvironmentOrder(tx: Tx) {
  await tx.$queryRaw`SELECT id FROM environments ORDER BY id FOR UPDATE`;
  return tx.environment.findMany({ orderBy: [{ position: 'asc' }, { createdAt: 'asc' }, { name: 'asc' }] });
}

/**
 * Gives the `i`th environment of `ordered` position `i + 1` (or `i + 2` from `gapAt` on,
 * leaving room for one being inserted), updating only the rows whose position changes.
 */
export async function writeDenseOrder(tx: Tx, ordered: { id: string; position: number }[], gapAt = ordered.length) {
  for (const [index, environment] of ordered.entries()) {
    const position = index < gapAt ? index + 1 : index + 2;
    if (environment.position !== position) await tx.environment.update({ where: { id: environment.id }, data: { position } });
  }
}
