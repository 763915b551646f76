/**
 * The management API the dashboard drives: load a version (download, verify sha256, open,
 * warm up), set the traffic split and shadow, unload (drain first), read state and stats.
 * Changes to one model are serialised by a per-model lock; each change is written to the
 * state file before it is acknowledged, so a restarted server comes back to it.
 */
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ArtifactMismatchError, ArtifactRefusedError, ArtifactUnreachableError, downloadVerified, sha256OfFile } from './artifacts';
import type { Answer } from './inference';
import type { Metrics } from './metrics';
import { ModelVersion, type ModelEntry, type Registry, type TrafficTable } from './registry';
import { RETENTION_SECONDS } from './stats';
import { ZTask, type Route, type Shadow, type StateStore, type StoredBinding, type StoredState } from './state-store';
import { ZStreamingBinding, type Streaming } from './streaming';

export interface ManagementDeps {
  registry: Registry;
  store: StateStore;
  metrics: Metrics;
  logger: Logger;
  /** NATS JetStream bindings; absent in tests that start no streaming. */
  streaming?: Streaming | null;
}

/** Path segments become directory names in the artifact cache, hence the conservative alphabet. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export const ZLoadVersionBody = z.object({
  artifactUrl: z.string().min(1),
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'sha256 must be 64 hexadecimal characters')
    .transform((s) => s.toLowerCase()),
  task: ZTask.default('other'),
  headers: z.record(z.string(), z.string()).optional(),
});

export const ZTrafficBody = z.object({
  routes: z.array(z.object({ version: z.string().min(1), percent: z.number().int().min(0).max(100) })),
  shadow: z
    .object({ version: z.string().min(1), percent: z.number().int().min(1).max(100) })
    .nullable()
    .optional(),
});

function error(status: number, message: string): Answer {
  return { status, body: { error: message } };
}

function describeIssues(issues: z.core.$ZodIssue[]): string {
  return issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

const locks = new Map<string, Promise<unknown>>();

/** Runs `task` after every earlier task for the same key has finished. */
async function withLock<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = locks.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const tail = run.catch(() => {});
  locks.set(key, tail);
  try {
    return await run;
  } finally {
    if (locks.get(key) === tail) locks.delete(key);
  }
}

export function storedState(registry: Registry, store: StateStore, streaming?: Streaming | null): StoredState {
  const environments = new Map<string, StoredState['environments'][number]>();
  for (const entry of registry.entries()) {
    let env = environments.get(entry.environment);
    if (!env) {
      env = { environment: entry.environment, models: [] };
      environments.set(entry.environment, env);
    }
    env.models.push({
      model: entry.model,
      versions: [...entry.versions.values()].map((v) => ({
        version: v.version,
        sha256: v.sha256,
        task: v.task,
        artifact: path.relative(store.dir, v.artifactPath),
        loadedAt: v.loadedAt,
      })),
      routes: entry.table.routes.map((r) => ({ version: r.version.version, percent: r.percent })),
      shadow: entry.table.shadow ? { version: entry.table.shadow.version.version, percent: entry.table.shadow.percent } : null,
    });
  }
  const bindings: StoredBinding[] = (streaming?.list() ?? []).map((c) => ({ environment: c.environment, model: c.model, binding: { ...c.binding } }));
  return { format: 1, environments: [...environments.values()], ...(bindings.length ? { streaming: bindings } : {}) };
}

function modelView(entry: ModelEntry) {
  return {
    model: entry.model,
    versions: [...entry.versions.values()].map((v) => ({
      version: v.version,
      sha256: v.sha256,
      task: v.task,
      status: v.status,
      loadedAt: v.loadedAt,
      ...(v.error ? { error: v.error } : {}),
    })),
    routes: entry.table.routes.map((r) => ({ version: r.version.version, percent: r.percent })),
    shadow: entry.table.shadow ? { version: entry.table.shadow.version.version, percent: entry.table.shadow.percent } : null,
  };
}

function buildTable(entry: ModelEntry, routes: readonly Route[], shadow: Shadow | null): TrafficTable {
  const find = (version: string) => entry.versions.get(version)!;
  return Object.freeze({
    routes: Object.freeze(routes.filter((r) => r.percent > 0).map((r) => Object.freeze({ version: find(r.version), percent: r.percent }))),
    shadow: shadow ? Object.freeze({ version: find(shadow.version), percent: shadow.percent }) : null,
  });
}

