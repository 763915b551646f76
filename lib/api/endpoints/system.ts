import { z } from 'zod';
import { defineEndpoint } from '../contract';
import { ZMe } from '@/lib/validation/users';

export const getHealth = defineEndpoint({
  method: 'GET',
  path: '/api/health',
  tag: 'System',
  summary: 'Liveness and database reachability',
  description: 'No credentials needed. 200 when the database answers, 503 otherwise.',
  auth: 'public',
  response: z.object({ status: z.literal('ok') }),
  errors: [503],
});

export const getMe = defineEndpoint({
  method: 'GET',
  path: '/api/v1/me',
  tag: 'System',
  summary: 'The user the credentials act as, with their roles and permissions',
  auth: 'user',
  response: ZMe,
});

export const getOpenApi = defineEndpoint({
  method: 'GET',
  path: '/api/v1/openapi.json',
  tag: 'System',
  summary: 'This API description (OpenAPI 3.1)',
  auth: 'public',
  response: z.object({ openapi: z.string() }).loose(),
});

export const getMetrics = defineEndpoint({
  method: 'GET',
  path: '/metrics',
  tag: 'System',
  summary: 'Prometheus metrics: REST requests, job queue depth and job failures',
  description:
    'Prometheus text format. No credentials needed unless `MODELDECK_METRICS_TOKEN` is set; then send it as `Authorization: Bearer …` (401 otherwise).',
  auth: 'public',
  produces: 'text/plain',
});
