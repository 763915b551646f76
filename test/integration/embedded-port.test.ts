import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedServer, openDatabase, type DatabaseHandle } from '@/lib/runtime/database';
import { dataDir } from '@/lib/runtime/paths';

// Two "checkouts" on one machine: each has its own data directory (inside this checkout's
// .data, which the OS user running PostgreSQL can reach when tests run as root).
const root = path.join(dataDir, `test-checkouts-${randomBytes(4).toString('hex')}`);
const first = path.join(root, 'first');
const second = path.join(root, 'second');
let firstPort: number;
let stopFirst = async () => {};
const handles: DatabaseHandle[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function dataDirectoryOf(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ data_directory: string }>('SHOW data_directory')).rows[0]!.data_directory;
  } finally {
    await client.end();
  }
}

const portOf = (url: string) => Number(new URL(url).port);

beforeAll(async () => {
  // The first checkout's server, on the port the second would use by default.
  firstPort = await freePort();
  const server = embeddedServer(path.join(first, 'pg'), firstPort, 'first-checkout-password');
  await server.initialise();
  await server.start();
  stopFirst = () => server.stop();
}, 120_000);

afterAll(async () => {
  for (const handle of handles.reverse()) await handle.stop();
  await stopFirst();
  await rm(root, { recursive: true, force: true });
}, 60_000);

describe('a second checkout next to a running one', () => {
  it('starts its own embedded PostgreSQL on another port instead of failing on the first one', async () => {
    const lines: string[] = [];
    const handle = await openDatabase((line) => lines.push(line), { dataDir: second, env: {}, defaultPort: firstPort });
    handles.push(handle);
    expect(handle.embedded).toBe(true);
    expect(portOf(handle.url)).not.toBe(firstPort);
    expect(await dataDirectoryOf(handle.url)).toBe(path.join(second, 'pg'));
    expect(lines.join('\n')).toContain(`Port ${firstPort} is taken by another server`);
    // Remembered, so the CLI and the next start use the same port.
    expect(Number((await readFile(path.join(second, 'embedded-pg-port'), 'utf8')).trim())).toBe(portOf(handle.url));
    // The first checkout's server was left alone.
    expect(await dataDirectoryOf(`postgresql://postgres:first-checkout-password@127.0.0.1:${firstPort}/postgres`)).toBe(path.join(first, 'pg'));
  }, 120_000);

  it('lets a CLI command of the second checkout find its running server (not the first one)', async () => {
    const running = handles[0]!;
    const lines: string[] = [];
    const cli = await openDatabase((line) => lines.push(line), { dataDir: second, env: {}, defaultPort: firstPort });
    expect(cli.url).toBe(running.url);
    expect(lines.join('\n')).toContain('already running');
    await cli.stop();
    // Stopping the CLI's handle must not stop the server it only borrowed.
    expect(await dataDirectoryOf(running.url)).toBe(path.join(second, 'pg'));
  }, 60_000);

  it('says which setting to change when EMBEDDED_PG_PORT points at the other checkout', async () => {
    const third = path.join(root, 'third');
    await expect(openDatabase(() => {}, { dataDir: third, env: { EMBEDDED_PG_PORT: String(firstPort) } })).rejects.toThrow(
      new RegExp(`Port ${firstPort} \\(EMBEDDED_PG_PORT\\) is taken by a server that is not this checkout's embedded PostgreSQL.*Set EMBEDDED_PG_PORT to a free port`),
    );
  }, 120_000);
});