function updateLoadedGauge(deps: ManagementDeps, entry: ModelEntry): void {
  const ready = [...entry.versions.values()].filter((v) => v.status === 'ready').length;
  deps.metrics.loadedModels.set({ environment: entry.environment, model: entry.model }, ready);
}

async function persist(deps: ManagementDeps): Promise<void> {
  await deps.store.write(storedState(deps.registry, deps.store, deps.streaming));
}

function checkNames(...names: string[]): Answer | null {
  for (const name of names) {
    if (!NAME_PATTERN.test(name)) return error(400, `${JSON.stringify(name)} is not a valid name (letters, digits, ".", "_", "-"; at most 128).`);
  }
  return null;
}

function versionInfo(version: ModelVersion) {
  return { version: version.version, status: version.status, sha256: version.sha256, inputs: version.inputs, outputs: version.outputs };
}

export async function loadVersion(deps: ManagementDeps, environment: string, model: string, versionName: string, rawBody: unknown): Promise<Answer> {
  const bad = checkNames(environment, model, versionName);
  if (bad) return bad;
  const parsed = ZLoadVersionBody.safeParse(rawBody);
  if (!parsed.success) return error(400, describeIssues(parsed.error.issues));
  const body = parsed.data;

  return withLock(`${environment}/${model}`, async () => {
    const entry = deps.registry.getOrCreate(environment, model);
    const existing = entry.versions.get(versionName);
    if (existing && existing.sha256 !== body.sha256) {
      return error(409, `version "${versionName}" is already loaded with sha256 ${existing.sha256}; unload it before loading other bytes under that name.`);
    }
    if (existing?.status === 'ready') return { status: 200, body: versionInfo(existing) };

    const temp = deps.store.incomingPath();
    try {
      await downloadVerified({ artifactUrl: body.artifactUrl, headers: body.headers, expectedSha256: body.sha256, destination: temp });
    } catch (caught) {
      deps.registry.prune(entry);
      if (caught instanceof ArtifactMismatchError || caught instanceof ArtifactRefusedError) return error(422, caught.message);
      if (caught instanceof ArtifactUnreachableError) return error(502, caught.message);
      throw caught;
    }
    const artifactPath = path.join(deps.store.artifactDir, environment, model, `${versionName}-${body.sha256.slice(0, 16)}.onnx`);
    await mkdir(path.dirname(artifactPath), { recursive: true });
    await rename(temp, artifactPath);

    const version = new ModelVersion(versionName, body.sha256, body.task, artifactPath, new Date().toISOString());
    try {
      await version.open();
    } catch (caught) {
      if (!existing) await rm(artifactPath, { force: true });
      deps.registry.prune(entry);
      return error(422, (caught as Error).message);
    }
    entry.versions.set(versionName, version);
    if (existing) {
      // A version that failed to reload at start is replaced; the table must point at the new object.
      entry.table = buildTable(entry, modelView(entry).routes, modelView(entry).shadow);
      await existing.close();
    }
    updateLoadedGauge(deps, entry);
    await persist(deps);
    deps.logger.info({ environment, model, version: versionName, sha256: body.sha256 }, 'version loaded');
    return { status: 200, body: versionInfo(version) };
  });
}

export async function setTraffic(deps: ManagementDeps, environment: string, model: string, rawBody: unknown): Promise<Answer> {
  const bad = checkNames(environment, model);
  if (bad) return bad;
  const parsed = ZTrafficBody.safeParse(rawBody);
  if (!parsed.success) return error(400, describeIssues(parsed.error.issues));
  const { routes } = parsed.data;
  const shadow = parsed.data.shadow ?? null;
  const names = routes.map((r) => r.version);
  if (new Set(names).size !== names.length) return error(400, 'routes: each version may appear once.');
  const total = routes.reduce((sum, r) => sum + r.percent, 0);
  if (routes.length > 0 && total !== 100) return error(400, `routes: percents must sum to 100, got ${total}.`);
  if (shadow && names.includes(shadow.version)) return error(400, `shadow: version "${shadow.version}" already takes traffic; a shadow must be a version without routes.`);

  return withLock(`${environment}/${model}`, async () => {
    const entry = deps.registry.get(environment, model);
    for (const name of [...names, ...(shadow ? [shadow.version] : [])]) {
      const version = entry?.versions.get(name);
      if (!version || version.status !== 'ready') {
        return error(409, `version "${name}" of model "${model}" is not loaded in environment "${environment}"${version ? ` (${version.status})` : ''}.`);
      }
    }
    if (!entry) return error(409, `model "${model}" has no loaded versions in environment "${environment}".`);
    entry.table = buildTable(entry, routes, shadow);
    await persist(deps);
    deps.logger.info({ environment, model, routes, shadow }, 'traffic set');
    return { status: 200, body: modelView(entry) };
  });
}

