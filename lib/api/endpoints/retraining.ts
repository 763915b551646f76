import { z } from 'zod';
import { defineEndpoint } from '../contract';
import { ZAlertIdParams } from '@/lib/validation/alerts';
import { ZEnvironmentName } from '@/lib/validation/registry';
import {
  ZListRetrainingQuery,
  ZRequestRetraining,
  ZRetrainingIdParams,
  ZRetrainingRequest,
  ZRetrainingWebhook,
  ZRetrainingWebhookState,
} from '@/lib/validation/retraining';

const environmentParams = z.object({ environment: ZEnvironmentName });

export const getRetrainingWebhook = defineEndpoint({
  method: 'GET',
  path: '/api/v1/environments/{environment}/retraining-webhook',
  tag: 'Retraining',
  summary: "The environment's training-pipeline webhook (never its secret)",
  auth: 'user',
  permission: 'environments:manage',
  params: environmentParams,
  response: ZRetrainingWebhookState,
  errors: [404],
});

export const putRetrainingWebhook = defineEndpoint({
  method: 'PUT',
  path: '/api/v1/environments/{environment}/retraining-webhook',
  tag: 'Retraining',
  summary: 'Set where retraining requests for models in this environment go',
  description:
    'Requests are POSTed as a signed `retraining.requested` event (`x-modeldeck-signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with `secret`). The secret is stored encrypted and never returned; the pipeline signs its callbacks with it.',
  auth: 'user',
  permission: 'environments:manage',
  params: environmentParams,
  body: ZRetrainingWebhook,
  response: ZRetrainingWebhookState,
  errors: [404, 422],
});

export const deleteRetrainingWebhook = defineEndpoint({
  method: 'DELETE',
  path: '/api/v1/environments/{environment}/retraining-webhook',
  tag: 'Retraining',
  summary: 'Stop sending retraining requests from this environment',
  auth: 'user',
  permission: 'environments:manage',
  params: environmentParams,
  response: ZRetrainingWebhookState,
  errors: [404],
});

export const requestAlertRetraining = defineEndpoint({
  method: 'POST',
  path: '/api/v1/alerts/{id}/retraining',
  tag: 'Retraining',
  summary: "Ask the environment's training pipeline for a new version because of this alert",
  description:
    'Sends (through the job queue, retried with backoff) a signed `retraining.requested` event with the model, the live version, the alert, the drift evidence and the reference/current windows. 422 when the environment has no retraining webhook; 409 `retraining_exists` when this alert already has a request. A rule with `actions: ["request_retraining"]` does the same when it fires.',
  auth: 'user',
  permission: 'alerts:manage',
  params: ZAlertIdParams,
  body: ZRequestRetraining,
  response: ZRetrainingRequest,
  successStatus: 202,
  errors: [404, 409, 422],
});

export const listRetrainingRequests = defineEndpoint({
  method: 'GET',
  path: '/api/v1/retraining-requests',
  tag: 'Retraining',
  summary: 'Retraining requests, newest first (by model or alert)',
  auth: 'user',
  permission: 'alerts:read',
  query: ZListRetrainingQuery,
  response: z.object({ items: z.array(ZRetrainingRequest) }),
});

export const retrainingCallback = defineEndpoint({
  method: 'POST',
  path: '/api/v1/retraining-requests/{id}/callback',
  tag: 'Retraining',
  summary: 'The training pipeline acknowledges a request (signed)',
  description:
    'Body `{"status": "acknowledged", "runId"?, "message"?}`, signed with the environment\'s retraining secret in `x-modeldeck-signature` (same scheme as the request, at most 5 minutes old). A missing or bad signature → 401, audited as `retraining.callback_rejected`. The request completes when a version is registered with `parentVersion` = the request\'s live version.',
  auth: 'signature',
  params: ZRetrainingIdParams,
  consumes: 'application/json',
  response: ZRetrainingRequest,
  errors: [400, 401, 409],
});
