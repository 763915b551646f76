// ModelDeck's HTTP server: Next.js's request handler behind a plain node:http server, so
// the app can know the socket's peer address. `next start` keeps a client's own
// X-Forwarded-For (it only fills the header when absent), which would let any client pick
// the address the sign-in limiter counts. Run by `modeldeck start` (lib/cli/main.ts).
import { createServer } from 'node:http';
import next from 'next';
import { normaliseForwardedHeaders, trustedProxyHops } from '@/lib/security/forwarded';
import { projectRoot } from './paths';

const port = Number(process.env.PORT ?? 3000);
const hops = trustedProxyHops();

const app = next({ dev: false, dir: projectRoot, port, hostname: 'localhost' });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  normaliseForwardedHeaders(req.headers, { remoteAddress: req.socket.remoteAddress, encrypted: 'encrypted' in req.socket }, hops);
  void handle(req, res);
});
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