export async function unloadVersion(deps: ManagementDeps, environment: string, model: string, versionName: string): Promise<Answer> {
  return withLock(`${environment}/${model}`, async () => {
    const entry = deps.registry.get(environment, model);
    const version = entry?.versions.get(versionName);
    if (!entry || !version) return error(404, `version "${versionName}" of model "${model}" is not loaded in environment "${environment}".`);
    const role = entry.roleOf(version);
    if (role === 'shadow') return error(409, `version "${versionName}" is the shadow; set traffic without it first.`);
    if (role) return error(409, `version "${versionName}" still takes traffic (${role}); move its traffic first.`);
    entry.versions.delete(versionName);
    await persist(deps);
    // Requests routed before the table changed (or pinned before the delete) finish on this session.
    await version.drained();
    await version.close();
    await rm(version.artifactPath, { force: true });
    updateLoadedGauge(deps, entry);
    deps.registry.prune(entry);
    deps.logger.info({ environment, model, version: versionName }, 'version unloaded');
    return { status: 200, body: { version: versionName, status: 'unloaded' } };
  });
}

export function getState(deps: ManagementDeps): Answer {
  const environments = new Map<string, { environment: string; models: ReturnType<typeof modelView>[] }>();
  for (const entry of deps.registry.entries()) {
    const env = environments.get(entry.environment) ?? { environment: entry.environment, models: [] };
    env.models.push(modelView(entry));
    environments.set(entry.environment, env);
  }
  return { status: 200, body: { ready: deps.registry.ready, environments: [...environments.values()] } };
}

export function getStats(deps: ManagementDeps, environment: string, model: string, windowParam: string | null): Answer {
  const windowSeconds = windowParam === null ? 60 : Number(windowParam);
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1 || windowSeconds > RETENTION_SECONDS) {
    return error(400, `windowSeconds must be an integer from 1 to ${RETENTION_SECONDS}.`);
  }
  const entry = deps.registry.get(environment, model);
  if (!entry) return error(404, `model "${model}" is not served in environment "${environment}".`);
  const versions = [];
  for (const route of entry.table.routes) {
    const s = route.version.served.summary(windowSeconds);
    versions.push({ version: route.version.version, role: entry.roleOf(route.version), requests: s.requests, errors: s.errors, errorRate: s.errorRate, latencyMs: s.latencyMs });
  }
  let shadow = null;
  if (entry.table.shadow) {
    const version = entry.table.shadow.version;
    const s = version.shadowed.summary(windowSeconds, version.task);
    versions.push({ version: version.version, role: 'shadow' as const, requests: s.requests, errors: s.errors, errorRate: s.errorRate, latencyMs: s.latencyMs });
    shadow = { version: version.version, compared: s.compared, agreement: s.agreement, meanAbsoluteDifference: s.meanAbsoluteDifference, latencyMs: s.latencyMs };
  }
  return { status: 200, body: { windowSeconds, versions, shadow } };
}

/** PUT …/streaming: binds (or rebinds with new settings) the model to a JetStream stream, persisted before it answers. */
export async function bindStreaming(deps: ManagementDeps, environment: string, model: string, rawBody: unknown): Promise<Answer> {
  const bad = checkNames(environment, model);
  if (bad) return bad;
  if (!deps.streaming) return error(501, 'streaming is not available on this server.');
  const parsed = ZStreamingBinding.safeParse(rawBody ?? {});
  if (!parsed.success) return error(400, describeIssues(parsed.error.issues));
  const streaming = deps.streaming;
  return withLock(`${environment}/${model}`, async () => {
    const consumer = await streaming.bind(environment, model, parsed.data);
    await persist(deps);
    deps.logger.info({ environment, model, binding: parsed.data }, 'streaming bound');
    return { status: 200, body: await consumer.status() };
  });
}

