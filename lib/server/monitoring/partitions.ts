import 'server-only';
import type pg from 'pg';
import { inTransaction, monitoringPool } from './pool';

const DAY = 86_400_000;
// Serialises partition DDL: two batches creating the same day's table at once would collide.
const PARTITION_LOCK = [7_246_033, 1] as const;

/** Partition names fit PostgreSQL's 63 characters: mpred_<model id hex>[_<yyyymmdd>]. */
export function modelPartitionName(modelId: string): string {
  return `mpred_${modelId.replace(/-/g, '')}`;
}

export function dayPartitionName(modelId: string, day: number): string {
  return `${modelPartitionName(modelId)}_${new Date(day).toISOString().slice(0, 10).replace(/-/g, '')}`;
}

export function dayOf(ts: Date | number): number {
  const t = typeof ts === 'number' ? ts : ts.getTime();
  return Math.floor(t / DAY) * DAY;
}

/** Partitions known to exist in this process (a retention drop removes its entry). */
const known = new Set<string>();

/**
 * Makes sure the model's table and each day's table exist, creating what is missing in its
 * own short transaction — never inside an ingestion transaction, because creating a
 * partition locks its parent. The maintenance job creates the coming days ahead, so live
 * traffic only pays this for backfill into days not seen before.
 */
export async function ensurePartitions(modelId: string, days: Iterable<number>): Promise<void> {
  const missing = [...new Set(days)].filter((day) => !known.has(dayPartitionName(modelId, day)));
  if (missing.length === 0) return;
  await inTransaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...PARTITION_LOCK]);
    const parent = modelPartitionName(modelId);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${parent} PARTITION OF monitoring_predictions FOR VALUES IN ('${uuidLiteral(modelId)}') PARTITION BY RANGE (ts)`,
    );
    for (const day of missing) {
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${dayPartitionName(modelId, day)} PARTITION OF ${parent}
         FOR VALUES FROM ('${new Date(day).toISOString()}') TO ('${new Date(day + DAY).toISOString()}')`,
      );
    }
  });
  for (const day of missing) known.add(dayPartitionName(modelId, day));
}

function uuidLiteral(id: string): string {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new RangeError(`not a uuid: ${id}`);
  return id;
}

/** The model's daily partitions that exist, with the day each holds. */
export async function listDayPartitions(modelId: string, client: pg.ClientBase | pg.Pool = monitoringPool()) {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
     JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = $1 ORDER BY c.relname`,
    [modelPartitionName(modelId)],
  );
  return rows.map(({ name }) => {
    const d = name.slice(-8);
    return { name, day: Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8))) };
  });
}

/** Drops the model's daily tables whose whole day is older than `cutoff`; returns their names. */
export async function dropPartitionsBefore(modelId: string, cutoff: Date): Promise<string[]> {
  const expired = (await listDayPartitions(modelId)).filter((p) => p.day + DAY <= cutoff.getTime());
  for (const partition of expired) {
    await inTransaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...PARTITION_LOCK]);
      await client.query(`DROP TABLE IF EXISTS ${partition.name}`);
    });
    known.delete(partition.name);
  }
  return expired.map((p) => p.name);
}
