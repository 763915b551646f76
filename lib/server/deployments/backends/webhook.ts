import 'server-only';
import { z } from 'zod';
import { OutboundRefusedError, postOutbound } from '@/lib/server/net/outbound-request';
import { outboundPolicy, outboundUrlProblem } from '@/lib/server/net/outbound-url';
import { signPayload } from '@/lib/server/webhooks/sign-payload';
import { BackendError, type BackendDefinition, type DeploymentBackend, type DeploymentStatus, type DeploymentTarget } from './types';

const httpUrl = (what: string) =>
  z
    .string()
    .trim()
    .refine((value) => outboundUrlProblem(value, { allowPrivateNetworks: true }) === null, `${what} must be an http(s):// URL without a user name or password.`)
    .transform((value) => value.replace(/\/+$/, ''));

const ZWebhookConfig = z.object({
  /** Where deployment requests are POSTed (a CI/CD trigger, an Argo CD hook, an internal deployer). */
  url: httpUrl('The deployment URL'),
  /** The dashboard's public base URL the receiver calls back; NEXTAUTH_URL when left out. */
  callbackBaseUrl: httpUrl('The callback base URL').optional(),
  /** Where clients reach the deployed model (/v2/models/{model}/…), when the platform says so; `{environment}` and `{model}` are replaced. */
  endpointUrl: httpUrl('The endpoint URL').optional(),
  /** No `succeeded`/`failed` callback within this → the release fails with that reason. */
  callbackTimeoutSeconds: z.number().int().min(5).max(7 * 86_400).default(1800),
  /** How long one POST to the receiver may take. */
  requestTimeoutSeconds: z.number().int().min(1).max(120).default(10),
});
export type WebhookBackendConfig = z.output<typeof ZWebhookConfig>;

/**
 * Any other platform, driven by signed HTTP requests: each call POSTs a JSON document
 * (`type`: deploy, traffic, undeploy, ping) signed like outgoing webhooks
 * (`x-modeldeck-signature: t=…,v1=HMAC-SHA256(secret, "t.body")`). A 2xx means accepted, not
 * done: the receiver reports the outcome to POST /api/v1/releases/{id}/callback, signed with
 * the same secret. 4xx (except 408/429) and refused addresses are final; 5xx, timeouts and
 * network errors are retried by the deploy job.
 */
function webhookBackend(config: WebhookBackendConfig, secret: string | null): DeploymentBackend {
  const callbackBase = config.callbackBaseUrl ?? process.env.NEXTAUTH_URL?.replace(/\/+$/, '') ?? null;

  async function post(type: string, payload: Record<string, unknown>, idempotencyKey: string) {
    // Pages build a client without the secret just to show the endpoint; only calls need it.
    if (!secret) throw new BackendError("The webhook backend has no signing secret: set one in the environment's backend settings.", false);
    const body = JSON.stringify({ type, ...payload, sentAt: new Date().toISOString() });
    let status: number;
    try {
      ({ status } = await postOutbound(config.url, {
        body,
        timeoutMs: config.requestTimeoutSeconds * 1000,
        policy: outboundPolicy(),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'ModelDeck-Deployments/1',
          'x-modeldeck-event': `deployment.${type}`,
          'x-modeldeck-delivery': idempotencyKey,
          'x-modeldeck-signature': signPayload(secret, body, Math.floor(Date.now() / 1000)),
        },
      }));
    } catch (error) {
      if (error instanceof OutboundRefusedError) throw new BackendError(`The deployment URL is not allowed: ${error.message}`, false);
      const reason = error instanceof Error ? error.message : String(error);
      throw new BackendError(`The deployment webhook at ${config.url} is unreachable (${reason}).`, true);
    }
    if (status >= 200 && status < 300) return;
    const retryable = status >= 500 || status === 408 || status === 429;
    throw new BackendError(`The deployment webhook at ${config.url} answered ${status}${retryable ? '' : ' (refused)'}.`, retryable, status);
  }

  const describe = (target: DeploymentTarget) => ({ environment: target.environment, model: target.model });

  return {
    asynchronous: { callbackTimeoutSeconds: config.callbackTimeoutSeconds },

    endpoint: (target) =>
      (config.endpointUrl ?? '').replaceAll('{environment}', encodeURIComponent(target.environment)).replaceAll('{model}', encodeURIComponent(target.model)),

    async deploy(target, version, artifact, context) {
      const releaseId = context?.releaseId ?? null;
      const callbackPath = releaseId ? `/api/v1/releases/${releaseId}/callback` : null;
      await post(
        'deploy',
        {
          releaseId,
          ...describe(target),
          version,
          artifact: { url: artifact.url, sha256: artifact.sha256, ...(artifact.task ? { task: artifact.task } : {}), ...(artifact.headers ? { headers: artifact.headers } : {}) },
          strategy: context?.strategy ?? { type: 'replace', steps: [] },
          traffic: context?.traffic ?? [{ version, percent: 100 }],
          callbackUrl: callbackBase && callbackPath ? `${callbackBase}${callbackPath}` : null,
          callbackPath,
        },
        releaseId ? `deploy:${releaseId}` : `deploy:${target.environment}:${target.model}:${version}`,
      );
    },

    async setTraffic(target, split) {
      const key = `traffic:${target.environment}:${target.model}:${split.routes.map((r) => `${r.version}=${r.percent}`).join(',')}`;
      await post('traffic', { ...describe(target), traffic: split.routes, shadow: split.shadow }, key);
    },

    // The receiver owns the platform: ModelDeck knows a webhook deployment from its callbacks
    // (on the release), not by asking, so the live view holds no versions or counts.
    async status(_target, options = {}): Promise<DeploymentStatus> {
      return { loaded: [], traffic: { routes: [], shadow: null }, windowSeconds: options.windowSeconds ?? 60, versions: [], shadow: null };
    },

    async health() {
      try {
        await post('ping', {}, `ping:${Date.now()}`);
        return { ok: true, detail: `The deployment webhook at ${config.url} accepted a signed ping.` };
      } catch (error) {
        return { ok: false, detail: error instanceof Error ? error.message : String(error) };
      }
    },

    async undeploy(target, version) {
      await post('undeploy', { ...describe(target), version }, `undeploy:${target.environment}:${target.model}:${version}`);
    },
  };
}

export const webhook: BackendDefinition<WebhookBackendConfig> = {
  type: 'webhook',
  label: 'Webhook (any platform)',
  description: 'POSTs signed deployment requests to your CI/CD or deployer, which reports back through signed callbacks.',
  configSchema: ZWebhookConfig as unknown as z.ZodType<WebhookBackendConfig>,
  secretLabel: 'Signing secret (shared with the receiver)',
  secretRequired: true,
  create: (config, secret) => webhookBackend(config, secret),
};