export async function unbindStreaming(deps: ManagementDeps, environment: string, model: string): Promise<Answer> {
  if (!deps.streaming) return error(404, `model "${model}" has no streaming binding in environment "${environment}".`);
  const streaming = deps.streaming;
  return withLock(`${environment}/${model}`, async () => {
    const removed = await streaming.unbind(environment, model);
    if (!removed) return error(404, `model "${model}" has no streaming binding in environment "${environment}".`);
    await persist(deps);
    deps.logger.info({ environment, model }, 'streaming unbound');
    return { status: 200, body: { environment, model, binding: null } };
  });
}

/** GET …/streaming: connection state and consumer lag (pending, ack pending) of one binding. */
export async function getStreaming(deps: ManagementDeps, environment: string, model: string): Promise<Answer> {
  const consumer = deps.streaming?.get(environment, model);
  if (!consumer) return error(404, `model "${model}" has no streaming binding in environment "${environment}".`);
  return { status: 200, body: await consumer.status() };
}

export async function listStreaming(deps: ManagementDeps): Promise<Answer> {
  const consumers = deps.streaming?.list() ?? [];
  return { status: 200, body: { bindings: await Promise.all(consumers.map((c) => c.status())) } };
}

/** After the versions are back: every stored binding starts consuming again (from its durable consumer's position). */
export async function restoreStreaming(deps: ManagementDeps): Promise<void> {
  if (!deps.streaming) return;
  const state = await deps.store.read();
  for (const stored of state.streaming ?? []) {
    const parsed = ZStreamingBinding.safeParse(stored.binding);
    if (!parsed.success) {
      deps.logger.error({ environment: stored.environment, model: stored.model, error: parsed.error.message }, 'stored streaming binding is invalid; skipped');
      continue;
    }
    await deps.streaming.bind(stored.environment, stored.model, parsed.data);
    deps.logger.info({ environment: stored.environment, model: stored.model }, 'streaming binding restored');
  }
}

/**
 * At start, before listening: the desired state from disk, every version registered as
 * "loading" with its traffic table, and cached files no version refers to removed (left by a
 * crash between writing the state and deleting an unloaded artifact).
 */
export async function prepareState(deps: ManagementDeps): Promise<void> {
  const state = await deps.store.read();
  const pending: ModelVersion[] = [];
  for (const env of state.environments) {
    for (const stored of env.models) {
      const entry = deps.registry.getOrCreate(env.environment, stored.model);
      for (const v of stored.versions) {
        const version = new ModelVersion(v.version, v.sha256, v.task, path.resolve(deps.store.dir, v.artifact), v.loadedAt);
        entry.versions.set(v.version, version);
        pending.push(version);
      }
      const known = (name: string) => entry.versions.has(name);
      entry.table = buildTable(entry, stored.routes.filter((r) => known(r.version)), stored.shadow && known(stored.shadow.version) ? stored.shadow : null);
    }
  }
  const referenced = new Set(pending.map((v) => v.artifactPath));
  for (const file of await readdir(deps.store.artifactDir, { recursive: true, withFileTypes: true })) {
    const filePath = path.join(file.parentPath, file.name);
    if (!file.isFile() || referenced.has(filePath)) continue;
    await rm(filePath, { force: true });
    deps.logger.info({ file: filePath }, 'removed an artifact no version refers to');
  }
}

/** After listening: re-verify each cached artifact and open it; the server is ready when all are done. */
export async function reopenVersions(deps: ManagementDeps): Promise<void> {
  for (const entry of deps.registry.entries()) {
    for (const version of [...entry.versions.values()]) {
      if (version.status !== 'loading') continue;
      await withLock(`${entry.environment}/${entry.model}`, () => restoreVersion(deps, entry, version));
    }
  }
  deps.registry.ready = true;
}

async function restoreVersion(deps: ManagementDeps, entry: ModelEntry, version: ModelVersion): Promise<void> {
  // The dashboard may have loaded this version again, or unloaded it, while earlier ones were restored.
  if (entry.versions.get(version.version) !== version) return;
  try {
    const actual = await sha256OfFile(version.artifactPath).catch((e: Error) => {
      throw new Error(`cached artifact unreadable: ${e.message}`);
    });
    if (actual !== version.sha256) throw new Error(`sha256 mismatch: expected ${version.sha256}, got ${actual}`);
    await version.open();
    deps.logger.info({ environment: entry.environment, model: entry.model, version: version.version }, 'version restored');
  } catch (caught) {
    version.status = 'failed';
    version.error = (caught as Error).message;
    deps.logger.error({ environment: entry.environment, model: entry.model, version: version.version, error: version.error }, 'version could not be restored');
  }
  updateLoadedGauge(deps, entry);
}
