import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as checkRoute } from '@/app/api/v1/environments/[environment]/backend/check/route';
import { GET as getBackendRoute, PUT as putBackendRoute } from '@/app/api/v1/environments/[environment]/backend/route';
import { db } from '@/lib/db';
import { buildInferenceService, kserve, PREVIOUS_ANNOTATION, VERSION_ANNOTATION, type KServeBackendConfig } from '@/lib/server/deployments/backends/kserve';
import { BackendError, type ArtifactSource, type DeploymentTarget } from '@/lib/server/deployments/backends/types';
import { deployRelease } from '@/lib/server/promotions/deploy-release';
import { call, createTestUser, rawQuery, waitFor } from '../helpers';
import { api } from '../registry-api';
import { inferenceServiceValidator, startKubeFake, type KubeFake } from './kube-fake';

type User = Awaited<ReturnType<typeof createTestUser>>;
let admin: User;
let engineer: User;
let fake: KubeFake;

const NAMESPACE = 'models';
const validate = inferenceServiceValidator();
const config = (overrides: Partial<KServeBackendConfig> = {}): KServeBackendConfig =>
  kserve.configSchema.parse({ namespace: NAMESPACE, timeoutSeconds: 10, ...overrides });
const artifact = (version: number): ArtifactSource => ({
  url: `s3://modeldeck-artifacts/models/churn/${version}/model.onnx`,
  sha256: createHash('sha256').update(String(version)).digest('hex'),
});
const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;
const target = (model: string): DeploymentTarget => ({ environment: 'production', model });

async function rejection(promise: Promise<unknown>): Promise<BackendError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackendError);
  return error as BackendError;
}

function expectValid(object: unknown) {
  const ok = validate(object);
  expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
  expect(ok).toBe(true);
}

const backendApi = {
  put: (token: string, environment: string, json: unknown) =>
    call(putBackendRoute, { path: `/api/v1/environments/${environment}/backend`, method: 'PUT', token, json, params: { environment } }),
  get: (token: string, environment: string) => call(getBackendRoute, { path: `/api/v1/environments/${environment}/backend`, token, params: { environment } }),
  check: (token: string, environment: string) =>
    call(checkRoute, { path: `/api/v1/environments/${environment}/backend/check`, method: 'POST', token, params: { environment } }),
};

beforeAll(async () => {
  process.env.MODELDECK_ENCRYPTION_KEY = randomBytes(32).toString('base64');
  [admin, engineer] = await Promise.all([createTestUser(['admin']), createTestUser(['engineer'])]);
  fake = await startKubeFake();
});

afterAll(async () => {
  await fake?.stop();
});

describe('KServe InferenceService manifests', () => {
  it('validate against the v1beta1 CRD schema for a first deploy, a canary step and with resources', () => {
    const first = buildInferenceService(config(), target('churn'), 1, artifact(1).url);
    expectValid(first);
    expect(first.spec.predictor).toEqual({ model: { modelFormat: { name: 'onnx' }, protocolVersion: 'v2', storageUri: artifact(1).url } });

    const canary = buildInferenceService(
      config({ resources: { cpu: '500m', memory: '1Gi', gpu: 1 }, serviceAccountName: 'model-puller' }),
      target('Churn_Model v2'),
      2,
      artifact(2).url,
      { canaryTrafficPercent: 0, previousVersion: 1 },
    );
    expectValid(canary);
    expect(canary.metadata.name).toBe('churn-model-v2');
    expect(canary.metadata.annotations).toMatchObject({ [VERSION_ANNOTATION]: '2', [PREVIOUS_ANNOTATION]: '1' });
    expect(canary.spec.predictor).toMatchObject({
      canaryTrafficPercent: 0,
      serviceAccountName: 'model-puller',
      model: { resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '500m', memory: '1Gi', 'nvidia.com/gpu': 1 } } },
    });

    // The fixture is strict enough to catch a wrong manifest.
    expect(validate({ ...canary, spec: { predictor: { ...canary.spec.predictor, canaryTrafficPercent: '10' } } })).toBe(false);
    expect(validate({ ...first, spec: { predictor: { model: { storageUri: 's3://x' } } } })).toBe(false);
  });

  it('refuses config the cluster could not use, naming the field', () => {
    const bad = kserve.configSchema.safeParse({ namespace: 'Not_A_Namespace', resources: { memory: 'lots' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['namespace', 'resources.memory']);
  });
});

