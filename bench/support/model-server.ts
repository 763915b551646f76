/** What the benchmarks that start the model server share: child processes, HTTP calls, the bench model. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// onnx-proto is CommonJS without static export names, so Node's ESM loader cannot bind
// `import { onnx }` in lib/onnx; tsx's require hook can.
const { writeLinearModel } = createRequire(import.meta.url)('../../lib/onnx/linear-model.ts') as typeof import('../../lib/onnx/linear-model');

/** Runs `node --import tsx <args>` and resolves with the port of its `{"msg":"listening","port":N}` log line. */
export function startChild(args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n')) {
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'listening' && entry.port) resolve({ child, port: entry.port });
        } catch {
          // partial line
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

/** One JSON request on a keep-alive agent (loopback). */
export function requestJson(agent: http.Agent, port: number, method: string, urlPath: string, body: string, token?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    if (token) headers.authorization = `Bearer ${token}`;
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The benchmarks' model: a logistic regression over `features` inputs, written to `dir/model.onnx`. */
export async function writeBenchModel(dir: string, features: number): Promise<{ file: string; sha256: string }> {
  const bytes = writeLinearModel({
    kind: 'logistic',
    featureNames: Array.from({ length: features }, (_, i) => `f${i}`),
    weights: Array.from({ length: features }, (_, i) => ((i % 3) - 1) * 0.3),
    bias: 0.1,
  });
  const file = path.join(dir, 'model.onnx');
  await writeFile(file, bytes);
  return { file, sha256: createHash('sha256').update(bytes).digest('hex') };
}
