import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { ApiCallError, apiClientFromEnv } from './api-client';
import { EXIT, type CommandIo } from './io';

export const REGISTER_USAGE = `Usage: modeldeck register --model <name> --artifact <file> [--format onnx]
         [--metrics <metrics.json>] [--params <params.json>] [--features <features.json>]
         [--dataset <text>] [--parent <version>] [--model-card <README.md>] [--git-commit <sha>]
Registers the next version of <name> (creating the model if needed), uploads the artifact
with its sha256 and prints the new version number. Needs MODELDECK_URL and MODELDECK_TOKEN.`;

/** `modeldeck register`: a CI job's training output becomes the model's next version. */
export async function registerCommand(args: string[], io: CommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        model: { type: 'string' },
        artifact: { type: 'string' },
        format: { type: 'string' },
        metrics: { type: 'string' },
        params: { type: 'string' },
        features: { type: 'string' },
        dataset: { type: 'string' },
        parent: { type: 'string' },
        'model-card': { type: 'string' },
        'git-commit': { type: 'string' },
      },
    }));
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n\n${REGISTER_USAGE}\n`);
    return EXIT.usage;
  }
  if (!values.model || !values.artifact) {
    io.stderr(`${REGISTER_USAGE}\n`);
    return EXIT.usage;
  }
  const client = apiClientFromEnv(io);
  if ('error' in client) {
    io.stderr(`${client.error}\n`);
    return EXIT.usage;
  }

  const parent = values.parent === undefined ? undefined : Number(values.parent);
  if (parent !== undefined && !(Number.isInteger(parent) && parent >= 1)) {
    io.stderr(`--parent must be a version number (1, 2, …), not "${values.parent}".\n`);
    return EXIT.usage;
  }
  const resolve = (file: string) => path.resolve(io.cwd, file);
  const artifactPath = resolve(values.artifact);
  let body: Record<string, unknown>;
  let size: number;
  try {
    size = (await stat(artifactPath)).size;
    body = {
      artifactSha256: await sha256File(artifactPath),
      format: values.format ?? (artifactPath.endsWith('.onnx') ? 'onnx' : undefined),
      metrics: values.metrics ? await readJsonFile(resolve(values.metrics), '--metrics') : undefined,
      params: values.params ? await readJsonFile(resolve(values.params), '--params') : undefined,
      features: values.features ? await readJsonFile(resolve(values.features), '--features') : undefined,
      dataset: values.dataset,
      parentVersion: parent,
      modelCard: values['model-card'] ? await readFile(resolve(values['model-card']), 'utf8') : undefined,
      gitCommit: values['git-commit'] ?? gitCommit(io),
    };
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.usage;
  }

  try {
    await client.request('POST', '/api/v1/models', { json: { name: values.model } }).catch((error: unknown) => {
      // The usual case from the second run on: the model is there already.
      if (!(error instanceof ApiCallError && error.code === 'model_exists')) throw error;
    });
    const version = await client.request<{ version: number }>('POST', `/api/v1/models/${encodeURIComponent(values.model)}/versions`, {
      json: body,
    });
    io.stderr(`Registered ${values.model} v${version.version}; uploading ${path.basename(artifactPath)} (${size} bytes) …\n`);
    await client.request('PUT', `/api/v1/models/${encodeURIComponent(values.model)}/versions/${version.version}/artifact`, {
      body: Readable.toWeb(createReadStream(artifactPath)) as ReadableStream<Uint8Array>,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size), 'x-artifact-sha256': String(body.artifactSha256) },
    });
    io.stderr(`Uploaded; sha256 ${String(body.artifactSha256)} checked by the server.\n`);
    io.stdout(`${version.version}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportApiError(error, io);
  }
}

export function reportApiError(error: unknown, io: CommandIo): number {
  if (error instanceof ApiCallError) {
    io.stderr(`${error.message}\n`);
    return error.exitCode;
  }
  throw error;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function readJsonFile(file: string, option: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${option} ${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The commit CI builds: GitHub Actions and GitLab CI name it; elsewhere ask git. */
function gitCommit(io: CommandIo): string | undefined {
  const fromCi = io.env.GITHUB_SHA?.trim() || io.env.CI_COMMIT_SHA?.trim();
  if (fromCi) return fromCi;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: io.cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}
