/**
 * HTTP routing of the model server (node:http, no framework): the Open Inference Protocol
 * under /environments/{environment}/v2/…, health probes at the root, /metrics, and the
 * token-protected management API under /manage.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { Logger } from 'pino';
import { infer, resolveVersion, type Answer } from './inference';
import { bindStreaming, getState, getStats, getStreaming, listStreaming, loadVersion, setTraffic, unbindStreaming, unloadVersion, type ManagementDeps } from './management';
import type { Metrics } from './metrics';
import type { Registry } from './registry';
import type { Reporter } from './reporter';
import type { StateStore } from './state-store';
import type { Streaming } from './streaming';

export const SERVER_NAME = 'modeldeck-model-server';
export const SERVER_VERSION = '0.1.0';
/** Larger bodies are refused with 413 before they are buffered. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface ServerDeps {
  registry: Registry;
  store: StateStore;
  metrics: Metrics;
  logger: Logger;
  /** null only with MODEL_SERVER_INSECURE_NO_TOKEN=1. */
  token: string | null;
  reporter?: Reporter | null;
  streaming?: Streaming | null;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(response: http.ServerResponse, answer: Answer): void {
  const text = JSON.stringify(answer.body);
  response.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function readBody(request: http.IncomingMessage): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return Promise.reject(new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes.`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // An oversized body is read to its end and dropped, so the 413 still reaches the client.
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes.`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
  });
}

async function readJson(request: http.IncomingMessage): Promise<unknown> {
  const text = await readBody(request);
  try {
    return JSON.parse(text);
  } catch (caught) {
    throw new HttpError(400, `malformed JSON body: ${(caught as Error).message}`);
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time comparison of the bearer token (hashing first equalises the lengths). */
function authorized(request: http.IncomingMessage, token: string | null): boolean {
  if (token === null) return true;
  const header = request.headers.authorization ?? '';
  const match = /^Bearer (.+)$/i.exec(header);
  if (!match) return false;
  return timingSafeEqual(digest(match[1]!), digest(token));
}

function notFound(path: string): Answer {
  return { status: 404, body: { error: `no route for ${path}` } };
}

function methodNotAllowed(method: string, path: string): Answer {
  return { status: 405, body: { error: `${method} is not allowed on ${path}` } };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `malformed path segment ${JSON.stringify(segment)}`);
  }
}

async function handleOip(deps: ServerDeps, request: http.IncomingMessage, environment: string, parts: string[], path: string): Promise<Answer> {
  const method = request.method ?? 'GET';
  const [head, kind, ...rest] = parts;
  if (head !== 'v2') return notFound(path);
  if (kind === undefined) {
    if (method !== 'GET') return methodNotAllowed(method, path);
    return { status: 200, body: { name: SERVER_NAME, version: SERVER_VERSION, extensions: [] } };
  }
  if (kind === 'health' && rest.length === 1 && (rest[0] === 'live' || rest[0] === 'ready')) {
    if (method !== 'GET') return methodNotAllowed(method, path);
    if (rest[0] === 'live') return { status: 200, body: { live: true } };
    return { status: deps.registry.ready ? 200 : 503, body: { ready: deps.registry.ready } };
  }
  if (kind !== 'models' || rest.length === 0) return notFound(path);

  const model = decode(rest[0]!);
  let pinned: string | null = null;
  let action = rest.slice(1);
  if (action[0] === 'versions') {
    if (action.length < 2) return notFound(path);
    pinned = decode(action[1]!);
    action = action.slice(2);
  }
  if (action.length > 1) return notFound(path);
  const verb = action[0] ?? '';

  if (verb === 'infer') {
    if (method !== 'POST') return methodNotAllowed(method, path);
    const body = await readJson(request);
    return infer(deps, environment, model, pinned, body);
  }
  if (verb !== '' && verb !== 'ready') return notFound(path);
  if (method !== 'GET') return methodNotAllowed(method, path);

  const entry = deps.registry.get(environment, model);
  if (!entry) return { status: 404, body: { error: `model "${model}" is not served in environment "${environment}".` } };
  if (verb === 'ready') {
    const resolved = resolveVersion(deps.registry, environment, model, pinned);
    if ('status' in resolved) {
      if (resolved.status !== 503) return resolved;
      return { status: 503, body: { name: model, ...(pinned ? { version: pinned } : {}), ready: false } };
    }
    resolved.version.release();
    return { status: 200, body: { name: model, ...(pinned ? { version: pinned } : {}), ready: true } };
  }
  const described = pinned !== null ? entry.versions.get(pinned) : (entry.primary() ?? [...entry.versions.values()].at(-1));
  if (!described) return { status: 404, body: { error: `version "${pinned}" of model "${model}" is not loaded in environment "${environment}".` } };
  if (described.status !== 'ready') return { status: 503, body: { error: `version "${described.version}" of model "${model}" is not ready (${described.status}).` } };
  return {
    status: 200,
    body: {
      name: model,
      versions: [...entry.versions.values()].filter((v) => v.status === 'ready').map((v) => v.version),
      platform: 'onnxruntime_onnx',
      inputs: described.inputs,
      outputs: described.outputs,
    },
  };
}

