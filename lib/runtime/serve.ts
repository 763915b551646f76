// ModelDeck's HTTP server: Next.js's request handler behind a plain node:http server, so
// the app can know the socket's peer address. `next start` keeps a client's own
// X-Forwarded-For (it only fills the header when absent), which would let any client pick
// the address the sign-in limiter counts. Run by `modeldeck start` (lib/cli/main.ts).
import { createServer, STATUS_CODES, type IncomingMessage } from 'node:http';
import next from 'next';
import { allowedMethodsAt, isApiPath, methodNotAllowedProblem, safeRequestId } from '@/lib/api/method-not-allowed';
import { normaliseForwardedHeaders, servedOverHttps, trustedProxyHops } from '@/lib/security/forwarded';
import { contentSecurityPolicy, createNonce, HSTS_VALUE, STATIC_SECURITY_HEADERS } from '@/lib/security/headers';
import { projectRoot } from './paths';

const port = Number(process.env.PORT ?? 3000);
const hops = trustedProxyHops();

const app = next({ dev: false, dir: projectRoot, port, hostname: 'localhost' });
const handle = app.getRequestHandler();
await app.prepare();

type Answer = { status: number; headers: Record<string, string>; body: string };

/**
 * TRACE, TRACK and CONNECT never reach Next.js's routing (its fetch Request refuses them and
 * answers 500 text/plain; node:http hands CONNECT to a separate event): answered here with the
 * same 405 problem+json and security headers as any other method an /api path does not serve.
 * Other unrouted methods (PROPFIND, …) reach proxy.ts, which answers them the same way.
 */
function unroutableMethodAnswer(req: Pick<IncomingMessage, 'method' | 'url' | 'headers'>): Answer {
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  const security = {
    ...STATIC_SECURITY_HEADERS,
    'content-security-policy': contentSecurityPolicy({ nonce: createNonce() }),
    ...(servedOverHttps(req.headers) ? { 'strict-transport-security': HSTS_VALUE } : {}),
  };
  if (isApiPath(pathname)) {
    const problem = methodNotAllowedProblem({
      method: req.method ?? '',
      pathname,
      allow: allowedMethodsAt(pathname),
      requestId: safeRequestId(req.headers['x-request-id']?.toString()),
    });
    return { status: problem.status, headers: { ...security, ...problem.headers }, body: problem.body };
  }
  return { status: 405, headers: { ...security, 'content-type': 'text/plain; charset=utf-8', allow: 'GET, HEAD, POST' }, body: 'Method Not Allowed\n' };
}

const server = createServer((req, res) => {
  normaliseForwardedHeaders(req.headers, { remoteAddress: req.socket.remoteAddress, encrypted: 'encrypted' in req.socket }, hops);
  if (/^(TRACE|TRACK|CONNECT)$/.test(req.method ?? '')) {
    const answer = unroutableMethodAnswer(req);
    res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
    res.end(answer.body);
    return;
  }
  void handle(req, res);
});
server.on('connect', (req, socket) => {
  socket.end(rawResponse(unroutableMethodAnswer(req)));
});
// Node's HTTP parser refuses methods it does not know (TRACK) before any request event.
// Such a request still gets the 405 answer; every other parse error keeps Node's own answer.
server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => {
  if (!socket.writable) return void socket.destroy();
  const requestLine = /^([A-Z]+) (\S+) HTTP\/1\.[01]\r?\n/.exec(error.rawPacket?.toString('latin1') ?? '');
  if (error.code === 'HPE_INVALID_METHOD' && requestLine) {
    socket.end(rawResponse(unroutableMethodAnswer({ method: requestLine[1], url: requestLine[2], headers: {} })));
  } else {
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  }
});

/** An answer written straight to a socket (no ServerResponse exists for these requests). */
function rawResponse(answer: Answer): string {
  const head = Object.entries({ ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)), connection: 'close' })
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  return `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\n${head}\r\n\r\n${answer.body}`;
}
// Every interface, like `next start`.
server.listen(port, () => {
  process.stdout.write(`ModelDeck is listening on port ${port}\n`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}
