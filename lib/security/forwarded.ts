/**
 * Which client a request came from, and over which protocol, when ModelDeck may sit behind
 * reverse proxies. Pure functions: used by the HTTP server (lib/runtime/serve.ts), the
 * sign-in limiter and the security headers.
 *
 * The contract: ModelDeck's server always appends the socket's peer address to
 * X-Forwarded-For (and drops what the client sent when no proxy is trusted), so the last
 * entry is never chosen by the client. TRUSTED_PROXY_HOPS says how many entries from the
 * right were written by proxies of ours; the entry just before them is the client.
 */

export type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** TRUSTED_PROXY_HOPS as a number (unset or empty: 0). */
export function trustedProxyHops(value = process.env.TRUSTED_PROXY_HOPS): number {
  const hops = Number(value || 0);
  if (!Number.isInteger(hops) || hops < 0) {
    throw new Error(`TRUSTED_PROXY_HOPS must be a whole number (0 without a reverse proxy, 1 behind one proxy), not "${value}".`);
  }
  return hops;
}

/** The X-Forwarded-For list, in order (client first, nearest hop last). */
function forwardedFor(headers: HeaderBag): string[] {
  return (header(headers, 'x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/**
 * The client address: the entry `hops` places left of the last one. With fewer entries than
 * that (a request that skipped a proxy), the leftmost one, which is still an address a
 * trusted hop or the socket reported.
 */
export function clientAddress(headers: HeaderBag, hops = trustedProxyHops()): string {
  const chain = forwardedFor(headers);
  return chain[Math.max(0, chain.length - 1 - hops)] ?? 'unknown';
}

/**
 * Rewrites the forwarded headers of an incoming request as ModelDeck's server sees it:
 * with no trusted proxy, X-Forwarded-For/-Host/-Proto describe the socket and the Host
 * header only (a client cannot pick its address or scheme); with trusted proxies, the
 * proxies' headers stay and the socket address is appended, as a proxy would.
 */
export function normaliseForwardedHeaders(
  headers: Record<string, string | string[] | undefined>,
  socket: { remoteAddress?: string; encrypted?: boolean },
  hops: number,
): void {
  const peer = socket.remoteAddress ?? 'unknown';
  if (hops === 0) {
    headers['x-forwarded-for'] = peer;
    headers['x-forwarded-proto'] = socket.encrypted ? 'https' : 'http';
    delete headers['x-forwarded-host'];
    delete headers['x-forwarded-port'];
    return;
  }
  headers['x-forwarded-for'] = [...forwardedFor(headers), peer].join(', ');
}

/**
 * True when the browser talks https to us: the public URL says so, or a trusted proxy
 * reports it (X-Forwarded-Proto is only believed when TRUSTED_PROXY_HOPS > 0).
 */
export function servedOverHttps(headers: HeaderBag, options: { hops?: number; publicUrl?: string } = {}): boolean {
  const publicUrl = options.publicUrl ?? process.env.NEXTAUTH_URL;
  if (publicUrl?.startsWith('https:')) return true;
  const hops = options.hops ?? trustedProxyHops();
  const proto = header(headers, 'x-forwarded-proto')?.split(',')[0]?.trim();
  return hops > 0 && proto === 'https';
}
