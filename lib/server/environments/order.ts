import 'server-only';
import type { Tx } from '@/lib/db';

/**
 * Takes the one lock for changing the order of environments and returns them in
 * promotion order, so two admins adding or moving at once are serialised. An advisory
 * lock rather than row locks: row locks taken while others insert and renumber rows
 * deadlocked under concurrent creates. The rows are read after locking, so they include
 * what the transaction we waited for committed.
 */
export async function lockEnvironmentOrder(tx: Tx) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('modeldeck:environment-order'))`;
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
