import 'server-only';
import { allEndpoints } from '@/lib/api/endpoints';
import { AppError, notFound } from '@/lib/errors';
import { problemResponse } from './problem';
import { requestIdFrom } from './request-id';

/**
 * What /api answers where no endpoint does: problem+json like every other API error, never
 * the HTML not-found page or Next's empty 405.
 */

/** Methods Next.js routes to a route file; anything else (TRACE, CONNECT, …) never reaches one. */
const ROUTED_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
type HandledMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type FallbackHandler = (request: Request) => Promise<Response>;

/** The methods an endpoint path (OpenAPI template, e.g. /api/v1/users/{id}) answers, as an Allow header lists them. */
export function allowedMethods(path: string): string[] {
  const declared = allEndpoints.filter((endpoint) => endpoint.path === path).map((endpoint) => endpoint.method as string);
  if (declared.length === 0) throw new Error(`No endpoint is declared for ${path} (lib/api/endpoints).`);
  if (declared.includes('GET')) declared.push('HEAD');
  declared.push('OPTIONS');
  return [...new Set(declared)].sort();
}

export function methodNotAllowedResponse(request: Request, allow: readonly string[]): Response {
  const error = new AppError(
    405,
    'method_not_allowed',
    `${request.method} is not supported on ${new URL(request.url).pathname}; use ${allow.join(', ')}.`,
  );
  const response = problemResponse(error, requestIdFrom(request.headers));
  response.headers.set('allow', allow.join(', '));
  return response;
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

/**
 * For the proxy (proxy.ts: `return apiProxyResponse(request) ?? NextResponse.next()`), the one
 * place that sees methods Next.js does not route to route files (PROPFIND, PURGE, …, which
 * otherwise get an empty 400): answers those under /api with 405 problem+json and returns
 * undefined for everything else. TRACE, TRACK and CONNECT never get this far: the fetch
 * `Request` Next.js builds refuses them before any proxy or route code runs.
 */
export function apiProxyResponse(request: Request): Response | undefined {
  const { pathname } = new URL(request.url);
  if (pathname !== '/api' && !pathname.startsWith('/api/')) return undefined;
  if ((ROUTED_METHODS as readonly string[]).includes(request.method)) return undefined;
  const template = allEndpoints.find((endpoint) => matchesTemplate(endpoint.path, pathname))?.path;
  return methodNotAllowedResponse(request, template ? allowedMethods(template) : ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']);
}

function matchesTemplate(template: string, pathname: string): boolean {
  const expected = template.split('/');
  const actual = pathname.split('/');
  return expected.length === actual.length && expected.every((part, i) => /^\{.+\}$/.test(part) ? actual[i] !== '' : part === actual[i]);
}
