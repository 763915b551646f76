import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { withDatabase } from './global-database';

// Each test file works in its own copy of the migrated template database, so files run
// in parallel without seeing each other's rows.
const adminUrl = inject('adminDatabaseUrl');
const database = `md_test_${process.ppid}_${randomBytes(4).toString('hex')}`;

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${database} TEMPLATE ${inject('templateDatabase')}`);
await admin.end();

process.env.DATABASE_URL = withDatabase(adminUrl, database);
process.env.NEXTAUTH_SECRET ??= 'test-secret-test-secret-test-secret';
// Like embedded mode, which always has a key: sealed secrets (backend tokens, the signing key) work.
process.env.MODELDECK_ENCRYPTION_KEY ??= randomBytes(32).toString('base64');

afterAll(async () => {
  // A file that used the job queue and forgot to stop it would keep the process alive
  // (pg-boss polls and holds connections); stopping is a no-op when it never started.
  const { stopBoss } = await import('@/lib/server/jobs/queue');
  await stopBoss();
  const { db } = await import('@/lib/db');
  await db().$disconnect();
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await client.end();
});
