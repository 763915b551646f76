import 'server-only';
import { db } from '@/lib/db';
import { enqueue, getBoss, QUEUES } from '@/lib/server/jobs/queue';
import { logger } from '@/lib/server/logger';
import { DEMO_HISTORY_ID } from './demo-history-settings';
import { STALE_AFTER_MS } from './run-demo-history';

/**
 * Queues the demo's monitoring history once: the demo_history row and its job commit
 * together (outbox), and a database that already has the row gets nothing new, so later
 * starts never repeat it.
 */
export async function queueDemoHistory(days: number): Promise<boolean> {
  if (days <= 0) return false;
  return db().$transaction(async (tx) => {
    const existing = await tx.demoHistory.findUnique({ where: { id: DEMO_HISTORY_ID } });
    if (existing) return false;
    await tx.demoHistory.create({ data: { id: DEMO_HISTORY_ID, days } });
    await enqueue(tx, QUEUES.demoHistory, {});
    return true;
  });
}

/**
 * At worker start: a history left running (the process was killed midway) or failed gets a
 * fresh job instead of waiting for pg-boss to expire the old one; a queued one already has
 * its job. It resumes from the last committed day once the row has gone stale (the job
 * claims it; see run-demo-history.ts). The singleton key keeps two starts from queueing it twice.
 */
export async function resumeDemoHistory(): Promise<boolean> {
  const row = await db().demoHistory.findUnique({ where: { id: DEMO_HISTORY_ID } });
  if (!row || row.status === 'done' || row.status === 'queued') return false;
  const boss = await getBoss();
  const startAfter = row.status === 'running' ? Math.ceil(STALE_AFTER_MS / 1000) + 5 : 0;
  await boss.send(QUEUES.demoHistory, {}, { singletonKey: DEMO_HISTORY_ID, startAfter });
  logger().info({ daysDone: row.daysDone, days: row.days }, 'demo history: resuming');
  return true;
}
