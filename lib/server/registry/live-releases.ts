import 'server-only';
import { db, type Tx } from '@/lib/db';

export interface LiveEntry {
  environment: string;
  version: number;
  since: string;
  releaseId: string;
  slot: 'primary' | 'secondary';
  strategy: string;
}

/** What is live where, for many models in one query (keyed by model id). */
export async function liveByModel(modelIds: string[], client: Tx | ReturnType<typeof db> = db()): Promise<Map<string, LiveEntry[]>> {
  const rows = await client.release.findMany({
    where: { modelId: { in: modelIds }, status: 'live' },
    select: {
      id: true,
      modelId: true,
      liveAt: true,
      slot: true,
      strategy: true,
      environment: { select: { name: true, position: true } },
      version: { select: { version: true } },
    },
    orderBy: [{ environment: { position: 'asc' } }],
  });
  const byModel = new Map<string, LiveEntry[]>();
  for (const row of rows) {
    const list = byModel.get(row.modelId) ?? [];
    list.push({
      environment: row.environment.name,
      version: row.version.version,
      since: (row.liveAt ?? new Date(0)).toISOString(),
      releaseId: row.id,
      slot: row.slot ?? 'primary',
      strategy: row.strategy,
    });
    byModel.set(row.modelId, list);
  }
  return byModel;
}
