import 'server-only';
import { db } from '@/lib/db';
import { conflict, notFound, unprocessable } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import type { MoveTarget } from '@/lib/validation/environments';
import { lockEnvironmentOrder, writeDenseOrder } from './order';

/**
 * Moves an environment one place up or down (swapping it with its neighbour), or to a
 * 1-based position, and returns all environments in the new order. Moving the first one
 * up or the last one down is refused (409 cannot_move). The order is what the
 * previous-environment and soak gates read, so a move changes what they check.
 */
export async function moveEnvironment(ctx: RequestContext, name: string, target: MoveTarget) {
  return db().$transaction(async (tx) => {
    const ordered = await lockEnvironmentOrder(tx);
    const from = ordered.findIndex((e) => e.name === name);
    if (from < 0) throw notFound(`Environment "${name}" not found.`);
    let to: number;
    if ('position' in target) {
      if (!Number.isInteger(target.position) || target.position < 1 || target.position > ordered.length) {
        throw unprocessable(`Positions go from 1 to ${ordered.length}.`, { position: [`Choose a position from 1 to ${ordered.length}.`] });
      }
      to = target.position - 1;
    } else {
      to = target.direction === 'up' ? from - 1 : from + 1;
      if (to < 0) throw conflict(`${name} is already the first environment.`, 'cannot_move');
      if (to >= ordered.length) throw conflict(`${name} is already the last environment.`, 'cannot_move');
    }
    const before = ordered.map((e) => e.name);
    const next = [...ordered];
    const [moved] = next.splice(from, 1);
    next.splice(to, 0, moved!);
    await writeDenseOrder(tx, next);
    const after = next.map((e) => e.name);
    if (from !== to) {
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'environment.move',
        targetType: 'environment',
        targetId: name,
        before: { position: from + 1, order: before },
        after: { position: to + 1, order: after },
        requestId: ctx.requestId,
      });
    }
    return next.map((e, index) => ({ ...e, position: index + 1 }));
  });
}
