import path from 'node:path';
import { allEndpoints } from '@/lib/api/endpoints';
import type { Endpoint } from '@/lib/api/contract';

type RouteHandler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type RouteModule = Partial<Record<string, RouteHandler>>;

/**
 * Every route file under app/api, plus the Prometheus endpoint at the root (/metrics, where
 * scrapers look for it), loaded lazily (keys: "/app/api/v1/users/route.ts").
 */
const modules = import.meta.glob<RouteModule>(['/app/api/**/route.ts', '/app/metrics/route.ts']);

/** "/app/api/v1/models/[name]/route.ts" → "/api/v1/models/{name}"; null for the catch-all and next-auth. */
export function endpointPathOf(file: string): string | null {
  const dir = path.posix.dirname(file).replace(/^\/app/, '');
  if (dir.includes('[...')) return null;
  return dir.replace(/\[([^\]]+)\]/g, '{$1}');
}

export const routeFiles = Object.keys(modules).sort();

/** The route file serving an endpoint path template. */
export function routeFileOf(endpointPath: string): string | undefined {
  return routeFiles.find((file) => endpointPathOf(file) === endpointPath);
}

export async function routeModule(endpointPath: string): Promise<RouteModule> {
  const file = routeFileOf(endpointPath);
  if (!file) throw new Error(`No route file serves ${endpointPath}`);
  return modules[file]!();
}

export async function handlerOf(endpoint: Pick<Endpoint, 'path' | 'method'>): Promise<RouteHandler> {
  const handler = (await routeModule(endpoint.path))[endpoint.method];
  if (!handler) throw new Error(`${endpoint.path} exports no ${endpoint.method} handler`);
  return handler;
}

/** Fills a path template: "/api/v1/models/{name}" with { name: "x" } → "/api/v1/models/x" (values URL-encoded). */
export function fillPath(template: string, params: Record<string, string>): string {
  // A URL cannot carry a lone surrogate (it has no UTF-8 form); the handler still gets the raw value in params.
  const wellFormed = (value: string) => value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(wellFormed(params[name] ?? '')));
}

export { allEndpoints };
