// Parsing with the WHATWG URL parser, the one browsers use, is what makes this safe: it
// reads `/\evil`, `\/evil`, tabs and newlines inside `//evil` and `https:evil` exactly as
// the browser will when it follows the redirect. String prefix checks do not.
const PROBE_ORIGIN = 'http://modeldeck.invalid';

/**
 * `value` as a path on `origin` (pathname + search + hash), or null when it would leave
 * that origin (another host, another scheme, `javascript:` …). Absolute URLs on the same
 * origin are accepted and made relative.
 */
export function sameOriginPath(value: unknown, origin: string = PROBE_ORIGIN): string | null {
  if (typeof value !== 'string' || value === '') return null;
  let base: URL;
  let target: URL;
  try {
    base = new URL(origin);
    target = new URL(value, base);
  } catch {
    return null;
  }
  if (target.origin !== base.origin) return null;
  // `/.//evil` normalises to the path `//evil`, which a browser would read as a host.
  if (target.pathname.startsWith('//')) return null;
  return `${target.pathname}${target.search}${target.hash}`;
}

/** For the sign-in page's `callbackUrl`: the path to go to after signing in, `/` when unsafe. */
export function safeCallbackPath(value: unknown): string {
  return sameOriginPath(value) ?? '/';
}
