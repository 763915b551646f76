import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

type RouteHandler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/** `[method, '/api/v1/models/{name}/versions', handler]`, as the route files export them. */
export type RouteTable = Array<[string, string, RouteHandler]>;

/**
 * Serves route handlers over real HTTP in the test process — what `next start` does for
 * them, minus the build — so HTTP clients (the pipeline CLI) are tested end to end.
 */
export async function serveRoutes(routes: RouteTable) {
  const compiled = routes.map(([method, template, handler]) => {
    const names: string[] = [];
    const pattern = new RegExp(
      `^${template.replace(/\{(\w+)\}/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      })}$`,
    );
    return { method, pattern, names, handler };
  });
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const candidates = compiled.filter((route) => route.pattern.test(url.pathname));
      const match = candidates.find((route) => route.method === req.method);
      if (!match) {
        res.writeHead(candidates.length ? 405 : 404).end();
        return;
      }
      const values = match.pattern.exec(url.pathname)!.slice(1);
      const params = Object.fromEntries(match.names.map((name, i) => [name, decodeURIComponent(values[i]!)]));
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const request = new Request(url, {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v]])) as [string, string][],
        body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
        duplex: 'half',
      } as RequestInit);
      const response = await match.handler(request, { params: Promise.resolve(params) });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body) {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
      }
      res.end();
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
