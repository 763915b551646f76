import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { embeddedServer, embeddedUrl } from '@/lib/runtime/database';
import { applyMigrations } from '@/lib/runtime/migrate';
import { dataDir } from '@/lib/runtime/paths';

/**
 * The database a bench writes into: BENCH_DATABASE_URL when set, else a throwaway embedded
 * PostgreSQL under the data directory (removed by `stop`) — never the product's own database.
 * Migrated, and made this process's DATABASE_URL.
 */
export async function scratchDatabase(name: string, port: number): Promise<{ url: string; stop: () => Promise<void> }> {
  let url = process.env.BENCH_DATABASE_URL;
  let stop = async () => {};
  if (!url) {
    const dir = path.join(dataDir, `${name}-pg`);
    await rm(dir, { recursive: true, force: true });
    const password = randomBytes(8).toString('hex');
    const server = embeddedServer(dir, port, password);
    await server.initialise();
    await server.start();
    const admin = new pg.Client({ connectionString: embeddedUrl(port, password, 'postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE bench');
    await admin.end();
    url = embeddedUrl(port, password, 'bench');
    stop = async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  await applyMigrations(url);
  process.env.DATABASE_URL = url;
  process.env.NEXTAUTH_SECRET ??= randomBytes(24).toString('hex');
  process.env.LOG_LEVEL ??= 'error';
  return { url, stop };
}
