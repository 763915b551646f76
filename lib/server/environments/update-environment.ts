import 'server-only';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { notFound } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import type { UpdateEnvironmentInput } from '@/lib/validation/registry';
import { serializeEnvironment } from './list-environments';

/** Changes an environment's promotion rules (admins). Requests already approved keep their approval. */
export async function updateEnvironment(ctx: RequestContext, name: string, input: UpdateEnvironmentInput) {
  return db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM environments WHERE name = ${name} FOR UPDATE`;
    const before = await tx.environment.findUnique({ where: { name } });
    if (!before) throw notFound(`Environment "${name}" not found.`);
    // strictUndefinedChecks: a field left out of the request must be left out of `data` too.
    const { metricGates, ...rules } = input;
    const after = await tx.environment.update({
      where: { name },
      data: { ...rules, ...(metricGates !== undefined ? { metricGates: metricGates as Prisma.InputJsonValue } : {}) },
    });
    const b = serializeEnvironment(before);
    const a = serializeEnvironment(after);
    const changed = (Object.keys(a) as (keyof typeof a)[]).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    if (changed.length > 0) {
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'environment.update',
        targetType: 'environment',
        targetId: name,
        before: Object.fromEntries(changed.map((k) => [k, b[k]])),
        after: Object.fromEntries(changed.map((k) => [k, a[k]])),
        requestId: ctx.requestId,
      });
    }
    return after;
  });
}
