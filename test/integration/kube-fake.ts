import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * A stand-in for the Kubernetes API server with KServe installed, just wide enough for the
 * kserve backend: InferenceService CRUD, merge patches, watches (newline-delimited events),
 * bearer-token auth, Status objects for errors, and a "controller" that moves status the way
 * KServe's does (docs/backends.md lists what it imitates). Bodies are validated against the
 * CRD's schema fixture, so a manifest the real API server would refuse is refused here (422).
 */

const SCHEMA_PATH = path.join(__dirname, '..', 'fixtures', 'kserve', 'inferenceservice-v1beta1.schema.json');

/** A validator for the InferenceService CRD fixture; x-kubernetes-* keywords are annotations. */
export function inferenceServiceValidator(): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const keyword of ['x-kubernetes-int-or-string', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type', 'x-kubernetes-preserve-unknown-fields', 'x-source']) {
    ajv.addKeyword({ keyword });
  }
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object;
  return ajv.compile(schema);
}

type Json = Record<string, unknown>;
interface Isvc {
  apiVersion: string;
  kind: string;
  metadata: Json & { name: string; namespace: string; generation: number; resourceVersion: string; annotations?: Record<string, string> };
  spec: { predictor: Json & { canaryTrafficPercent?: number; model: Json & { storageUri?: string } } };
  status?: Json;
}

interface Revision {
  name: string;
  storageUri: string;
  ready: boolean;
}

interface ControllerState {
  revisions: Revision[];
  /** The revision rolled out to 100 % last (KServe's `prev` once a newer one exists). */
  rolledOut: string | null;
  lastModelKey: string;
}

export type ControllerMode = 'ready' | 'fail' | 'hold';

export interface KubeFake {
  url: string;
  token: string;
  /** A kubeconfig (YAML) pointing at this fake with its bearer token. */
  kubeconfig(namespace?: string): string;
  /** What the controller does with the next new revision: become ready, fail to load the model, or wait. */
  controller: { mode: ControllerMode; failureMessage: string };
  /** Admission: return a message to refuse a create/patch as KServe's validating webhook would. */
  admission: ((isvc: Isvc) => string | null) | null;
  requests: { method: string; path: string; contentType: string | undefined }[];
  get(namespace: string, name: string): Isvc | undefined;
  /** Runs the controller now on a held InferenceService. */
  reconcile(namespace: string, name: string, mode?: 'ready' | 'fail'): void;
  stop(): Promise<void>;
}

const conditionTypes = ['IngressReady', 'LatestDeploymentReady', 'PredictorConfigurationReady', 'PredictorReady', 'PredictorRouteReady', 'Ready'];

