import 'server-only';
import { ApiException, CustomObjectsApi, KubeConfig, PatchStrategy, Watch, setHeaderOptions } from '@kubernetes/client-node';
import { z } from 'zod';
import { BackendError, type ArtifactSource, type BackendDefinition, type DeploymentBackend, type DeploymentStatus, type DeploymentTarget, type TrafficSplit } from './types';

const GROUP = 'serving.kserve.io';
const API_VERSION = 'v1beta1';
const PLURAL = 'inferenceservices';
/** The registry version served by the InferenceService's latest revision. */
export const VERSION_ANNOTATION = 'serving.modeldeck.io/version';
/** The version of the revision KServe keeps as `prev` (the last one rolled out to 100 %). */
export const PREVIOUS_ANNOTATION = 'serving.modeldeck.io/previous-version';

const quantity = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE])?$/, `${what} must be a Kubernetes quantity such as 500m, 2 or 1Gi.`);

const ZKServeConfig = z.object({
  namespace: z
    .string()
    .trim()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'The namespace must be a Kubernetes name: lowercase letters, digits and dashes, at most 63 characters.'),
  ingressBaseUrl: z
    .url({ protocol: /^https?$/, error: 'The ingress base URL must be an http(s):// URL.' })
    .transform((value) => value.replace(/\/+$/, ''))
    .optional(),
  resources: z
    .object({
      cpu: quantity('CPU').optional(),
      memory: quantity('Memory').optional(),
      gpu: z.number().int().min(0).max(16).optional(),
    })
    .optional(),
  serviceAccountName: z
    .string()
    .trim()
    .regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'The service account must be a Kubernetes name.')
    .optional(),
  timeoutSeconds: z.number().int().min(5).max(3600).default(300),
});
export type KServeBackendConfig = z.output<typeof ZKServeConfig>;

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface TrafficTarget {
  revisionName?: string;
  latestRevision?: boolean;
  percent?: number;
  tag?: string;
}

export interface InferenceService {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; generation?: number; resourceVersion?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    predictor: {
      canaryTrafficPercent?: number;
      serviceAccountName?: string;
      model: {
        modelFormat: { name: string };
        protocolVersion?: string;
        storageUri: string;
        resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
      };
    };
  };
  status?: {
    url?: string;
    address?: { url?: string };
    observedGeneration?: number;
    conditions?: Condition[];
    components?: Record<string, { latestCreatedRevision?: string; latestReadyRevision?: string; url?: string; traffic?: TrafficTarget[] }>;
    modelStatus?: { lastFailureInfo?: { reason?: string; message?: string } };
  };
}

/**
 * InferenceService names are DNS-1035 labels, and KServe serves the model under the same name
 * on /v2/models/{name}: a model name that is not one already is lowercased and dashed.
 */
export function inferenceServiceName(model: string): string {
  const name = model
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name || 'model';
}

/**
 * The storage URI KServe's storage initializer downloads the artifact from. It runs inside the
 * cluster, so a file:// path on the dashboard's machine cannot work.
 */
