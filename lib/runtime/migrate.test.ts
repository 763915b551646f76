import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { applyMigrations, createMigration, uncapturedSchemaChanges } from './migrate';

const ADMIN_URL = inject('adminDatabaseUrl');

const SCHEMA = `datasource db {
  provider = "postgresql"
}

model Widget {
  id   Int    @id @default(autoincrement())
  name String
}
`;

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

describe('migrate (schema engine wasm)', { timeout: 60_000 }, () => {
  const dbName = `migrate_test_${process.pid}_${Date.now()}`;
  const dbUrl = (() => {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${dbName}`;
    return url.toString();
  })();
  let root = '';
  let migrationsDir = '';

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'migrate-test-'));
    migrationsDir = path.join(root, 'prisma', 'migrations');
    await mkdir(path.join(root, 'prisma'));
    await writeFile(path.join(root, 'prisma', 'schema.prisma'), SCHEMA);
    await withAdmin((admin) => admin.query(`CREATE DATABASE "${dbName}"`));
  });

  afterAll(async () => {
    await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('creates the first migration from the schema', async () => {
    const { folder, sql } = await createMigration('Init Widgets', dbUrl, { root });

    expect(folder).not.toBeNull();
    expect(path.basename(folder ?? '')).toMatch(/^\d{14}_init_widgets$/);
    expect(sql).toContain('CREATE TABLE "Widget"');
    expect(sql).not.toContain('CREATE SCHEMA');
    expect(await readFile(path.join(folder ?? '', 'migration.sql'), 'utf8')).toBe(sql);
    expect(await readFile(path.join(migrationsDir, 'schema.snapshot.prisma'), 'utf8')).toBe(SCHEMA);
    expect(await readFile(path.join(migrationsDir, 'migration_lock.toml'), 'utf8')).toContain('provider = "postgresql"');
  });

  it('writes nothing when the schema has not changed', async () => {
    const before = await readdir(migrationsDir);
    await expect(createMigration('again', dbUrl, { root })).resolves.toEqual({ folder: null, sql: '' });
    expect(await readdir(migrationsDir)).toEqual(before);
    await expect(uncapturedSchemaChanges(dbUrl, { root })).resolves.toBe('');
  });

  it('rejects a name with no usable characters', async () => {
    await expect(createMigration('?!', dbUrl, { root })).rejects.toThrow(/migration name/);
  });

  it('applies pending migrations once', async () => {
    const first = await applyMigrations(dbUrl, { root });
    expect(first.applied).toHaveLength(1);
    expect(first.applied[0]).toMatch(/_init_widgets$/);
    await expect(applyMigrations(dbUrl, { root })).resolves.toEqual({ applied: [] });

    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    try {
      const tables = await db.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'Widget'`,
      );
      expect(tables.rowCount).toBe(1);
      const history = await db.query<{ migration_name: string; finished_at: Date | null }>(
        'SELECT migration_name, finished_at FROM _prisma_migrations',
      );
      expect(history.rows).toHaveLength(1);
      expect(history.rows[0]?.migration_name).toBe(first.applied[0]);
      expect(history.rows[0]?.finished_at).toBeInstanceOf(Date);
    } finally {
      await db.end();
    }
  });

  it('reports schema changes not yet captured by a migration', async () => {
    await appendFile(path.join(root, 'prisma', 'schema.prisma'), '\nmodel Gadget {\n  id Int @id\n}\n');
    const pending = await uncapturedSchemaChanges(dbUrl, { root });
    expect(pending).toContain('CREATE TABLE "Gadget"');
    expect(pending).not.toContain('"Widget"');
  });

  it('names host:port and the cause when the database is unreachable', async () => {
    await expect(applyMigrations('postgresql://postgres@127.0.0.1:1/none', { root })).rejects.toThrow(
      /127\.0\.0\.1:1.*ECONNREFUSED/,
    );
  });
});
