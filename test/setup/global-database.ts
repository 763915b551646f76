import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { embeddedServer, embeddedUrl } from '@/lib/runtime/database';
import { applyMigrations } from '@/lib/runtime/migrate';
import { dataDir } from '@/lib/runtime/paths';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
  }
}

/**
 * One real PostgreSQL for the whole run: TEST_DATABASE_URL's server when set, otherwise a
 * fresh embedded cluster on a free port. Migrations are applied once to a template
 * database; every test file then gets its own copy (test/setup/file-database.ts).
 */
export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stopServer = async () => {};
  if (!adminUrl) {
    const clusterDir = path.join(dataDir, 'test-pg');
    await rm(clusterDir, { recursive: true, force: true });
    const password = randomBytes(12).toString('hex');
    const port = await freePort();
    const server = embeddedServer(clusterDir, port, password);
    await server.initialise();
    await server.start();
    adminUrl = embeddedUrl(port, password, 'postgres');
    stopServer = async () => {
      await server.stop();
      await rm(clusterDir, { recursive: true, force: true });
    };
  }

  const template = `md_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await applyMigrations(withDatabase(adminUrl, template));
  await admin.end();

  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template);

  return async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    const leftovers = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'md_test_${process.pid}_%' OR datname = $1`,
      [template],
    );
    for (const { datname } of leftovers.rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await client.end();
    await stopServer();
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