export function storageUriFor(artifact: ArtifactSource): string {
  // The S3 artifact store: the service account's credentials fetch it, so no presigned URL
  // (which would expire before a pod restarts) ends up in the manifest.
  if (artifact.storageUri) return artifact.storageUri;
  if (/^(s3|gs|https?|pvc|hdfs|webhdfs|oci):\/\//i.test(artifact.url)) return artifact.url;
  throw new BackendError(
    `KServe cannot reach ${artifact.url}: the cluster downloads artifacts itself, so a file on the dashboard's disk is out of its reach. Set ARTIFACT_STORE=s3 (with the S3_* settings) or register the version by an s3:// or https:// URI.`,
    false,
  );
}

/** The InferenceService for `version`; `canaryTrafficPercent` undefined means "all traffic to the latest revision". */
export function buildInferenceService(
  config: KServeBackendConfig,
  target: DeploymentTarget,
  version: number,
  storageUri: string,
  options: { canaryTrafficPercent?: number; previousVersion?: number } = {},
): InferenceService {
  const { resources } = config;
  const quantities: Record<string, string | number> = {
    ...(resources?.cpu ? { cpu: resources.cpu } : {}),
    ...(resources?.memory ? { memory: resources.memory } : {}),
  };
  const limits = { ...quantities, ...(resources?.gpu ? { 'nvidia.com/gpu': resources.gpu } : {}) };
  return {
    apiVersion: `${GROUP}/${API_VERSION}`,
    kind: 'InferenceService',
    metadata: {
      name: inferenceServiceName(target.model),
      namespace: config.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'modeldeck' },
      annotations: {
        [VERSION_ANNOTATION]: String(version),
        ...(options.previousVersion !== undefined ? { [PREVIOUS_ANNOTATION]: String(options.previousVersion) } : {}),
        'serving.modeldeck.io/model': target.model,
        'serving.modeldeck.io/environment': target.environment,
      },
    },
    spec: {
      predictor: {
        ...(options.canaryTrafficPercent !== undefined ? { canaryTrafficPercent: options.canaryTrafficPercent } : {}),
        ...(config.serviceAccountName ? { serviceAccountName: config.serviceAccountName } : {}),
        model: {
          modelFormat: { name: 'onnx' },
          // ModelDeck speaks the Open Inference Protocol (v2) to every backend.
          protocolVersion: 'v2',
          storageUri,
          ...(Object.keys(limits).length ? { resources: { ...(Object.keys(quantities).length ? { requests: quantities } : {}), limits } } : {}),
        },
      },
    },
  };
}

const versionOf = (value: string | undefined) => (value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined);
const condition = (isvc: InferenceService, type: string) => isvc.status?.conditions?.find((c) => c.type === type);

/** The failure KServe reports for the current generation, if any (a revision that cannot start, a model that does not load). */
export function failureOf(isvc: InferenceService): string | null {
  if ((isvc.status?.observedGeneration ?? 0) < (isvc.metadata.generation ?? 0)) return null;
  const failed = ['LatestDeploymentReady', 'PredictorReady', 'Ready']
    .map((type) => condition(isvc, type))
    .find((c) => c?.status === 'False' && c.reason !== undefined && !/^(Unknown|Deploying|RevisionMissing)$/.test(c.reason));
  const load = isvc.status?.modelStatus?.lastFailureInfo;
  if (load?.message) return `${load.reason ?? 'Failed'}: ${load.message}`;
  if (failed) return `${failed.type} is False (${failed.reason})${failed.message ? `: ${failed.message}` : ''}`;
  return null;
}

/** Ready for the current generation, with the latest created revision the one that is ready. */
export function isLatestReady(isvc: InferenceService): boolean {
  const predictor = isvc.status?.components?.predictor;
  return (
    (isvc.status?.observedGeneration ?? 0) >= (isvc.metadata.generation ?? 0) &&
    condition(isvc, 'Ready')?.status === 'True' &&
    predictor?.latestCreatedRevision !== undefined &&
    predictor.latestCreatedRevision === predictor.latestReadyRevision
  );
}

/** The split KServe reports, in registry versions (the latest revision carries VERSION_ANNOTATION, `prev` carries PREVIOUS_ANNOTATION). */
export function trafficOf(isvc: InferenceService): TrafficSplit {
  const latest = versionOf(isvc.metadata.annotations?.[VERSION_ANNOTATION]);
  const previous = versionOf(isvc.metadata.annotations?.[PREVIOUS_ANNOTATION]);
  const percents = new Map<number, number>();
  for (const entry of isvc.status?.components?.predictor?.traffic ?? []) {
    const version = entry.latestRevision ? latest : entry.tag === 'prev' ? previous : undefined;
    if (version === undefined || !entry.percent) continue;
    percents.set(version, (percents.get(version) ?? 0) + entry.percent);
  }
  return { routes: [...percents].map(([version, percent]) => ({ version, percent })), shadow: null };
}