async function handleManage(deps: ServerDeps, request: http.IncomingMessage, parts: string[], url: URL): Promise<Answer> {
  if (!authorized(request, deps.token)) return { status: 401, body: { error: 'missing or wrong bearer token for the management API.' } };
  const method = request.method ?? 'GET';
  const management: ManagementDeps = deps;
  const path = url.pathname;
  if (parts.length === 1 && parts[0] === 'state') {
    return method === 'GET' ? getState(management) : methodNotAllowed(method, path);
  }
  if (parts.length === 1 && parts[0] === 'reporting') {
    if (method !== 'GET') return methodNotAllowed(method, path);
    return { status: 200, body: deps.reporter ? deps.reporter.status() : { enabled: false, url: null } };
  }
  if (parts.length === 1 && parts[0] === 'streaming') {
    return method === 'GET' ? listStreaming(management) : methodNotAllowed(method, path);
  }
  if (parts[0] !== 'environments' || parts[2] !== 'models' || parts.length < 5) return notFound(path);
  const environment = decode(parts[1]!);
  const model = decode(parts[3]!);
  if (parts.length === 5 && parts[4] === 'traffic') {
    return method === 'PUT' ? setTraffic(management, environment, model, await readJson(request)) : methodNotAllowed(method, path);
  }
  if (parts.length === 5 && parts[4] === 'streaming') {
    if (method === 'PUT') return bindStreaming(management, environment, model, await readJson(request));
    if (method === 'GET') return getStreaming(management, environment, model);
    if (method === 'DELETE') return unbindStreaming(management, environment, model);
    return methodNotAllowed(method, path);
  }
  if (parts.length === 5 && parts[4] === 'stats') {
    return method === 'GET' ? getStats(management, environment, model, url.searchParams.get('windowSeconds')) : methodNotAllowed(method, path);
  }
  if (parts.length === 6 && parts[4] === 'versions') {
    const version = decode(parts[5]!);
    if (method === 'PUT') return loadVersion(management, environment, model, version, await readJson(request));
    if (method === 'DELETE') return unloadVersion(management, environment, model, version);
    return methodNotAllowed(method, path);
  }
  return notFound(path);
}

async function handle(deps: ServerDeps, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://model-server');
  const parts = url.pathname.split('/').filter(Boolean);
  let answer: Answer;
  if (parts[0] === 'metrics' && parts.length === 1) {
    const text = await deps.metrics.registry.metrics();
    response.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
    response.end(text);
    return;
  }
  if (parts[0] === 'manage') answer = await handleManage(deps, request, parts.slice(1), url);
  else if (parts[0] === 'environments' && parts.length >= 2) answer = await handleOip(deps, request, decode(parts[1]!), parts.slice(2), url.pathname);
  else if (parts[0] === 'v2' && (parts.length === 1 || parts[1] === 'health')) answer = await handleOip(deps, request, '', parts, url.pathname);
  else if (parts[0] === 'v2') answer = { status: 404, body: { error: 'models are served under /environments/{environment}/v2/models/…' } };
  else answer = notFound(url.pathname);
  send(response, answer);
}

export function createServer(deps: ServerDeps): http.Server {
  const server = http.createServer((request, response) => {
    handle(deps, request, response).catch((caught: unknown) => {
      if (caught instanceof HttpError) {
        send(response, { status: caught.status, body: { error: caught.message } });
        return;
      }
      deps.logger.error({ err: caught, url: request.url }, 'request failed');
      if (!response.headersSent) send(response, { status: 500, body: { error: 'internal error' } });
      else response.destroy();
    });
  });
  // Clients of a model server keep connections open; Node's 5 s default closes them under idle load balancers.
  server.keepAliveTimeout = 65_000;
  return server;
}
