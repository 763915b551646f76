import 'server-only';
import cronParser from 'cron-parser';
import { db } from '@/lib/db';
import type { BatchSchedule } from '@/lib/generated/prisma/client';
import { notFound, unprocessable } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { findVersionOrThrow } from '@/lib/server/registry/find-model';
import type { z } from 'zod';
import type { ZCreateBatchSchedule } from '@/lib/validation/batch';
import { inputUriProblem } from './open-input-uri';

/** The tick at or before `at` (UTC), or null for an expression cron-parser refuses. */
export function previousTick(cron: string, at: Date): Date | null {
  try {
    return cronParser.parseExpression(cron, { currentDate: new Date(at.getTime() + 1), tz: 'UTC' }).prev().toDate();
  } catch {
    return null;
  }
}

export function nextTick(cron: string, after: Date): Date | null {
  try {
    return cronParser.parseExpression(cron, { currentDate: after, tz: 'UTC' }).next().toDate();
  } catch {
    return null;
  }
}

function cronProblem(cron: string): string | null {
  if (cron.trim().split(/\s+/).length !== 5) return 'Use five fields: minute hour day-of-month month day-of-week (UTC).';
  try {
    cronParser.parseExpression(cron, { tz: 'UTC' });
    return null;
  } catch (error) {
    return `Not a cron expression: ${(error as Error).message}`;
  }
}

type Row = BatchSchedule & { version: { version: number; model: { name: string } } };
const include = { version: { select: { version: true, model: { select: { name: true } } } } } as const;

export function serializeSchedule(schedule: Row) {
  return {
    id: schedule.id,
    model: schedule.version.model.name,
    version: schedule.version.version,
    cron: schedule.cron,
    inputUri: schedule.inputUri,
    format: schedule.format,
    environment: schedule.environment,
    nextRunAt: nextTick(schedule.cron, new Date())?.toISOString() ?? null,
    lastTickAt: schedule.lastTickAt?.toISOString() ?? null,
    lastJobId: schedule.lastJobId,
    lastError: schedule.lastError,
    createdAt: schedule.createdAt.toISOString(),
  };
}

export async function createBatchSchedule(ctx: RequestContext, options: { model: string; version: number; input: z.output<typeof ZCreateBatchSchedule> }) {
  const version = await findVersionOrThrow(options.model, options.version);
  const { cron, inputUri, format, environment } = options.input;
  const errors: Record<string, string[]> = {};
  const badCron = cronProblem(cron);
  if (badCron) errors.cron = [badCron];
  const badUri = inputUriProblem(inputUri);
  if (badUri) errors.inputUri = [badUri];
  if (environment !== undefined && !(await db().environment.findUnique({ where: { name: environment } }))) {
    errors.environment = [`Environment "${environment}" not found.`];
  }
  if (version.format !== 'onnx' || !version.artifactKey) errors.version = ['Batch scoring needs an ONNX artifact stored in ModelDeck.'];
  if (Object.keys(errors).length > 0) throw unprocessable(Object.values(errors)[0]![0]!, errors);
  return db().$transaction(async (tx) => {
    const schedule = await tx.batchSchedule.create({
      data: { versionId: version.id, cron: cron.trim(), inputUri, format, environment: environment ?? null, createdById: ctx.actor.id, lastTickAt: new Date() },
      include,
    });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'batch_schedule.create',
      targetType: 'batch_schedule',
      targetId: schedule.id,
      after: { model: options.model, version: options.version, cron, inputUri, format, environment: environment ?? null },
      requestId: ctx.requestId,
    });
    return serializeSchedule(schedule);
  });
}

export async function listBatchSchedules(options: { model: string; version: number }) {
  const version = await findVersionOrThrow(options.model, options.version);
  const items = await db().batchSchedule.findMany({ where: { versionId: version.id }, include, orderBy: { createdAt: 'desc' } });
  return { items: items.map(serializeSchedule) };
}

export async function deleteBatchSchedule(ctx: RequestContext, id: string) {
  await db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM batch_schedules WHERE id = ${id}::uuid FOR UPDATE`;
    const schedule = await tx.batchSchedule.findUnique({ where: { id }, include });
    if (!schedule) throw notFound(`Batch schedule ${id} not found.`);
    await tx.batchSchedule.delete({ where: { id } });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'batch_schedule.delete',
      targetType: 'batch_schedule',
      targetId: id,
      before: { cron: schedule.cron, inputUri: schedule.inputUri, format: schedule.format },
      requestId: ctx.requestId,
    });
  });
}