describe('the KServe backend against a fake Kubernetes API', () => {
  it('creates the InferenceService and waits, following a watch, until KServe reports it Ready', async () => {
    const backend = kserve.create(config(), fake.kubeconfig());
    const model = unique('churn');
    fake.controller.mode = 'hold';
    let settled = false;
    const deploying = backend.deploy(target(model), 1, artifact(1)).finally(() => (settled = true));
    const created = await waitFor(() => fake.get(NAMESPACE, model));
    await waitFor(() => fake.requests.some((r) => r.path.includes('watch=true') && r.path.includes(`metadata.name%3D${model}`)));
    expect(settled).toBe(false);
    expectValid(created);
    expect(created.spec.predictor.canaryTrafficPercent).toBeUndefined();

    fake.reconcile(NAMESPACE, model, 'ready');
    await deploying;
    fake.controller.mode = 'ready';
    const status = await backend.status(target(model));
    expect(status.loaded).toEqual([{ version: 1, sha256: null, status: 'ready' }]);
    expect(status.traffic).toEqual({ routes: [{ version: 1, percent: 100 }], shadow: null });
    expect(backend.endpoint(target(model))).toBe(`http://${model}.${NAMESPACE}.svc.cluster.local`);
    expect(kserve.create(config({ ingressBaseUrl: 'https://models.example.com/' }), fake.kubeconfig()).endpoint(target(model))).toBe('https://models.example.com');

    // Idempotent: deploying the same version again changes nothing.
    const generation = fake.get(NAMESPACE, model)?.metadata.generation;
    await backend.deploy(target(model), 1, artifact(1));
    expect(fake.get(NAMESPACE, model)?.metadata.generation).toBe(generation);
  });

  it('maps canary steps 10 → 50 → 100 onto canaryTrafficPercent and reads them back from status', async () => {
    const backend = kserve.create(config(), fake.kubeconfig());
    const model = unique('canary');
    await backend.deploy(target(model), 1, artifact(1));
    await backend.deploy(target(model), 2, artifact(2));

    const loadedWithoutTraffic = fake.get(NAMESPACE, model)!;
    expectValid(loadedWithoutTraffic);
    expect(loadedWithoutTraffic.spec.predictor).toMatchObject({ canaryTrafficPercent: 0, model: { storageUri: artifact(2).url } });
    expect(fake.requests.filter((r) => r.method === 'PATCH').every((r) => r.contentType === 'application/merge-patch+json')).toBe(true);
    expect((await backend.status(target(model))).traffic.routes).toEqual([{ version: 1, percent: 100 }]);

    for (const percent of [10, 50]) {
      await backend.setTraffic(target(model), { routes: [{ version: 2, percent }, { version: 1, percent: 100 - percent }], shadow: null });
      const stored = fake.get(NAMESPACE, model)!;
      expectValid(stored);
      expect(stored.spec.predictor.canaryTrafficPercent).toBe(percent);
      const status = await backend.status(target(model));
      expect(status.traffic.routes).toEqual([{ version: 2, percent }, { version: 1, percent: 100 - percent }]);
      expect(status.loaded.map((l) => l.version)).toEqual([2, 1]);
    }

    await backend.setTraffic(target(model), { routes: [{ version: 2, percent: 100 }], shadow: null });
    const promoted = fake.get(NAMESPACE, model)!;
    expectValid(promoted);
    expect('canaryTrafficPercent' in promoted.spec.predictor).toBe(false);
    expect((await backend.status(target(model))).traffic.routes).toEqual([{ version: 2, percent: 100 }]);

    // The replaced revision is KServe's to retire: undeploying it leaves the InferenceService alone.
    await backend.undeploy(target(model), 1);
    expect(fake.get(NAMESPACE, model)).toBeDefined();

    // A version that is neither the latest nor the previous revision cannot take traffic.
    const error = await rejection(backend.setTraffic(target(model), { routes: [{ version: 7, percent: 100 }], shadow: null }));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/v7 must be deployed first/);
    const shadow = await rejection(backend.setTraffic(target(model), { routes: [{ version: 2, percent: 100 }], shadow: { version: 1, percent: 100 } }));
    expect(shadow.message).toMatch(/does not mirror traffic to a shadow/);
  });

  it('fails a revision KServe cannot start with its message, leaving traffic where it was', async () => {
    const backend = kserve.create(config(), fake.kubeconfig());
    const model = unique('broken');
    await backend.deploy(target(model), 1, artifact(1));
    fake.controller.mode = 'fail';
    fake.controller.failureMessage = 'Failed to load model: protobuf parsing failed';
    const error = await rejection(backend.deploy(target(model), 2, artifact(2)));
    fake.controller.mode = 'ready';
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('KServe: v2 did not become ready: ModelLoadFailed: Failed to load model: protobuf parsing failed');
    const status = await backend.status(target(model));
    expect(status.loaded).toEqual([
      { version: 2, sha256: null, status: 'failed' },
      { version: 1, sha256: null, status: 'ready' },
    ]);
    expect(status.traffic.routes).toEqual([{ version: 1, percent: 100 }]);
  });

  it('gives up waiting with a retryable error when KServe never reports Ready', async () => {
    const backend = kserve.create(config({ timeoutSeconds: 5 }), fake.kubeconfig());
    fake.controller.mode = 'hold';
    const error = await rejection(backend.deploy(target(unique('slow')), 1, artifact(1)));
    fake.controller.mode = 'ready';
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/was not ready with v1 within 5 s/);
  });

  it('turns a rejected apply into a non-retryable error carrying the API server message', async () => {
    const backend = kserve.create(config(), fake.kubeconfig());
    const message = 'admission webhook "inferenceservice.kserve-webhook-server.validator" denied the request: storageUri s3://blocked is not allowed';
    fake.admission = () => message;
    const error = await rejection(backend.deploy(target(unique('denied')), 1, artifact(1)));
    fake.admission = null;
    expect(error.retryable).toBe(false);
    expect(error.status).toBe(422);
    expect(error.message).toContain(message);
  });

  it('refuses an artifact on the dashboard disk, naming the setting to change', async () => {
    const backend = kserve.create(config(), fake.kubeconfig());
    const error = await rejection(backend.deploy(target('local'), 1, { url: 'file:///var/lib/modeldeck/artifacts/x.onnx', sha256: 'a'.repeat(64) }));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/ARTIFACT_STORE=s3/);
  });

  it('retries when the API server is unreachable and refuses bad credentials for good', async () => {
    const down = kserve.create(config(), fake.kubeconfig().replace(fake.url, 'http://127.0.0.1:1'));
    const unreachable = await rejection(down.deploy(target('churn'), 1, artifact(1)));
    expect(unreachable.retryable).toBe(true);
    expect(unreachable.message).toMatch(/^The Kubernetes API server at http:\/\/127\.0\.0\.1:1 is unreachable/);
    expect((await down.health()).ok).toBe(false);

    const wrongToken = kserve.create(config(), fake.kubeconfig().replace(fake.token, 'not-the-token'));
    const refused = await rejection(wrongToken.status(target('churn')));
    expect(refused.retryable).toBe(false);
    expect(refused.status).toBe(401);

    const garbage = await rejection(kserve.create(config(), 'this: [is not a kubeconfig').deploy(target('churn'), 1, artifact(1)));
    expect(garbage.retryable).toBe(false);
    expect(garbage.message).toMatch(/kubeconfig cannot be used/);
  });
});

