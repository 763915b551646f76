import 'server-only';
import { z } from 'zod';
import { DEFAULT_NATS_URL, NOT_STREAMING, ZStreamingBinding, ZStreamingLag, type StreamingLag } from '@/lib/validation/streaming';
import { BackendError, type BackendDefinition, type DeploymentBackend, type DeploymentStatus, type DeploymentTarget } from './types';

const ZLocalConfig = z.object({
  url: z
    .url({ protocol: /^https?$/, error: 'The model server URL must be an http(s):// URL, e.g. http://127.0.0.1:8090.' })
    .transform((value) => value.replace(/\/+$/, '')),
  publicUrl: z
    .url({ protocol: /^https?$/, error: 'The public URL must be an http(s):// URL.' })
    .transform((value) => value.replace(/\/+$/, ''))
    .optional(),
  timeoutSeconds: z.number().int().min(1).max(600).default(60),
  /**
   * Streaming through NATS JetStream for every model of the environment: the binding is sent
   * to the model server with each traffic switch (part of its desired state); null or absent: REST only.
   */
  streaming: ZStreamingBinding.partial({ natsUrl: true })
    .transform((binding) => ({ ...binding, natsUrl: binding.natsUrl ?? process.env.NATS_URL ?? DEFAULT_NATS_URL }))
    .nullable()
    .optional(),
});
export type LocalBackendConfig = z.output<typeof ZLocalConfig>;

const ZStats = z.object({
  windowSeconds: z.number(),
  versions: z.array(
    z.object({
      version: z.coerce.number(),
      role: z.enum(['primary', 'canary', 'shadow']),
      requests: z.number(),
      errors: z.number(),
      errorRate: z.number(),
      latencyMs: z.object({ p50: z.number(), p95: z.number(), p99: z.number() }).nullable(),
    }),
  ),
  shadow: z
    .object({
      version: z.coerce.number(),
      compared: z.number(),
      agreement: z.number().nullable(),
      meanAbsoluteDifference: z.number().nullable(),
      latencyMs: z.object({ p50: z.number(), p95: z.number(), p99: z.number() }).nullable(),
    })
    .nullable(),
});

const ZReporting = z.object({
  enabled: z.boolean(),
  dropped: z.number().optional(),
  since: z.string().optional(),
});

const ZRoute = z.object({ version: z.coerce.number(), percent: z.number() });

const ZServerStreaming = ZStreamingLag.pick({ connection: true, pending: true, ackPending: true, lastError: true, subjects: true }).extend({
  connection: z.enum(['connecting', 'connected', 'reconnecting', 'stopped']),
  processed: z.number().int(),
  deadLettered: z.number().int(),
  attempts: z.number().int(),
});
const ZState = z.object({
  environments: z.array(
    z.object({
      environment: z.string(),
      models: z.array(
        z.object({
          model: z.string(),
          versions: z.array(z.object({ version: z.coerce.number(), sha256: z.string().nullable().optional(), status: z.string() })),
          routes: z.array(ZRoute),
          shadow: ZRoute.nullable().optional(),
        }),
      ),
    }),
  ),
});

/**
 * The reference model server (serving/, docs/model-server.md), driven over its management
 * API with a bearer token. Its 422 (sha256 mismatch, unloadable file), 400 and 401 are final;
 * network errors, timeouts, 409 (not loaded), 502 (artifact unreachable) and other 5xx are
 * worth retrying.
 */
