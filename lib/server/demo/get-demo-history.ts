import 'server-only';
import { db } from '@/lib/db';
import { DEMO_HISTORY_ID } from './demo-history-settings';

/** The demo history's progress, or `{status: "none"}` on a database that never had one. */
export async function getDemoHistory() {
  const row = await db().demoHistory.findUnique({ where: { id: DEMO_HISTORY_ID } });
  if (!row) return { status: 'none' as const };
  return {
    status: row.status,
    days: row.days,
    daysDone: row.daysDone,
    predictions: row.predictions,
    labels: row.labels,
    error: row.error,
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
