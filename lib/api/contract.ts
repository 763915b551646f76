import type { z } from 'zod';
import type { Permission } from '@/lib/auth/permissions';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One REST endpoint: the schemas its handler parses with are the ones the OpenAPI
 * document (lib/api/openapi.ts) describes, so the two cannot drift apart.
 */
export interface Endpoint {
  method: HttpMethod;
  /** OpenAPI-style path, e.g. /api/v1/users/{id}. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /**
   * `public`: no credentials needed. `user`: a session or a Bearer token. `signature`: no user,
   * the handler checks an X-ModelDeck-Signature over the body (callbacks from other systems).
   */
  auth: 'public' | 'user' | 'signature';
  permission?: Permission;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Schema of the success body (JSON). Omit for non-JSON responses. */
  response?: z.ZodType;
  successStatus?: number;
  /** Content type of a non-JSON success response, e.g. text/csv. */
  produces?: string;
  /** Content type of a raw (non-JSON) request body the handler streams itself. */
  consumes?: string;
  /** Error statuses worth documenting beyond 401/403 (which follow from auth/permission). */
  errors?: number[];
}

export function defineEndpoint<const E extends Endpoint>(endpoint: E): E {
  return endpoint;
}

type Parsed<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface HandlerArgs<E extends Endpoint> {
  params: Parsed<E['params']>;
  query: Parsed<E['query']>;
  body: Parsed<E['body']>;
}
