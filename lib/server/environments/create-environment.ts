import 'server-only';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { conflict, unprocessable } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import type { CreateEnvironmentInput } from '@/lib/validation/environments';
import { serializeEnvironment } from './list-environments';
import { lockEnvironmentOrder, writeDenseOrder } from './order';

/**
 * Adds an environment (admins): after `after`, first when `after` is null, last when it is
 * left out. Later environments shift down one place; positions stay 1..n. Rules not given
 * start permissive: no approvals, no previous-environment or soak gate, no metric gates,
 * no drift blocking.
 */
export async function createEnvironment(ctx: RequestContext, input: CreateEnvironmentInput) {
  const { name, after, metricGates, ...rules } = input;
  try {
    return await db().$transaction(async (tx) => {
      const ordered = await lockEnvironmentOrder(tx);
      const before = ordered.map((e) => e.name);
      if (ordered.some((e) => e.name === name)) throw conflict(`There is already an environment named "${name}".`, 'environment_exists');
      let index = ordered.length;
      if (after === null) index = 0;
      else if (after !== undefined) {
        const at = ordered.findIndex((e) => e.name === after);
        if (at < 0) throw unprocessable(`Environment "${after}" not found.`, { after: [`There is no environment named "${after}".`] });
        index = at + 1;
      }
      // Make room first (dense 1..n for the others, a gap at the new place), then insert.
      await writeDenseOrder(tx, ordered, index);
      const created = await tx.environment.create({
        data: {
          name,
          position: index + 1,
          description: rules.description ?? '',
          requiredApprovals: rules.requiredApprovals ?? 0,
          requirePreviousEnvironment: rules.requirePreviousEnvironment ?? false,
          soakGateEnabled: rules.soakGateEnabled ?? false,
          minSoakMinutes: rules.minSoakMinutes ?? 0,
          metricGates: (metricGates ?? []) as Prisma.InputJsonValue,
          blockOnOpenDriftAlert: rules.blockOnOpenDriftAlert ?? false,
          authorCannotApprove: rules.authorCannotApprove ?? false,
        },
      });
      const order = [...before.slice(0, index), name, ...before.slice(index)];
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'environment.create',
        targetType: 'environment',
        targetId: name,
        before: { order: before },
        after: { ...serializeEnvironment(created), order },
        requestId: ctx.requestId,
      });
      return created;
    });
  } catch (error) {
    // Only without any environment row to lock can two creates of one name race this far.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw conflict(`There is already an environment named "${name}".`, 'environment_exists');
    }
    throw error;
  }
}
