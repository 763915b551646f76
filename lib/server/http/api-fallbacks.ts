import 'server-only';
import { allowedMethods, apiProxyResponse, methodNotAllowedProblem } from '@/lib/api/method-not-allowed';
import { notFound } from '@/lib/errors';
import { problemResponse } from './problem';
import { requestIdFrom } from './request-id';

/**
 * What /api answers where no endpoint does: problem+json like every other API error, never
 * the HTML not-found page or Next's empty 405.
 */

type HandledMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type FallbackHandler = (request: Request) => Promise<Response>;

export { allowedMethods, apiProxyResponse };

export function methodNotAllowedResponse(request: Request, allow: readonly string[]): Response {
  const problem = methodNotAllowedProblem({
    method: request.method,
    pathname: new URL(request.url).pathname,
    allow,
    requestId: requestIdFrom(request.headers),
  });
  return new Response(problem.body, { status: problem.status, headers: problem.headers });
}

/**
 * 405 problem+json handlers for a route file's path; the file exports the methods it does not
 * implement: `export const { PUT, PATCH, DELETE } = otherMethods('/api/v1/users');`.
 * The Allow header comes from the endpoint declarations, so it lists exactly what the path serves.
 */
export function otherMethods(path: string): Record<HandledMethod, FallbackHandler> {
  const allow = allowedMethods(path);
  const handler: FallbackHandler = async (request) => methodNotAllowedResponse(request, allow);
  FALLBACKS.add(handler);
  return { GET: handler, POST: handler, PUT: handler, PATCH: handler, DELETE: handler };
}

const FALLBACKS = new WeakSet<object>();

/** True for the 405 handlers of `otherMethods`: exported by route files, but not endpoints (the API contract tests skip them). */
export function isMethodFallback(handler: unknown): boolean {
  return typeof handler === 'function' && FALLBACKS.has(handler);
}

/** The catch-all under /api: no endpoint has this path. */
export async function apiNotFound(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  return problemResponse(
    notFound(`There is no API endpoint at ${pathname}. The endpoints are listed in /api/v1/openapi.json.`),
    requestIdFrom(request.headers),
  );
}
