import { randomUUID } from 'node:crypto';
import { allEndpoints } from './endpoints';

/**
 * The 405 answer for /api, free of server-only imports: route files (through
 * lib/server/http/api-fallbacks.ts), proxy.ts and the HTTP server in front of Next.js
 * (lib/runtime/serve.ts, which alone sees TRACE, TRACK and CONNECT) all answer from here.
 */

/** Methods Next.js routes to a route file; any other method never reaches one. */
export const ROUTED_METHODS: readonly string[] = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH'];

const EVERY_ROUTED_METHOD = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

/** The methods an endpoint path (OpenAPI template, e.g. /api/v1/users/{id}) answers, as an Allow header lists them. */
export function allowedMethods(path: string): string[] {
  const declared = allEndpoints.filter((endpoint) => endpoint.path === path).map((endpoint) => endpoint.method as string);
  if (declared.length === 0) throw new Error(`No endpoint is declared for ${path} (lib/api/endpoints).`);
  if (declared.includes('GET')) declared.push('HEAD');
  declared.push('OPTIONS');
  return [...new Set(declared)].sort();
}

/** What Allow says for a concrete /api path: its endpoint's methods, or every routed method where no endpoint matches. */
export function allowedMethodsAt(pathname: string): string[] {
  const template = allEndpoints.find((endpoint) => matchesTemplate(endpoint.path, pathname))?.path;
  return template ? allowedMethods(template) : EVERY_ROUTED_METHOD;
}

export function isApiPath(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/');
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * A client's x-request-id is echoed in headers and stored in the audit log, so only a short
 * token of safe characters is taken as is; anything else (control characters, markup, long
 * text) gets a fresh id instead of being reflected.
 */
export function safeRequestId(offered: string | null | undefined): string {
  return offered && SAFE_REQUEST_ID.test(offered) ? offered : randomUUID();
}

/** The problem+json body, status and headers of a 405 (the shape problemResponse gives every API error). */
export function methodNotAllowedProblem(options: { method: string; pathname: string; allow: readonly string[]; requestId: string }) {
  const code = 'method_not_allowed';
  const body = {
    type: `urn:modeldeck:problem:${code}`,
    title: 'Method Not Allowed',
    status: 405,
    detail: `${options.method} is not supported on ${options.pathname}; use ${options.allow.join(', ')}.`,
    code,
    requestId: options.requestId,
  };
  return {
    status: 405,
    body: JSON.stringify(body),
    headers: {
      'content-type': 'application/problem+json',
      'x-request-id': options.requestId,
      allow: options.allow.join(', '),
    },
  };
}

function matchesTemplate(template: string, pathname: string): boolean {
  const expected = template.split('/');
  const actual = pathname.split('/');
  return expected.length === actual.length && expected.every((part, i) => (/^\{.+\}$/.test(part) ? actual[i] !== '' : part === actual[i]));
}

/**
 * For proxy.ts, the one place that sees methods Next.js does not route to route files
 * (PROPFIND, PURGE, …, which otherwise get an empty 400): a 405 problem+json for those under
 * /api, undefined for everything else.
 */
export function apiProxyResponse(request: Request): Response | undefined {
  const { pathname } = new URL(request.url);
  if (!isApiPath(pathname) || ROUTED_METHODS.includes(request.method)) return undefined;
  const problem = methodNotAllowedProblem({
    method: request.method,
    pathname,
    allow: allowedMethodsAt(pathname),
    requestId: safeRequestId(request.headers.get('x-request-id')),
  });
  return new Response(problem.body, { status: problem.status, headers: problem.headers });
}
