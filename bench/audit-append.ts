/**
 * Audit append throughput: recordAudit (hash chain, one advisory lock, in a transaction
 * with the change it records) next to the same transaction without the audit entry, and
 * a bare INSERT into an unchained table of the same shape — the limit the chain is paid
 * against. Run: npm run bench:audit  (BENCH_DATABASE_URL to use your own server).
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { embeddedServer, embeddedUrl } from '@/lib/runtime/database';
import { applyMigrations } from '@/lib/runtime/migrate';
import { dataDir } from '@/lib/runtime/paths';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const OPERATIONS = Number(process.env.BENCH_OPERATIONS ?? 2000);

async function main() {
  let url = process.env.BENCH_DATABASE_URL;
  let stop = async () => {};
  if (!url) {
    const dir = path.join(dataDir, 'bench-pg');
    await rm(dir, { recursive: true, force: true });
    const password = randomBytes(8).toString('hex');
    const server = embeddedServer(dir, 54349, password);
    await server.initialise();
    await server.start();
    const admin = new pg.Client({ connectionString: embeddedUrl(54349, password, 'postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE bench');
    await admin.end();
    url = embeddedUrl(54349, password, 'bench');
    stop = async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  await applyMigrations(url);
  process.env.DATABASE_URL = url;
  const { db } = await import('@/lib/db');
  const { recordAudit } = await import('@/lib/server/audit/record-audit');
  const client = db();
  await client.$executeRawUnsafe('CREATE TABLE IF NOT EXISTS bench_plain (LIKE audit_entries INCLUDING DEFAULTS)');
  const user = await client.user.create({ data: { email: `bench-${Date.now()}@example.com`, name: 'bench', roles: ['admin'] } });

  async function measure(label: string, op: (i: number) => Promise<unknown>) {
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < OPERATIONS) await op(next++);
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`${label.padEnd(58)} ${(OPERATIONS / seconds).toFixed(0).padStart(7)} ops/s  (${OPERATIONS} ops, ${CONCURRENCY} concurrent)`);
  }

  await measure('update user, no audit entry (transaction only)', (i) =>
    client.$transaction((tx) => tx.user.update({ where: { id: user.id }, data: { name: `n${i}` } })),
  );
  await measure('bare INSERT of an entry-shaped row (no chain, no lock)', (i) =>
    client.$executeRaw`INSERT INTO bench_plain (seq, at, action, "targetType", "prevHash", hash) VALUES (${i}, now(), 'x', 'y', '', ${`h${i}-${Date.now()}`})`,
  );
  await measure('update user + recordAudit (chained, serialised)', (i) =>
    client.$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { name: `m${i}` } });
      await recordAudit(tx, { actor: user, action: 'bench.update', targetType: 'user', targetId: user.id, after: { i } });
    }),
  );
  const { verifyAuditChain } = await import('@/lib/server/audit/verify-audit-chain');
  const started = process.hrtime.bigint();
  const result = await verifyAuditChain();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`${'verify the whole chain'.padEnd(58)} ${(result.entries / seconds).toFixed(0).padStart(7)} entries/s (${result.entries} entries, valid=${result.valid})`);
  await client.$disconnect();
  await stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
