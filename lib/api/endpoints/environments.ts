import { z } from 'zod';
import { defineEndpoint } from '../contract';
import { ZEnvironment } from '@/lib/validation/registry-responses';
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