function localBackend(config: LocalBackendConfig, token: string | null): DeploymentBackend {
  const path = (target: DeploymentTarget) =>
    `/manage/environments/${encodeURIComponent(target.environment)}/models/${encodeURIComponent(target.model)}`;

  function unreachable(error: unknown, timeoutSeconds: number): BackendError {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutSeconds} s` : cause;
    return new BackendError(`The model server at ${config.url} is unreachable (${reason}).`, true);
  }

  async function call(method: string, url: string, body?: unknown, allow404 = false, timeoutSeconds = config.timeoutSeconds): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${config.url}${url}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutSeconds * 1000),
      });
    } catch (error) {
      throw unreachable(error, timeoutSeconds);
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (allow404 && response.status === 404) return undefined;
    if (response.ok) return parsed;
    const detail =
      parsed && typeof parsed === 'object' && 'error' in parsed && typeof parsed.error === 'string' ? parsed.error : text.slice(0, 300) || response.statusText;
    if (response.status === 401 || response.status === 403) {
      throw new BackendError(`The model server refused the management token (${response.status}): check the environment's backend settings.`, false, response.status);
    }
    // 409 on a traffic switch means a version is not loaded (yet, or again after the model
    // server restarted): a retry loads it first. 400 and 422 cannot get better by waiting.
    const retryable = response.status >= 500 || response.status === 429 || response.status === 408 || response.status === 409;
    throw new BackendError(`Model server: ${detail}`, retryable, response.status);
  }

  return {
    endpoint: (target) => `${config.publicUrl ?? config.url}/environments/${encodeURIComponent(target.environment)}`,

    async deploy(target, version, artifact) {
      await call('PUT', `${path(target)}/versions/${version}`, {
        artifactUrl: artifact.url,
        sha256: artifact.sha256,
        ...(artifact.task ? { task: artifact.task } : {}),
        ...(artifact.headers ? { headers: artifact.headers } : {}),
      });
    },

    async setTraffic(target, split) {
      await call('PUT', `${path(target)}/traffic`, {
        routes: split.routes.map((r) => ({ version: String(r.version), percent: r.percent })),
        shadow: split.shadow ? { version: String(split.shadow.version), percent: split.shadow.percent } : null,
      });
      // After the split, so streamed requests are routed by it from their first message.
      if (config.streaming) await call('PUT', `${path(target)}/streaming`, config.streaming);
      else await call('DELETE', `${path(target)}/streaming`, undefined, true);
    },

    async streamingStatus(target): Promise<StreamingLag> {
      if (!config.streaming) return { ...NOT_STREAMING };
      const raw = await call('GET', `${path(target)}/streaming`, undefined, true);
      if (raw === undefined) return { ...NOT_STREAMING, configured: true, lastError: 'The model server has no binding for this model yet: it is sent with the next rollout.' };
      const parsed = ZServerStreaming.safeParse(raw);
      if (!parsed.success) throw new BackendError('The model server answered …/streaming with an unexpected document.', true);
      const s = parsed.data;
      return { configured: true, reachable: true, connection: s.connection, pending: s.pending, ackPending: s.ackPending, processed: s.processed, deadLettered: s.deadLettered, attempts: s.attempts, lastError: s.lastError, subjects: s.subjects };
    },

    async status(target, options = {}): Promise<DeploymentStatus> {
      const windowSeconds = options.windowSeconds ?? 60;
      const [stateRaw, statsRaw] = await Promise.all([
        call('GET', '/manage/state'),
        call('GET', `${path(target)}/stats?windowSeconds=${windowSeconds}`, undefined, true),
      ]);
      const state = ZState.safeParse(stateRaw);
      if (!state.success) throw new BackendError('The model server answered /manage/state with an unexpected document.', true);
      const model = state.data.environments
        .find((e) => e.environment === target.environment)
        ?.models.find((m) => m.model === target.model);
      const stats = statsRaw === undefined ? null : ZStats.safeParse(statsRaw);
      if (stats && !stats.success) throw new BackendError('The model server answered …/stats with an unexpected document.', true);
      return {
        loaded: (model?.versions ?? []).map((v) => ({ version: v.version, sha256: v.sha256 ?? null, status: v.status })),
        traffic: { routes: model?.routes ?? [], shadow: model?.shadow ?? null },
        windowSeconds,
        versions: stats?.data.versions ?? [],
        shadow: stats?.data.shadow ?? null,
      };
    },

    async health() {
      try {
        const response = await fetch(`${config.url}/v2/health/ready`, { signal: AbortSignal.timeout(5000) }).catch((error: unknown) => {
          throw unreachable(error, 5);
        });
        if (!response.ok) return { ok: false, detail: `The model server at ${config.url} is not ready (${response.status}).` };
        await call('GET', '/manage/state');
        return { ok: true, detail: `The model server at ${config.url} is ready and accepts the token.` };
      } catch (error) {
        return { ok: false, detail: error instanceof Error ? error.message : String(error) };
      }
    },

    async undeploy(target, version) {
      await call('DELETE', `${path(target)}/versions/${version}`, undefined, true);
    },

    async reportingLoss(options = {}) {
      const answer = ZReporting.safeParse(await call('GET', '/manage/reporting', undefined, false, options.timeoutSeconds));
      if (!answer.success) throw new BackendError('The model server answered /manage/reporting with an unexpected document.', true);
      if (!answer.data.enabled) return null;
      return { dropped: answer.data.dropped ?? 0, since: answer.data.since ?? null };
    },
  };
}

export const local: BackendDefinition<LocalBackendConfig> = {
  type: 'local',
  label: 'Reference model server',
  description: "ModelDeck's own model server (npm run serve; started beside the dashboard by npm start in embedded mode).",
  configSchema: ZLocalConfig as unknown as z.ZodType<LocalBackendConfig>,
  secretLabel: 'Management token (MODEL_SERVER_TOKEN)',
  secretRequired: false,
  create: (config, secret) => localBackend(config, secret),
};
