import { randomBytes, randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { applyMigrations } from '@/lib/runtime/migrate';
import { withDatabase } from '../setup/global-database';

const MIGRATION = '20261121140000_monitoring_rollup_rows';
const root = path.resolve(import.meta.dirname, '../..');
const adminUrl = inject('adminDatabaseUrl');
const database = `md_rollup_rows_${randomBytes(4).toString('hex')}`;
let work: string | undefined;

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
});

describe(`migration ${MIGRATION}`, () => {
  it('folds every stored cell row into its series row, summing nothing away', async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const url = withDatabase(adminUrl, database);

    // The database as an installation had it just before: every earlier migration applied.
    work = await mkdtemp(path.join(os.tmpdir(), 'rollup-rows-'));
    const earlier = path.join(work, 'prisma', 'migrations');
    await mkdir(earlier, { recursive: true });
    for (const entry of await readdir(path.join(root, 'prisma', 'migrations'))) {
      if (entry < MIGRATION) await cp(path.join(root, 'prisma', 'migrations', entry), path.join(earlier, entry), { recursive: true });
    }
    await applyMigrations(url, { root: work });

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const [model, environment, version] = [randomUUID(), randomUUID(), randomUUID()];
      const hour = new Date('2026-11-20T10:00:00Z');
      const day = new Date('2026-11-20T00:00:00Z');
      const cells: [string, string, number][] = [
        ['records', 'n', 100],
        ['records', 'lat:42', 7],
        ['f:age', 'bin:3', 12],
        ['f:age', 'sum', 4321.125],
        ['f:plan', 'cat:pro|"quoted"', 5],
      ];
      for (const [table, bucket] of [['monitoring_rollups', hour], ['monitoring_rollups_daily', day]] as const) {
        for (const [series, cell, value] of cells) {
          await client.query(`INSERT INTO ${table} VALUES ($1, $2, $3, $4, $5, $6, $7)`, [model, environment, version, bucket, series, cell, value]);
        }
      }

      await applyMigrations(url, { root });

      for (const [table, bucket] of [['monitoring_rollups', hour], ['monitoring_rollups_daily', day]] as const) {
        const { rows } = await client.query<{ series: string; bucket: Date; cells: Record<string, number> }>(
          `SELECT series, bucket, cells FROM ${table} WHERE model_id = $1 AND environment_id = $2 AND version_id = $3 ORDER BY series`,
          [model, environment, version],
        );
        expect(rows.map((r) => [r.series, r.bucket.toISOString(), r.cells])).toEqual([
          ['f:age', bucket.toISOString(), { 'bin:3': 12, sum: 4321.125 }],
          ['f:plan', bucket.toISOString(), { 'cat:pro|"quoted"': 5 }],
          ['records', bucket.toISOString(), { n: 100, 'lat:42': 7 }],
        ]);
      }

      // New deltas add to the converted rows cell by cell.
      await client.query(
        `UPDATE monitoring_rollups SET cells = monitoring_cells_add(cells, '{"n": 1, "error": 1}') WHERE model_id = $1 AND series = 'records'`,
        [model],
      );
      const { rows } = await client.query<{ cells: Record<string, number> }>(`SELECT cells FROM monitoring_rollups WHERE model_id = $1 AND series = 'records'`, [model]);
      expect(rows[0]!.cells).toEqual({ n: 101, 'lat:42': 7, error: 1 });
    } finally {
      await client.end();
    }
  });
});
