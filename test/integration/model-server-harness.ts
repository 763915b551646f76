/**
 * Runs the real model server (`node --import tsx serving/main.ts`) as a child process on a
 * random port with its own state directory, the way the dashboard's local backend does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeLinearModel, type LinearModelSpec } from '@/lib/onnx/linear-model';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export interface RunningModelServer {
  url: string;
  port: number;
  stateDir: string;
  token: string;
  child: ChildProcess;
  logs: string[];
  /** Sends SIGTERM and waits for the exit. */
  stop(): Promise<void>;
  /** kill -9: no shutdown code runs. */
  kill9(): Promise<void>;
}

export async function startModelServer(options: { stateDir?: string; token?: string; env?: Record<string, string> } = {}): Promise<RunningModelServer> {
  const stateDir = options.stateDir ?? (await mkdtemp(path.join(os.tmpdir(), 'model-server-state-')));
  const token = options.token ?? randomBytes(16).toString('hex');
  const child = spawn(process.execPath, ['--import', 'tsx', 'serving/main.ts'], {
    cwd: root,
    // Only what the server needs: the test runner's own variables (LOG_LEVEL, DATABASE_URL) stay out.
    env: {
      NODE_ENV: 'test',
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'info',
      MODEL_SERVER_PORT: '0',
      MODEL_SERVER_TOKEN: token,
      MODEL_SERVER_STATE_DIR: stateDir,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        logs.push(line);
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'listening' && typeof entry.port === 'number') resolve(entry.port);
        } catch {
          // not a log line
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    child.once('exit', (code) => reject(new Error(`model server exited (${code}) before listening:\n${logs.join('\n')}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    stateDir,
    token,
    child,
    logs,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Polls until the server's readiness probe answers 200 (its desired state is restored). */
export async function waitUntilReady(server: RunningModelServer, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${server.url}/v2/health/ready`).catch(() => null);
    if (response?.status === 200) return;
    if (Date.now() > deadline) throw new Error(`model server not ready after ${timeoutMs} ms:\n${server.logs.join('\n')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function writeModelArtifact(dir: string, name: string, spec: LinearModelSpec) {
  return writeArtifactBytes(dir, name, writeLinearModel(spec));
}

export async function writeArtifactBytes(dir: string, name: string, bytes: Uint8Array) {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return { file, url: pathToFileURL(file).href, sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
}

export interface JsonResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary response shapes
  body: any;
}

export async function request(server: RunningModelServer, method: string, urlPath: string, body?: unknown, options: { token?: string | null; raw?: string } = {}): Promise<JsonResponse> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? server.token : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let payload: string | undefined = options.raw;
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(`${server.url}${urlPath}`, { method, headers, body: payload });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // metrics are text
  }
  return { status: response.status, body: parsed };
}

export function loadVersion(server: RunningModelServer, environment: string, model: string, version: string, body: object) {
  return request(server, 'PUT', `/manage/environments/${environment}/models/${model}/versions/${version}`, body);
}

export function setTraffic(server: RunningModelServer, environment: string, model: string, body: object) {
  return request(server, 'PUT', `/manage/environments/${environment}/models/${model}/traffic`, body);
}

export function inferRows(server: RunningModelServer, environment: string, model: string, rows: number[][], extra: object = {}, version?: string) {
  const base = `/environments/${environment}/v2/models/${model}${version ? `/versions/${version}` : ''}`;
  return request(server, 'POST', `${base}/infer`, {
    inputs: [{ name: 'X', datatype: 'FP32', shape: [rows.length, rows[0]!.length], data: rows.flat() }],
    ...extra,
  });
}
