import 'server-only';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { conflict } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import type { CreateModelInput } from '@/lib/validation/registry';

export async function createModel(ctx: RequestContext, input: CreateModelInput) {
  try {
    return await db().$transaction(async (tx) => {
      const model = await tx.model.create({
        data: {
          name: input.name,
          description: input.description ?? '',
          task: input.task ?? 'other',
          team: input.team ?? null,
          tags: [...new Set(input.tags ?? [])],
          createdById: ctx.actor.id,
          ...(ctx.at ? { createdAt: ctx.at } : {}),
        },
      });
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'model.create',
        targetType: 'model',
        targetId: model.name,
        after: { name: model.name, description: model.description, task: model.task, team: model.team, tags: model.tags },
        requestId: ctx.requestId,
        at: ctx.at,
      });
      return model;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw conflict(`A model named "${input.name}" already exists.`, 'model_exists');
    }
    throw error;
  }
}
