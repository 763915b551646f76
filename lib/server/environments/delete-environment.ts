import 'server-only';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { conflict, notFound } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { serializeEnvironment } from './list-environments';
import { lockEnvironmentOrder, writeDenseOrder } from './order';

const inUse = (name: string) =>
  conflict(
    `${name} has release history (promotion requests or releases), so it cannot be deleted; archive it instead.`,
    'environment_in_use',
  );

/**
 * Deletes an environment nothing was ever released to (admins) and closes the gap in the
 * order; returns the remaining environments. One with any release row — even a rejected
 * request — is refused (409 environment_in_use): its history must stay readable, so it can
 * only be archived. The foreign key from releases backs the check up: a request created
 * while we delete either commits first (and the delete fails on the key) or waits for us.
 */
export async function deleteEnvironment(ctx: RequestContext, name: string) {
  try {
    return await db().$transaction(async (tx) => {
      const ordered = await lockEnvironmentOrder(tx);
      const environment = ordered.find((e) => e.name === name);
      if (!environment) throw notFound(`Environment "${name}" not found.`);
      if (await tx.release.findFirst({ where: { environmentId: environment.id }, select: { id: true } })) throw inUse(name);
      await tx.environment.delete({ where: { id: environment.id } });
      const remaining = ordered.filter((e) => e.id !== environment.id);
      await writeDenseOrder(tx, remaining);
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'environment.delete',
        targetType: 'environment',
        targetId: name,
        before: { ...serializeEnvironment(environment), order: ordered.map((e) => e.name) },
        after: { order: remaining.map((e) => e.name) },
        requestId: ctx.requestId,
      });
      return remaining.map((e, index) => ({ ...e, position: index + 1 }));
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003') throw inUse(name);
    throw error;
  }
}