describe('an environment on KServe', () => {
  it('stores the kubeconfig sealed, never returns it, and uses it for the health check', async () => {
    const kubeconfig = fake.kubeconfig();
    const put = await backendApi.put(admin.token, 'staging', { type: 'kserve', config: { namespace: NAMESPACE }, secret: kubeconfig });
    expect(put.status, put.text).toBe(200);
    expect(put.body).toMatchObject({ type: 'kserve', hasSecret: true, config: { namespace: NAMESPACE, timeoutSeconds: 300 } });
    expect(put.text).not.toContain(fake.token);
    expect((await backendApi.get(admin.token, 'staging')).text).not.toContain(fake.token);
    const stored = await rawQuery(`SELECT "secretSealed" FROM environment_backends WHERE type = 'kserve'`);
    expect(stored.rows[0].secretSealed).toMatch(/^v1\./);
    expect(stored.rows[0].secretSealed).not.toContain(fake.token);
    const audit = await rawQuery(`SELECT after::text FROM audit_entries WHERE action = 'environment.backend.configure'`);
    expect(JSON.stringify(audit.rows)).not.toContain(fake.token);

    const check = await backendApi.check(admin.token, 'staging');
    expect(check.status, check.text).toBe(200);
    expect(check.body).toMatchObject({ ok: true });

    const missing = await backendApi.put(admin.token, 'development', { type: 'kserve', config: { namespace: NAMESPACE } });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.secret).toEqual(['Required.']);
    const bad = await backendApi.put(admin.token, 'development', { type: 'kserve', config: { namespace: 'UPPER' }, secret: kubeconfig });
    expect(bad.status).toBe(422);
    expect(bad.body.errors['config.namespace'][0]).toMatch(/Kubernetes name/);
  });

  it('runs a replace release through the deploy job: create, then a new revision promoted to 100 %', async () => {
    const put = await backendApi.put(admin.token, 'development', { type: 'kserve', config: { namespace: NAMESPACE, timeoutSeconds: 10 }, secret: fake.kubeconfig() });
    expect(put.status, put.text).toBe(200);
    const name = unique('replace');
    expect((await api.createModel(engineer.token, { name, task: 'classification' })).status).toBe(201);
    for (const version of [1, 2]) {
      const registered = await api.registerVersion(engineer.token, name, { artifactUri: `https://artifacts.example.com/${name}/${version}/model.onnx`, artifactSha256: String(version).repeat(64) });
      expect(registered.status, registered.text).toBe(201);
      const requested = await api.requestPromotion(engineer.token, name, version, { environment: 'development' });
      expect(requested.status, requested.text).toBe(201);
      await deployRelease(requested.body.id as string);
      const release = await db().release.findUniqueOrThrow({ where: { id: requested.body.id as string } });
      expect(release.status, release.statusReason ?? '').toBe('live');
      const isvc = fake.get(NAMESPACE, name)!;
      expectValid(isvc);
      expect(isvc.spec.predictor.model.storageUri).toBe(`https://artifacts.example.com/${name}/${version}/model.onnx`);
      expect('canaryTrafficPercent' in isvc.spec.predictor).toBe(false);
      expect(isvc.metadata.annotations?.[VERSION_ANNOTATION]).toBe(String(version));
    }
    const state = await api.environmentState(engineer.token, name, 'development');
    expect(state.body).toMatchObject({ liveVersion: 2, endpoint: `http://${name}.${NAMESPACE}.svc.cluster.local` });
  });

  it('fails the release with the API server message when KServe rejects the apply', async () => {
    const put = await backendApi.put(admin.token, 'development', { type: 'kserve', config: { namespace: NAMESPACE, timeoutSeconds: 10 }, secret: fake.kubeconfig() });
    expect(put.status, put.text).toBe(200);
    const name = unique('rejected');
    expect((await api.createModel(engineer.token, { name, task: 'classification' })).status).toBe(201);
    const registered = await api.registerVersion(engineer.token, name, { artifactUri: 'https://artifacts.example.com/rejected/model.onnx', artifactSha256: 'b'.repeat(64) });
    expect(registered.status, registered.text).toBe(201);
    const message = 'admission webhook "inferenceservice.kserve-webhook-server.validator" denied the request: exceeded quota: models, requested: limits.cpu=4';
    fake.admission = () => message;
    try {
      const requested = await api.requestPromotion(engineer.token, name, 1, { environment: 'development' });
      expect(requested.status, requested.text).toBe(201);
      const releaseId = requested.body.id as string;
      await deployRelease(releaseId);
      const release = await db().release.findUniqueOrThrow({ where: { id: releaseId } });
      expect(release.status).toBe('failed');
      expect(release.statusReason).toBe(`Refused before any traffic moved: Kubernetes refused to create InferenceService ${NAMESPACE}/${name}: ${message}`);
    } finally {
      fake.admission = null;
    }
    expect(fake.get(NAMESPACE, name)).toBeUndefined();
  });
});
