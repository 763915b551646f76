import 'server-only';
import type { z } from 'zod';
import type { Endpoint, HandlerArgs } from '@/lib/api/contract';
import { actorFromRequest, requirePermissionOrThrow } from '@/lib/server/auth/current-actor';
import type { RequestContext } from '@/lib/server/context';
import { notFound } from '@/lib/errors';
import { countHttpRequest } from '@/lib/server/system/metrics';
import { problemResponse, validationError } from './problem';
import { readJsonBody } from './read-json-body';
import { requestIdFrom } from './request-id';

type RouteContext = { params: Promise<Record<string, string | string[]>> };

type Ctx<E extends Endpoint> = E['auth'] extends 'user' ? RequestContext : { requestId: string };

/** A handler returns a JSON-serialisable value (sent with the endpoint's success status) or a Response. */
type Handler<E extends Endpoint> = (args: HandlerArgs<E> & { ctx: Ctx<E>; request: Request }) => Promise<unknown>;

/**
 * The one wrapper for REST handlers: credentials → permission → parse path, query and
 * body with the endpoint's schemas → call → problem+json on any error.
 */
export function route<E extends Endpoint>(endpoint: E, handler: Handler<E>) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    const requestId = requestIdFrom(request.headers);
    try {
      let ctx: { requestId: string } | RequestContext = { requestId };
      if (endpoint.auth === 'user') {
        const actor = requirePermissionOrThrow(await actorFromRequest(request), endpoint.permission);
        ctx = { actor, requestId };
      }
      const params = parseWith(endpoint.params, await context.params, 'path');
      const query = parseWith(endpoint.query, searchParamsObject(new URL(request.url).searchParams), 'query');
      const body = endpoint.body
        ? parseWith(endpoint.body, await readJsonBody(request, { optional: endpoint.body.safeParse(undefined).success }), 'body')
        : undefined;
      const result = await handler({ params, query, body, ctx: ctx as Ctx<E>, request } as HandlerArgs<E> & {
        ctx: Ctx<E>;
        request: Request;
      });
      if (result instanceof Response) {
        result.headers.set('x-request-id', requestId);
        return counted(endpoint, result);
      }
      return counted(endpoint, Response.json(result, { status: endpoint.successStatus ?? 200, headers: { 'x-request-id': requestId } }));
    } catch (error) {
      return counted(endpoint, problemResponse(error, requestId));
    }
  };
}

/** Counted by route template (not the concrete path), so the metric's cardinality stays bounded. */
function counted(endpoint: Endpoint, response: Response): Response {
  countHttpRequest(endpoint.method, endpoint.path, response.status);
  return response;
}

function parseWith(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) {
    // A malformed id in the path names nothing that exists: that is a 404, not a form error.
    if (where === 'path') throw notFound(validationError(result.error, 'path').message.replace(/^Invalid path/, 'No such resource'));
    throw validationError(result.error, where);
  }
  return result.data;
}

function searchParamsObject(params: URLSearchParams): Record<string, string | string[]> {
  return Object.fromEntries(
    [...new Set(params.keys())].map((key) => {
      const values = params.getAll(key);
      return [key, values.length > 1 ? values : (values[0] ?? '')];
    }),
  );
}
