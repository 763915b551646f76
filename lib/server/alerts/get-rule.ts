import 'server-only';
import { db, type Tx } from '@/lib/db';
import { notFound } from '@/lib/errors';
import type { AlertRule } from '@/lib/generated/prisma/client';

/** Adds the names a rule is shown with (environment and version are plain ids on the row). */
export async function withNames<R extends AlertRule & { model: { name: string } }>(client: Tx, rules: R[]) {
  const environmentIds = [...new Set(rules.map((rule) => rule.environmentId))];
  const versionIds = rules.map((rule) => rule.versionId).filter((id): id is string => id !== null);
  const [environments, versions] = await Promise.all([
    client.environment.findMany({ where: { id: { in: environmentIds } }, select: { id: true, name: true } }),
    versionIds.length > 0 ? client.modelVersion.findMany({ where: { id: { in: versionIds } }, select: { id: true, version: true } }) : [],
  ]);
  return rules.map((rule) => ({
    ...rule,
    environmentName: environments.find((e) => e.id === rule.environmentId)?.name ?? '',
    versionNumber: versions.find((v) => v.id === rule.versionId)?.version ?? null,
  }));
}

export async function getRuleOrThrow(id: string) {
  const rule = await db().alertRule.findUnique({ where: { id }, include: { model: { select: { name: true } } } });
  if (!rule) throw notFound(`Alert rule ${id} not found.`);
  const [named] = await withNames(db(), [rule]);
  return named!;
}
