import { z } from 'zod';
import { defineEndpoint } from '../contract';
import { ZRelease, ZReleaseDetail, ZReleasePage } from '@/lib/validation/registry-responses';
import { ZApprove, ZListReleasesQuery, ZReject, ZReleaseParams } from '@/lib/validation/registry';

export const listPromotions = defineEndpoint({
  method: 'GET',
  path: '/api/v1/promotions',
  tag: 'Releases',
  summary: 'Promotion requests and releases, newest first',
  description: '`?status=pending_approval` is the reviewers\' queue.',
  auth: 'user',
  permission: 'releases:read',
  query: ZListReleasesQuery,
  response: ZReleasePage,
  errors: [400],
});

export const getPromotion = defineEndpoint({
  method: 'GET',
  path: '/api/v1/promotions/{id}',
  tag: 'Releases',
  summary: 'A release with its evidence as recorded at request and at each approval, gates, metrics against the live version, reviews',
  auth: 'user',
  permission: 'releases:read',
  params: ZReleaseParams,
  response: ZReleaseDetail,
  errors: [404],
});

export const approvePromotion = defineEndpoint({
  method: 'POST',
  path: '/api/v1/promotions/{id}/approve',
  tag: 'Releases',
  summary: 'Approve (never your own request)',
  description: 'When the environment\'s required approvals are in, the release starts. 403 `self_approval` for the requester; 409 when it is no longer pending or a gate now fails.',
  auth: 'user',
  permission: 'releases:review',
  params: ZReleaseParams,
  body: ZApprove.optional(),
  response: ZRelease.pick({ id: true, status: true }).loose(),
  errors: [404, 409],
});

export const rejectPromotion = defineEndpoint({
  method: 'POST',
  path: '/api/v1/promotions/{id}/reject',
  tag: 'Releases',
  summary: 'Reject, with a comment saying why',
  auth: 'user',
  permission: 'releases:review',
  params: ZReleaseParams,
  body: ZReject,
  response: ZRelease.pick({ id: true, status: true }).loose(),
  errors: [404, 409],
});

export const cancelPromotion = defineEndpoint({
  method: 'POST',
  path: '/api/v1/promotions/{id}/cancel',
  tag: 'Releases',
  summary: 'Withdraw your request (before it starts deploying)',
  auth: 'user',
  permission: 'releases:request',
  params: ZReleaseParams,
  response: ZRelease.pick({ id: true, status: true }).loose(),
  errors: [404, 409],
});

const controlResponse = ZRelease.pick({ id: true, status: true }).extend({ promotionId: z.string().optional() }).loose();

export const pauseRelease = defineEndpoint({
  method: 'POST',
  path: '/api/v1/releases/{id}/pause',
  tag: 'Releases',
  summary: 'Pause a running canary: no further analysis or step until resumed',
  description: '409 `invalid_transition` unless the release is a deploying canary (a second click gets it too).',
  auth: 'user',
  permission: 'deployments:operate',
  params: ZReleaseParams,
  response: controlResponse,
  errors: [404, 409],
});

export const resumeRelease = defineEndpoint({
  method: 'POST',
  path: '/api/v1/releases/{id}/resume',
  tag: 'Releases',
  summary: 'Resume a paused canary; its current step gets a fresh interval before the next analysis',
  auth: 'user',
  permission: 'deployments:operate',
  params: ZReleaseParams,
  response: controlResponse,
  errors: [404, 409],
});

export const abortRelease = defineEndpoint({
  method: 'POST',
  path: '/api/v1/releases/{id}/abort',
  tag: 'Releases',
  summary: 'Abort a canary (or stop a shadow): all traffic back on the primary, the new version unloaded',
  description: 'The release becomes `aborted` at once; the deploy job restores the traffic within a polling interval.',
  auth: 'user',
  permission: 'deployments:operate',
  params: ZReleaseParams,
  response: controlResponse,
  errors: [404, 409],
});

export const promoteReleaseNow = defineEndpoint({
  method: 'POST',
  path: '/api/v1/releases/{id}/promote-now',
  tag: 'Releases',
  summary: 'Canary: skip the remaining steps and send all traffic to it. Shadow: open a replace request for its version',
  description:
    'A shadow\'s replace request goes through the environment\'s approval rules and gates like any other (`promotionId` in the answer); the shadow release becomes `superseded`. 409 `already_promoting` on a second click.',
  auth: 'user',
  permission: 'deployments:operate',
  params: ZReleaseParams,
  response: controlResponse,
  errors: [404, 409, 422],
});
