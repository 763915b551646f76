import { z } from 'zod';
import { defineEndpoint } from '../contract';
import { ZEnvironment } from '@/lib/validation/registry-responses';
import { ZCreateEnvironment, ZMoveEnvironment } from '@/lib/validation/environments';
import { ZEnvironmentName, ZUpdateEnvironment } from '@/lib/validation/registry';

export const listEnvironments = defineEndpoint({
  method: 'GET',
  path: '/api/v1/environments',
  tag: 'Environments',
  summary: 'Environments in promotion order, with their rules',
  auth: 'user',
  permission: 'models:read',
  response: z.object({ items: z.array(ZEnvironment) }),
});

export const createEnvironment = defineEndpoint({
  method: 'POST',
  path: '/api/v1/environments',
  tag: 'Environments',
  summary: 'Add an environment',
  description:
    'Placed after `after` (first when `after` is null, last when left out); later environments move down one place. ' +
    'Rules left out start permissive: no approvals, no previous-environment, soak or metric gates, no drift blocking. ' +
    'The environment placed after the new one now has it as its previous environment. ' +
    '409 `environment_exists` when the name is taken.',
  auth: 'user',
  permission: 'environments:manage',
  body: ZCreateEnvironment,
  response: ZEnvironment,
  successStatus: 201,
  errors: [409],
});

export const updateEnvironment = defineEndpoint({
  method: 'PATCH',
  path: '/api/v1/environments/{environment}',
  tag: 'Environments',
  summary: "Change an environment's promotion rules",
  auth: 'user',
  permission: 'environments:manage',
  params: z.object({ environment: ZEnvironmentName }),
  body: ZUpdateEnvironment,
  response: ZEnvironment,
  errors: [404],
});

export const moveEnvironment = defineEndpoint({
  method: 'POST',
  path: '/api/v1/environments/{environment}/move',
  tag: 'Environments',
  summary: 'Move an environment one place up or down in the promotion order',
  description:
    'Swaps the environment with its neighbour and returns all environments in the new order. ' +
    'The previous-environment and soak gates check the environment just before, so this changes what they check. ' +
    '409 `cannot_move` when moving the first environment up or the last one down.',
  auth: 'user',
  permission: 'environments:manage',
  params: z.object({ environment: ZEnvironmentName }),
  body: ZMoveEnvironment,
  response: z.object({ items: z.array(ZEnvironment) }),
  errors: [404, 409],
});

export const deleteEnvironment = defineEndpoint({
  method: 'DELETE',
  path: '/api/v1/environments/{environment}',
  tag: 'Environments',
  summary: 'Delete an environment nothing was ever released to',
  description:
    'Returns the remaining environments, renumbered without a gap. ' +
    '409 `environment_in_use` when the environment has any release history (even a rejected request): archive it instead.',
  auth: 'user',
  permission: 'environments:manage',
  params: z.object({ environment: ZEnvironmentName }),
  response: z.object({ items: z.array(ZEnvironment) }),
  errors: [404, 409],
});

export const archiveEnvironment = defineEndpoint({
  method: 'POST',
  path: '/api/v1/environments/{environment}/archive',
  tag: 'Environments',
  summary: 'Archive an environment',
  description:
    'An archived environment is no longer a promotion target, a lane on model pages or the previous environment of the next one; ' +
    'its releases stay readable and it keeps its place in the order. Archiving an archived environment changes nothing. ' +
    '409 `environment_busy` while promotion requests to it are open.',
  auth: 'user',
  permission: 'environments:manage',
  params: z.object({ environment: ZEnvironmentName }),
  response: ZEnvironment,
  errors: [404, 409],
});

export const unarchiveEnvironment = defineEndpoint({
  method: 'POST',
  path: '/api/v1/environments/{environment}/unarchive',
  tag: 'Environments',
  summary: 'Bring an archived environment back into use',
  auth: 'user',
  permission: 'environments:manage',
  params: z.object({ environment: ZEnvironmentName }),
  response: ZEnvironment,
  errors: [404],
});
