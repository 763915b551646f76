import { z } from 'zod';
import { defineEndpoint } from '../contract';
import { ZBackendHealth, ZEnvironmentBackend, ZEnvironmentBackendInput, ZReleaseCallbackAnswer } from '@/lib/validation/deployments';
import { ZTryInferenceBody, ZTryInferenceResult } from '@/lib/validation/inference';
import { ZEnvironmentName, ZEnvironmentParams, ZModelName, ZReleaseParams } from '@/lib/validation/registry';
import { ZStreamingLag } from '@/lib/validation/streaming';

const params = z.object({ environment: ZEnvironmentName });

export const getEnvironmentBackend = defineEndpoint({
  method: 'GET',
  path: '/api/v1/environments/{environment}/backend',
  tag: 'Deployments',
  summary: "An environment's deployment backend",
  description: 'The backend type, its settings and canary thresholds. The secret is never returned: `hasSecret` says whether one is stored. 404 when the environment has no backend (going live moves the registry alias only).',
  auth: 'user',
  permission: 'backends:manage',
  params,
  response: ZEnvironmentBackend,
  errors: [404],
});

export const putEnvironmentBackend = defineEndpoint({
  method: 'PUT',
  path: '/api/v1/environments/{environment}/backend',
  tag: 'Deployments',
  summary: 'Choose where an environment runs its releases',
  description:
    '`type` is a deployment backend (`local`: the reference model server, config `{ url, publicUrl?, timeoutSeconds? }`, secret: its MODEL_SERVER_TOKEN). ' +
    '`secret` is stored encrypted (AES-256-GCM, MODELDECK_ENCRYPTION_KEY); leave it out to keep the stored one, `null` removes it. ' +
    '`canary` sets the default step interval and the analysis thresholds. 422 names invalid settings; 409 `rollout_in_progress` while a release is deploying there.',
  auth: 'user',
  permission: 'backends:manage',
  params,
  body: ZEnvironmentBackendInput,
  response: ZEnvironmentBackend,
  errors: [404, 409, 422],
});

export const deleteEnvironmentBackend = defineEndpoint({
  method: 'DELETE',
  path: '/api/v1/environments/{environment}/backend',
  tag: 'Deployments',
  summary: "Remove an environment's deployment backend",
  description: 'Going live becomes a registry alias again; nothing is unloaded from the backend. 409 `rollout_in_progress` while a release is deploying there.',
  auth: 'user',
  permission: 'backends:manage',
  params,
  response: z.object({ removed: z.boolean() }),
  errors: [404, 409],
});

export const checkEnvironmentBackend = defineEndpoint({
  method: 'POST',
  path: '/api/v1/environments/{environment}/backend/check',
  tag: 'Deployments',
  summary: "Check that an environment's backend is up and accepts its credentials",
  auth: 'user',
  permission: 'backends:manage',
  params,
  response: ZBackendHealth,
  errors: [404],
});

export const tryInference = defineEndpoint({
  method: 'POST',
  path: '/api/v1/models/{name}/environments/{environment}/infer',
  tag: 'Deployments',
  summary: "Send one Open Inference Protocol v2 request to a model's live endpoint in an environment",
  description:
    'The dashboard forwards the request to the endpoint the environment\'s backend serves the model at (`…/v2/models/{name}[/versions/{version}]/infer`), so a browser needs neither the model server\'s address nor CORS, and answers with the endpoint\'s response and the round-trip latency. The prediction is real traffic: the model server reports it to monitoring like any other. ' +
    '409 `no_backend` when the environment has no backend; 422 `inference_rejected` with the endpoint\'s message when it refuses the input or the version is not loaded; 502 `endpoint_unreachable` when it does not answer within 10 s.',
  auth: 'user',
  permission: 'deployments:operate',
  params: z.object({ name: ZModelName, environment: ZEnvironmentName }),
  body: ZTryInferenceBody,
  response: ZTryInferenceResult,
  errors: [404, 409, 422, 502],
});

export const releaseCallback = defineEndpoint({
  method: 'POST',
  path: '/api/v1/releases/{id}/callback',
  tag: 'Deployments',
  summary: 'Status callback from a webhook deployment backend',
  description:
    'Called by the receiver of a webhook backend\'s deployment request, not by users: authenticated by `X-ModelDeck-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with the backend\'s signing secret (at most 5 minutes old). ' +
    'Body `{ status: "progressing" | "succeeded" | "failed", reason?, traffic?: [{ version, percent }] }`: `succeeded` makes the release live (the release it replaces is superseded), `failed` fails it with `reason`, `progressing` adds to its timeline. ' +
    '401 for a missing or wrong signature (also for an unknown release, so ids cannot be probed) and 409 `release_finished` once the release is no longer deploying; both are audited (`release.callback_refused`).',
  auth: 'signature',
  params: ZReleaseParams,
  response: ZReleaseCallbackAnswer,
  errors: [400, 401, 409, 413, 422],
});

export const getStreamingStatus = defineEndpoint({
  method: 'GET',
  path: '/api/v1/models/{name}/environments/{environment}/streaming',
  tag: 'Deployments',
  summary: "Consumer lag of a model's NATS JetStream binding in an environment",
  description:
    '`pending`: requests in the stream not yet delivered to the model server; `ackPending`: delivered, not yet answered; `connection`: the model server\'s link to the broker (`connecting`, `connected`, `reconnecting`). ' +
    '`configured: false` when the environment\'s backend has no streaming binding; `reachable: false` with `lastError` when the backend could not be asked.',
  auth: 'user',
  permission: 'models:read',
  params: ZEnvironmentParams,
  response: ZStreamingLag,
  errors: [404],
});
