import { z } from 'zod';
import { defineEndpoint } from '../contract';
import { ZUuid } from '@/lib/validation/common';
import { ZDecisionMatrix, ZDecisionQuery, ZExportQuery, ZLoadProbe, ZStartLoadProbe, ZUnitPrices, ZUnitPricesInput } from '@/lib/validation/decisions';
import { ZVersionParams } from '@/lib/validation/registry';

export const getUnitPricesEndpoint = defineEndpoint({
  method: 'GET',
  path: '/api/v1/settings/unit-prices',
  tag: 'Decisions',
  summary: 'The unit prices cost estimates use',
  description: '`configured: false` until an admin saves prices; the decision matrix then leaves costs out.',
  auth: 'user',
  permission: 'models:read',
  response: ZUnitPrices,
});

export const putUnitPrices = defineEndpoint({
  method: 'PUT',
  path: '/api/v1/settings/unit-prices',
  tag: 'Decisions',
  summary: 'Set the unit prices (CPU-hour, GB-month, per million requests)',
  description: 'Admins. Audited as `unit_prices.update` with the previous and new prices. 422 names an invalid price or currency.',
  auth: 'user',
  permission: 'backends:manage',
  body: ZUnitPricesInput,
  response: ZUnitPrices,
  errors: [422],
});

export const getDeploymentOptions = defineEndpoint({
  method: 'GET',
  path: '/api/v1/models/{name}/versions/{version}/deployment-options',
  tag: 'Decisions',
  summary: 'The deployment decision matrix of a version for the expected traffic',
  description:
    'One row per option (local real-time, KServe real-time, batch, streaming, edge) with p50/p95 latency and throughput — each marked `measured` (from the latest finished load probe of an option that runs here), `estimated` (with its basis) or `not_measured` — replicas, estimated monthly cost from the unit prices, data residency and scaling notes, and a recommendation with its reasons.',
  auth: 'user',
  permission: 'models:read',
  params: ZVersionParams,
  query: ZDecisionQuery,
  response: ZDecisionMatrix,
  errors: [404],
});

export const exportDeploymentOptions = defineEndpoint({
  method: 'GET',
  path: '/api/v1/models/{name}/versions/{version}/deployment-options/export',
  tag: 'Decisions',
  summary: 'The decision matrix as Markdown or CSV, for a design review',
  description: 'The same query as the matrix plus `format` (`markdown`, the default, or `csv`); sent as an attachment.',
  auth: 'user',
  permission: 'models:read',
  params: ZVersionParams,
  query: ZExportQuery,
  produces: 'text/markdown',
  errors: [404],
});

export const startLoadProbeEndpoint = defineEndpoint({
  method: 'POST',
  path: '/api/v1/models/{name}/versions/{version}/load-probes',
  tag: 'Decisions',
  summary: 'Start a load probe of one deployment option of a version',
  description:
    'Engineers. Runs as a durable job: steps of `stepSeconds` at `startRate`, `startRate + rateStep`, … up to `maxRate` requests per second (open loop), until a step\'s p95 passes `targetP95Ms` or more than 5 % of its requests fail. Bounded: at most 1,000 req/s, 10 s a step, 30 steps and 120 s in all. Each finished step is saved, so `GET /api/v1/load-probes/{id}` shows progress and a restarted job resumes. Audited as `load_probe.start`. 409 `probe_running` while a probe of the same option runs, `no_backend` when the environment has none, `version_not_served` when the version is not ready on its endpoint, `no_stored_artifact` without an ONNX artifact; 502 `endpoint_unreachable`.',
  auth: 'user',
  permission: 'deployments:operate',
  params: ZVersionParams,
  body: ZStartLoadProbe,
  response: ZLoadProbe,
  successStatus: 202,
  errors: [404, 409, 422, 502],
});

export const getLoadProbeEndpoint = defineEndpoint({
  method: 'GET',
  path: '/api/v1/load-probes/{id}',
  tag: 'Decisions',
  summary: "A load probe's status and the steps it has finished",
  auth: 'user',
  permission: 'models:read',
  params: z.object({ id: ZUuid }),
  response: ZLoadProbe,
  errors: [404],
});