function statusMessage(body: unknown): string | null {
  const parsed = typeof body === 'string' ? safeJson(body) : body;
  if (parsed && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string') return parsed.message;
  return typeof body === 'string' && body ? body.slice(0, 500) : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * KServe InferenceServices (serving.kserve.io/v1beta1) through the Kubernetes API, one per
 * model in the configured namespace. A release is a new predictor revision: KServe keeps the
 * last rolled-out revision (`prev`) beside the latest and splits traffic between the two with
 * `canaryTrafficPercent`, which is exactly the two-version split a rollout needs.
 */
function kserveBackend(config: KServeBackendConfig, kubeconfig: string | null): DeploymentBackend {
  const kc = new KubeConfig();
  try {
    if (!kubeconfig) throw new Error('no kubeconfig is stored');
    kc.loadFromString(kubeconfig);
    if (!kc.getCurrentCluster()) throw new Error('it names no current cluster');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const refuse = async (): Promise<never> => {
      throw new BackendError(`The environment's kubeconfig cannot be used (${reason}): paste a valid one in the backend settings.`, false);
    };
    return {
      endpoint: (target) => endpointFor(config, target),
      deploy: refuse,
      setTraffic: refuse,
      status: refuse,
      undeploy: refuse,
      health: async () => ({ ok: false, detail: `The environment's kubeconfig cannot be used (${reason}).` }),
    };
  }
  const server = kc.getCurrentCluster()?.server ?? 'the Kubernetes API server';
  const api = kc.makeApiClient(CustomObjectsApi);
  const base = { group: GROUP, version: API_VERSION, namespace: config.namespace, plural: PLURAL };

  function translate(error: unknown, action: string): BackendError {
    if (error instanceof BackendError) return error;
    if (error instanceof ApiException) {
      const code = error.code;
      const message = statusMessage(error.body) ?? `HTTP ${code}`;
      if (code === 401 || code === 403) {
        return new BackendError(`The Kubernetes API server refused the kubeconfig's credentials to ${action} (${code}): ${message}`, false, code);
      }
      const retryable = code >= 500 || code === 429 || code === 408 || code === 409;
      return new BackendError(`Kubernetes refused to ${action}: ${message}`, retryable, code);
    }
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    return new BackendError(`The Kubernetes API server at ${server} is unreachable (${cause}).`, true);
  }

  async function read(name: string): Promise<InferenceService | null> {
    try {
      return (await api.getNamespacedCustomObject({ ...base, name })) as InferenceService;
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return null;
      throw translate(error, `read InferenceService ${config.namespace}/${name}`);
    }
  }

  async function mergePatch(name: string, body: unknown): Promise<InferenceService> {
    try {
      return (await api.patchNamespacedCustomObject({ ...base, name, body }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch))) as InferenceService;
    } catch (error) {
      throw translate(error, `update InferenceService ${config.namespace}/${name}`);
    }
  }

  /**
   * Resolves once `check` says the InferenceService is done (or failed), following a watch on
   * it; gives up after timeoutSeconds with a retryable error (the next attempt waits again).
   */
  async function waitUntil(name: string, what: string, check: (isvc: InferenceService) => 'done' | string | null): Promise<void> {
    const current = await read(name);
    if (!current) throw new BackendError(`InferenceService ${config.namespace}/${name} disappeared while waiting until ${what}.`, true);
    const first = check(current);
    if (first === 'done') return;
    if (first !== null) throw new BackendError(`KServe: ${first}`, false);

    let last = current;
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      let controller: AbortController | null = null;
      const finish = (error?: BackendError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        controller?.abort();
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => {
        const failure = failureOf(last);
        finish(new BackendError(`InferenceService ${config.namespace}/${name} was not ${what} within ${config.timeoutSeconds} s${failure ? ` (${failure})` : ''}.`, true));
      }, config.timeoutSeconds * 1000);
      const watch = () => {
        if (settled) return;
        new Watch(kc)
          .watch(
            `/apis/${GROUP}/${API_VERSION}/namespaces/${config.namespace}/${PLURAL}`,
            { fieldSelector: `metadata.name=${name}`, resourceVersion: last.metadata.resourceVersion, allowWatchBookmarks: false },
            (phase, object: InferenceService) => {
              if (phase === 'DELETED') return finish(new BackendError(`InferenceService ${config.namespace}/${name} was deleted while waiting until ${what}.`, true));
              if (phase !== 'ADDED' && phase !== 'MODIFIED') return;
              last = object;
              const outcome = check(object);
              if (outcome === 'done') finish();
              else if (outcome !== null) finish(new BackendError(`KServe: ${outcome}`, false));
            },
            (error: unknown) => {
              if (settled) return;
              // The API server closes watches after a while; a closed one is reopened, a broken one fails the wait.
              if (error && !(error instanceof Error && error.name === 'AbortError')) return finish(translate(error, `watch InferenceService ${config.namespace}/${name}`));
              watch();
            },
          )
          .then((c) => {
            controller = c;
            if (settled) c.abort();
          })
          .catch((error: unknown) => finish(translate(error, `watch InferenceService ${config.namespace}/${name}`)));
      };
      watch();
    });
  }

  const readyCheck = (version: number) => (isvc: InferenceService) => {
    if (isvc.metadata.annotations?.[VERSION_ANNOTATION] !== String(version)) return `InferenceService ${isvc.metadata.name} was changed to another version while v${version} was loading.`;
    const failure = failureOf(isvc);
    if (failure) return `v${version} did not become ready: ${failure}`;
    return isLatestReady(isvc) ? 'done' : null;
  };

  return {
    endpoint: (target) => endpointFor(config, target),

    async deploy(target, version, artifact) {
      const storageUri = storageUriFor(artifact);
      const name = inferenceServiceName(target.model);
      const existing = await read(name);
      if (!existing) {
        // Nothing serves this model yet: the first revision takes all traffic (KServe has no `prev` to keep it on).
        try {
          await api.createNamespacedCustomObject({ ...base, body: buildInferenceService(config, target, version, storageUri) });
        } catch (error) {
          const translated = translate(error, `create InferenceService ${config.namespace}/${name}`);
          if (translated.status !== 409) throw translated;
        }
      } else if (existing.metadata.annotations?.[VERSION_ANNOTATION] !== String(version) || existing.spec.predictor.model.storageUri !== storageUri) {
        const latest = versionOf(existing.metadata.annotations?.[VERSION_ANNOTATION]);
        const previous = versionOf(existing.metadata.annotations?.[PREVIOUS_ANNOTATION]);
        // KServe keeps the last revision rolled out to 100 % as `prev`: the latest one when it was promoted, else the one before it.
        const rolledOut = existing.spec.predictor.canaryTrafficPercent === undefined ? latest : previous;
        const manifest = buildInferenceService(config, target, version, storageUri, { canaryTrafficPercent: 0, previousVersion: rolledOut });
        await mergePatch(name, {
          metadata: { annotations: { ...manifest.metadata.annotations, [PREVIOUS_ANNOTATION]: rolledOut === undefined ? null : String(rolledOut) } },
          spec: { predictor: { ...manifest.spec.predictor, model: { ...manifest.spec.predictor.model, resources: manifest.spec.predictor.model.resources ?? null } } },
        });
      }
      await waitUntil(name, `ready with v${version}`, readyCheck(version));
    },

    async setTraffic(target, split) {
      if (split.shadow) {
        throw new BackendError('The KServe backend does not mirror traffic to a shadow version yet (docs/backends.md says why); run shadow releases on the reference model server.', false);
      }
      const name = inferenceServiceName(target.model);
      const isvc = await read(name);
      if (!isvc) throw new BackendError(`InferenceService ${config.namespace}/${name} does not exist: deploy a version before routing traffic to it.`, false);
      const latest = versionOf(isvc.metadata.annotations?.[VERSION_ANNOTATION]);
      const previous = versionOf(isvc.metadata.annotations?.[PREVIOUS_ANNOTATION]);
      const routes = split.routes.filter((r) => r.percent > 0);
      const percentOf = (version: number | undefined) => routes.find((r) => r.version === version)?.percent ?? 0;
      const unknown = routes.filter((r) => r.version !== latest && r.version !== previous);
      if (unknown.length || latest === undefined) {
        throw new BackendError(
          `KServe splits traffic between the latest revision (v${latest ?? '?'}) and the last rolled-out one (${previous === undefined ? 'none' : `v${previous}`}) only; v${unknown.map((r) => r.version).join(', v')} must be deployed first.`,
          false,
        );
      }
      const latestPercent = percentOf(latest);
      // 100 % on the latest revision is a promotion: KServe's own way is to drop canaryTrafficPercent.
      const canaryTrafficPercent = latestPercent === 100 ? null : latestPercent;
      if (canaryTrafficPercent !== null && previous === undefined) {
        throw new BackendError(`InferenceService ${config.namespace}/${name} has no previous revision to send ${100 - latestPercent} % to.`, false);
      }
      if ((isvc.spec.predictor.canaryTrafficPercent ?? null) !== canaryTrafficPercent) {
        await mergePatch(name, { spec: { predictor: { canaryTrafficPercent } } });
      }
      await waitUntil(name, `routing ${latestPercent} % to v${latest}`, (current) => {
        const failure = failureOf(current);
        if (failure) return `the traffic change did not take: ${failure}`;
        if ((current.status?.observedGeneration ?? 0) < (current.metadata.generation ?? 0)) return null;
        const reported = trafficOf(current).routes.find((r) => r.version === latest)?.percent ?? 0;
        return reported === latestPercent && condition(current, 'Ready')?.status === 'True' ? 'done' : null;
      });
    },

    async status(target, options = {}): Promise<DeploymentStatus> {
      const windowSeconds = options.windowSeconds ?? 60;
      const isvc = await read(inferenceServiceName(target.model));
      const empty = { loaded: [], traffic: { routes: [], shadow: null }, windowSeconds, versions: [], shadow: null };
      if (!isvc) return empty;
      const latest = versionOf(isvc.metadata.annotations?.[VERSION_ANNOTATION]);
      const previous = versionOf(isvc.metadata.annotations?.[PREVIOUS_ANNOTATION]);
      const traffic = trafficOf(isvc);
      const latestStatus = failureOf(isvc) ? 'failed' : isLatestReady(isvc) ? 'ready' : 'loading';
      const loaded = [
        ...(latest !== undefined ? [{ version: latest, sha256: null, status: latestStatus }] : []),
        ...(previous !== undefined && previous !== latest && traffic.routes.some((r) => r.version === previous) ? [{ version: previous, sha256: null, status: 'ready' }] : []),
      ];
      // Request counts and latencies live in the cluster's Prometheus, not in the InferenceService.
      return { ...empty, loaded, traffic };
    },

    async health() {
      try {
        await api.listNamespacedCustomObject({ ...base, limit: 1 });
        return { ok: true, detail: `The Kubernetes API server at ${server} accepts the kubeconfig and serves InferenceServices in ${config.namespace}.` };
      } catch (error) {
        return { ok: false, detail: translate(error, `list InferenceServices in ${config.namespace}`).message };
      }
    },

    async undeploy(target, version) {
      const name = inferenceServiceName(target.model);
      const isvc = await read(name);
      if (!isvc) return;
      // KServe retires older revisions itself; only an InferenceService that serves nothing at all is removed.
      const serving = trafficOf(isvc).routes.some((r) => r.percent > 0);
      if (isvc.metadata.annotations?.[VERSION_ANNOTATION] !== String(version) || serving) return;
      try {
        await api.deleteNamespacedCustomObject({ ...base, name });
      } catch (error) {
        if (error instanceof ApiException && error.code === 404) return;
        throw translate(error, `delete InferenceService ${config.namespace}/${name}`);
      }
    },
  };
}

function endpointFor(config: KServeBackendConfig, target: DeploymentTarget): string {
  const name = inferenceServiceName(target.model);
  return config.ingressBaseUrl ?? `http://${name}.${config.namespace}.svc.cluster.local`;
}

export const kserve: BackendDefinition<KServeBackendConfig> = {
  type: 'kserve',
  label: 'KServe (Kubernetes)',
  description: 'One InferenceService per model in a Kubernetes namespace; canary steps become canaryTrafficPercent. Artifacts must be in S3 or at an http(s) URI.',
  configSchema: ZKServeConfig as unknown as z.ZodType<KServeBackendConfig>,
  secretLabel: 'Kubeconfig (YAML)',
  secretRequired: true,
  create: (config, secret) => kserveBackend(config, secret),
};