export async function startKubeFake(): Promise<KubeFake> {
  const validate = inferenceServiceValidator();
  const token = randomBytes(12).toString('hex');
  const objects = new Map<string, Isvc>();
  const controllers = new Map<string, ControllerState>();
  const watchers = new Set<{ namespace: string; name: string | null; response: http.ServerResponse }>();
  let resourceVersion = 1;
  const key = (ns: string, name: string) => `${ns}/${name}`;

  const fake: KubeFake = {
    url: '',
    token,
    controller: { mode: 'ready', failureMessage: 'Failed to load model: onnxruntime could not parse the model file' },
    admission: null,
    requests: [],
    kubeconfig: (namespace = 'default') =>
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: fake',
        '  cluster:',
        `    server: ${fake.url}`,
        // client-node refuses plain http unless TLS verification is explicitly off.
        '    insecure-skip-tls-verify: true',
        'users:',
        '- name: modeldeck',
        '  user:',
        `    token: ${token}`,
        'contexts:',
        '- name: fake',
        '  context:',
        '    cluster: fake',
        '    user: modeldeck',
        `    namespace: ${namespace}`,
        'current-context: fake',
        '',
      ].join('\n'),
    get: (ns, name) => objects.get(key(ns, name)),
    reconcile: (ns, name, mode) => reconcile(ns, name, mode ?? (fake.controller.mode === 'fail' ? 'fail' : 'ready')),
    stop: async () => {
      for (const w of watchers) w.response.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function status(response: http.ServerResponse, code: number, reason: string, message: string, details?: Json) {
    response.writeHead(code, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code, ...(details ? { details } : {}) }));
  }

  function send(response: http.ServerResponse, code: number, body: unknown) {
    response.writeHead(code, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  }

  function emit(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: Isvc) {
    for (const w of watchers) {
      if (w.namespace === object.metadata.namespace && (w.name === null || w.name === object.metadata.name)) {
        w.response.write(`${JSON.stringify({ type, object })}\n`);
      }
    }
  }

  /** The apiserver's own checks plus the CRD schema: the message names the field, as kubectl shows it. */
  function invalid(object: Isvc): string | null {
    const { status: _status, ...rest } = object;
    if (validate(rest)) return null;
    const causes = (validate.errors ?? []).map((e) => `${e.instancePath.replace(/^\//, '').replaceAll('/', '.') || '<root>'}: ${e.message ?? 'invalid'}${e.params && 'additionalProperty' in e.params ? ` "${String(e.params.additionalProperty)}"` : ''}`);
    return `InferenceService.serving.kserve.io "${object.metadata.name}" is invalid: ${causes.join(', ')}`;
  }

  function bump(object: Isvc) {
    object.metadata.resourceVersion = String(++resourceVersion);
  }

  function setStatus(object: Isvc, state: ControllerState, outcome: 'pending' | 'ready' | 'fail') {
    const { name, namespace, generation } = object.metadata;
    const latest = state.revisions.at(-1);
    const latestReady = [...state.revisions].reverse().find((r) => r.ready);
    const canary = object.spec.predictor.canaryTrafficPercent;
    const now = new Date().toISOString();
    const traffic: Json[] = [];
    if (latest?.ready) {
      const prev = state.rolledOut && state.rolledOut !== latest.name ? state.rolledOut : null;
      if (canary !== undefined && prev) {
        traffic.push({ tag: 'latest', revisionName: latest.name, percent: canary, latestRevision: true, url: `http://latest-${name}-predictor.${namespace}.example.com` });
        traffic.push({ tag: 'prev', revisionName: prev, percent: 100 - canary, latestRevision: false, url: `http://prev-${name}-predictor.${namespace}.example.com` });
      } else {
        traffic.push({ tag: 'latest', revisionName: latest.name, percent: 100, latestRevision: true });
      }
    } else if (state.rolledOut) {
      // A revision that is not ready takes no traffic: the last rolled-out one keeps all of it.
      traffic.push({ tag: 'prev', revisionName: state.rolledOut, percent: 100, latestRevision: false });
    }
    const failing = outcome === 'fail';
    const pending = outcome === 'pending';
    const conditions = conditionTypes.map((type) => {
      if (pending && type !== 'IngressReady' && type !== 'PredictorConfigurationReady') {
        return { type, status: 'Unknown', reason: 'Deploying', lastTransitionTime: now };
      }
      if (failing && (type === 'LatestDeploymentReady' || type === 'PredictorReady' || type === 'Ready')) {
        return { type, status: 'False', reason: 'RevisionFailed', message: `Revision "${latest?.name}" failed with message: ${fake.controller.failureMessage}.`, lastTransitionTime: now };
      }
      return { type, status: 'True', lastTransitionTime: now };
    });
    object.status = {
      observedGeneration: generation,
      url: `http://${name}.${namespace}.example.com`,
      address: { url: `http://${name}.${namespace}.svc.cluster.local` },
      conditions,
      components: {
        predictor: {
          latestCreatedRevision: latest?.name,
          ...(latestReady ? { latestReadyRevision: latestReady.name } : {}),
          ...(state.rolledOut ? { latestRolledoutRevision: state.rolledOut } : {}),
          url: `http://${name}-predictor.${namespace}.example.com`,
          traffic,
        },
      },
      modelStatus: failing
        ? {
            transitionStatus: 'BlockedByFailedLoad',
            states: { activeModelState: state.rolledOut ? 'Loaded' : 'FailedToLoad', targetModelState: 'FailedToLoad' },
            lastFailureInfo: { reason: 'ModelLoadFailed', message: fake.controller.failureMessage, modelRevisionName: latest?.name, time: now },
          }
        : { transitionStatus: pending ? 'InProgress' : 'UpToDate', states: { activeModelState: pending ? 'Loading' : 'Loaded', targetModelState: pending ? 'Loading' : 'Loaded' } },
    };
    const statusErrors = validate({ ...object }) ? null : validate.errors;
    if (statusErrors) throw new Error(`the fake controller wrote a status the CRD refuses: ${JSON.stringify(statusErrors)}`);
  }

  /** KServe's reconcile: a changed model spec is a new revision; canaryTrafficPercent splits latest/prev; no field means promote. */
  function observe(object: Isvc) {
    const k = key(object.metadata.namespace, object.metadata.name);
    const modelKey = JSON.stringify(object.spec.predictor.model);
    let state = controllers.get(k);
    if (!state) {
      state = { revisions: [], rolledOut: null, lastModelKey: '' };
      controllers.set(k, state);
    }
    if (state.lastModelKey !== modelKey) {
      state.lastModelKey = modelKey;
      state.revisions.push({ name: `${object.metadata.name}-predictor-${String(state.revisions.length + 1).padStart(5, '0')}`, storageUri: String(object.spec.predictor.model.storageUri), ready: false });
      setStatus(object, state, 'pending');
      bump(object);
      emit('MODIFIED', object);
      if (fake.controller.mode !== 'hold') {
        const mode = fake.controller.mode;
        setTimeout(() => reconcile(object.metadata.namespace, object.metadata.name, mode), 30);
      }
      return;
    }
    const latest = state.revisions.at(-1);
    if (latest?.ready && object.spec.predictor.canaryTrafficPercent === undefined) state.rolledOut = latest.name;
    const failed = latest && !latest.ready && object.status && JSON.stringify(object.status).includes('RevisionFailed');
    setStatus(object, state, latest?.ready ? 'ready' : failed ? 'fail' : 'pending');
    bump(object);
    emit('MODIFIED', object);
  }

  function reconcile(ns: string, name: string, mode: 'ready' | 'fail') {
    const object = objects.get(key(ns, name));
    const state = controllers.get(key(ns, name));
    const latest = state?.revisions.at(-1);
    if (!object || !state || !latest) return;
    latest.ready = mode === 'ready';
    // The first revision, or a promoted one (no canaryTrafficPercent), becomes the rolled-out revision.
    if (latest.ready && (state.rolledOut === null || object.spec.predictor.canaryTrafficPercent === undefined)) state.rolledOut = latest.name;
    setStatus(object, state, mode);
    bump(object);
    emit('MODIFIED', object);
  }

  function mergePatch(target: unknown, patch: unknown): unknown {
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
    const result: Json = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Json) } : {};
    for (const [k, v] of Object.entries(patch as Json)) {
      if (v === null) delete result[k];
      else result[k] = mergePatch(result[k], v);
    }
    return result;
  }

  async function body(request: http.IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return text ? JSON.parse(text) : undefined;
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => status(response, 500, 'InternalError', error instanceof Error ? error.message : String(error)));
  });

  async function handle(request: http.IncomingMessage, response: http.ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://fake');
    fake.requests.push({ method: request.method ?? 'GET', path: `${url.pathname}${url.search}`, contentType: request.headers['content-type'] });
    if (request.headers.authorization !== `Bearer ${token}`) return status(response, 401, 'Unauthorized', 'Unauthorized');
    const match = /^\/apis\/serving\.kserve\.io\/v1beta1\/namespaces\/([^/]+)\/inferenceservices(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match) return status(response, 404, 'NotFound', 'the server could not find the requested resource');
    const [, namespace, name] = match as unknown as [string, string, string | undefined];
    const method = request.method ?? 'GET';

    if (!name && method === 'GET') {
      if (url.searchParams.get('watch') === 'true') {
        const selector = /^metadata\.name=(.+)$/.exec(url.searchParams.get('fieldSelector') ?? '');
        response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
        const watcher = { namespace, name: selector ? selector[1]! : null, response };
        watchers.add(watcher);
        request.on('close', () => watchers.delete(watcher));
        const since = Number(url.searchParams.get('resourceVersion') ?? '0');
        for (const object of objects.values()) {
          if (object.metadata.namespace === namespace && (watcher.name === null || watcher.name === object.metadata.name) && Number(object.metadata.resourceVersion) > since) {
            response.write(`${JSON.stringify({ type: 'ADDED', object })}\n`);
          }
        }
        return;
      }
      const items = [...objects.values()].filter((o) => o.metadata.namespace === namespace);
      return send(response, 200, { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceServiceList', metadata: { resourceVersion: String(resourceVersion) }, items });
    }

    if (!name && method === 'POST') {
      const object = (await body(request)) as Isvc;
      const objectName = object?.metadata?.name;
      if (!objectName) return status(response, 422, 'Invalid', 'InferenceService.serving.kserve.io "" is invalid: metadata.name: Required value: name or generateName is required');
      if (objects.has(key(namespace, objectName))) return status(response, 409, 'AlreadyExists', `inferenceservices.serving.kserve.io "${objectName}" already exists`);
      const refused = invalid(object) ?? fake.admission?.(object) ?? null;
      if (refused) return status(response, 422, 'Invalid', refused);
      const created: Isvc = {
        ...object,
        metadata: { ...object.metadata, namespace, uid: randomUUID(), generation: 1, resourceVersion: '', creationTimestamp: new Date().toISOString() },
      };
      delete created.status;
      bump(created);
      objects.set(key(namespace, objectName), created);
      emit('ADDED', created);
      send(response, 201, created);
      observe(created);
      return;
    }

    const existing = name ? objects.get(key(namespace, name)) : undefined;
    if (!existing) return status(response, 404, 'NotFound', `inferenceservices.serving.kserve.io "${name ?? ''}" not found`);

    if (method === 'GET') return send(response, 200, existing);

    if (method === 'PATCH') {
      if (request.headers['content-type'] !== 'application/merge-patch+json') {
        return status(response, 415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json`);
      }
      const patched = mergePatch(existing, await body(request)) as Isvc;
      patched.metadata = { ...patched.metadata, name: existing.metadata.name, namespace };
      const refused = invalid(patched) ?? fake.admission?.(patched) ?? null;
      if (refused) return status(response, 422, 'Invalid', refused);
      const specChanged = JSON.stringify(patched.spec) !== JSON.stringify(existing.spec);
      if (specChanged) patched.metadata.generation = existing.metadata.generation + 1;
      bump(patched);
      objects.set(key(namespace, existing.metadata.name), patched);
      emit('MODIFIED', patched);
      send(response, 200, patched);
      if (specChanged) observe(patched);
      return;
    }

    if (method === 'DELETE') {
      objects.delete(key(namespace, existing.metadata.name));
      controllers.delete(key(namespace, existing.metadata.name));
      emit('DELETED', existing);
      return send(response, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: existing.metadata.name, group: 'serving.kserve.io', kind: 'inferenceservices', uid: existing.metadata.uid } });
    }

    return status(response, 405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
