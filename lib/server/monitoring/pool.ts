import 'server-only';
import pg from 'pg';
import { databaseUrl } from '@/lib/env';
import { logger } from '@/lib/server/logger';

const globalForPool = globalThis as unknown as { __modeldeckMonitoringPool?: pg.Pool };

/**
 * A plain `pg` pool for the monitoring data plane: batches go in as a few multi-row
 * statements over arrays (unnest), which Prisma cannot express, on tables Prisma does not
 * model (partitioned). Separate from Prisma's pool so a burst of ingestion cannot starve
 * the dashboard's queries of connections.
 */
export function monitoringPool(): pg.Pool {
  if (globalForPool.__modeldeckMonitoringPool) return globalForPool.__modeldeckMonitoringPool;
  const pool = new pg.Pool({
    connectionString: databaseUrl(),
    max: Number(process.env.MONITORING_DB_POOL_SIZE ?? 5) || 5,
    connectionTimeoutMillis: 5000,
  });
  // An idle connection the server closes (restart, failover) must not crash the process;
  // the pool replaces it on next use.
  pool.on('error', (error) => logger().warn({ err: error }, 'monitoring database connection lost'));
  return (globalForPool.__modeldeckMonitoringPool = pool);
}

/** Runs `work` in one transaction on a pooled client; rolls back on any error. */
export async function inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await monitoringPool().connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    // A client whose connection broke must not go back to the pool.
    client.release(error instanceof Error ? error : true);
    throw error;
  }
}

export async function closeMonitoringPool(): Promise<void> {
  const pool = globalForPool.__modeldeckMonitoringPool;
  globalForPool.__modeldeckMonitoringPool = undefined;
  await pool?.end();
}
