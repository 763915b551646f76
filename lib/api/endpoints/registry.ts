import { z } from 'zod';
import { defineEndpoint } from '../contract';
import {
  ZArtifactStored,
  ZEnvironmentState,
  ZModelDetail,
  ZModelListPage,
  ZModelSummary,
  ZRelease,
  ZVersion,
  ZVersionDetail,
  ZGateResult,
} from '@/lib/validation/registry-responses';
import {
  ZCreateModel,
  ZEnvironmentParams,
  ZListModelsQuery,
  ZModelParams,
  ZRegisterVersion,
  ZRequestPromotion,
  ZVersionParams,
} from '@/lib/validation/registry';

export const listModels = defineEndpoint({
  method: 'GET',
  path: '/api/v1/models',
  tag: 'Models',
  summary: 'List models with what is live in each environment',
  auth: 'user',
  permission: 'models:read',
  query: ZListModelsQuery,
  response: ZModelListPage,
  errors: [400],
});

export const createModel = defineEndpoint({
  method: 'POST',
  path: '/api/v1/models',
  tag: 'Models',
  summary: 'Create a model',
  auth: 'user',
  permission: 'models:write',
  body: ZCreateModel,
  response: ZModelSummary,
  successStatus: 201,
  errors: [409],
});

export const getModel = defineEndpoint({
  method: 'GET',
  path: '/api/v1/models/{name}',
  tag: 'Models',
  summary: 'A model: environment lanes, versions and release history',
  auth: 'user',
  permission: 'models:read',
  params: ZModelParams,
  response: ZModelDetail,
  errors: [404],
});

export const registerVersion = defineEndpoint({
  method: 'POST',
  path: '/api/v1/models/{name}/versions',
  tag: 'Models',
  summary: 'Register the next version of a model',
  description: 'Versions are numbered 1, 2, 3… per model. Upload the artifact afterwards with PUT …/artifact, or give artifactUri.',
  auth: 'user',
  permission: 'models:write',
  params: ZModelParams,
  body: ZRegisterVersion,
  response: ZVersion,
  successStatus: 201,
  errors: [404],
});

export const getVersion = defineEndpoint({
  method: 'GET',
  path: '/api/v1/models/{name}/versions/{version}',
  tag: 'Models',
  summary: 'A version, with where it has been live',
  auth: 'user',
  permission: 'models:read',
  params: ZVersionParams,
  response: ZVersionDetail,
  errors: [404],
});

export const archiveVersion = defineEndpoint({
  method: 'POST',
  path: '/api/v1/models/{name}/versions/{version}/archive',
  tag: 'Models',
  summary: 'Archive a version (it can no longer be promoted; it is never deleted)',
  auth: 'user',
  permission: 'models:write',
  params: ZVersionParams,
  response: ZVersion,
  errors: [404, 409],
});

export const uploadArtifact = defineEndpoint({
  method: 'PUT',
  path: '/api/v1/models/{name}/versions/{version}/artifact',
  tag: 'Models',
  summary: "Upload a version's artifact (raw bytes, streamed)",
  description:
    'The sha256 is checked against the one declared at registration or in the X-Artifact-Sha256 header; a mismatch is refused (422) and nothing is kept. An artifact is immutable once stored (409). With the S3 artifact store, a request S3 refuses is a 502 and an unreachable or misconfigured store a 503; nothing is recorded.',
  auth: 'user',
  permission: 'models:write',
  params: ZVersionParams,
  consumes: 'application/octet-stream',
  response: ZArtifactStored,
  errors: [400, 404, 409, 413, 422, 502],
});

export const downloadArtifact = defineEndpoint({
  method: 'GET',
  path: '/api/v1/models/{name}/versions/{version}/artifact',
  tag: 'Models',
  summary: "Download a version's artifact",
  auth: 'user',
  permission: 'models:read',
  params: ZVersionParams,
  produces: 'application/octet-stream',
  errors: [404, 502],
});

export const requestPromotion = defineEndpoint({
  method: 'POST',
  path: '/api/v1/models/{name}/versions/{version}/promotions',
  tag: 'Releases',
  summary: 'Request a promotion of this version to an environment',
  description:
    'Gates are evaluated now; a failing gate refuses the request (422, `errors` keyed by the rule). Environments needing no approval start the release at once.',
  auth: 'user',
  permission: 'releases:request',
  params: ZVersionParams,
  body: ZRequestPromotion,
  response: ZRelease.pick({ id: true, status: true }).extend({ gates: z.array(ZGateResult) }).loose(),
  successStatus: 201,
  errors: [404, 409],
});

export const getEnvironmentState = defineEndpoint({
  method: 'GET',
  path: '/api/v1/models/{name}/environments/{environment}',
  tag: 'Releases',
  summary: 'What is live for a model in an environment',
  auth: 'user',
  permission: 'models:read',
  params: ZEnvironmentParams,
  response: ZEnvironmentState,
  errors: [404],
});

export const rollback = defineEndpoint({
  method: 'POST',
  path: '/api/v1/models/{name}/environments/{environment}/rollback',
  tag: 'Releases',
  summary: 'Return an environment to its previous live version',
  description:
    'No new approval: the previous version was approved before. Optional body `{ "expectedReleaseId": … }` refuses with 409 if what is live changed meanwhile. ' +
    'Without a deployment backend the previous version is live at once (`pending: false`). With one, the answer names the rollback release (`pending: true`): ' +
    'the previous version is loaded and takes all traffic within seconds, then the rolled-back version is unloaded; 409 `rollback_in_progress` while one is under way.',
  auth: 'user',
  permission: 'deployments:operate',
  params: ZEnvironmentParams,
  body: z.strictObject({ expectedReleaseId: z.uuid().optional() }).optional(),
  response: ZEnvironmentState.pick({ liveVersion: true, since: true, release: true }).extend({ pending: z.boolean() }),
  successStatus: 202,
  errors: [404, 409],
});
