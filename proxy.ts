import { NextResponse, type NextRequest } from 'next/server';
import { apiProxyResponse } from '@/lib/api/method-not-allowed';
import { servedOverHttps } from '@/lib/security/forwarded';
import { compilesWasm, contentSecurityPolicy, createNonce, HSTS_VALUE, STATIC_SECURITY_HEADERS } from '@/lib/security/headers';

/**
 * Per-request security headers for pages and API routes: a Content-Security-Policy with a
 * fresh nonce (Next.js reads it from the request's CSP header and stamps its scripts) and
 * HSTS when the browser reached us over https. The static headers are in next.config.js;
 * the proxy's own answers (405 for methods no route file can declare) carry them as well.
 */
export function proxy(request: NextRequest) {
  const nonce = createNonce();
  const policy = contentSecurityPolicy({ nonce, dev: process.env.NODE_ENV === 'development', wasm: compilesWasm(request.nextUrl.pathname) });
  const answered = apiProxyResponse(request);
  let response: Response;
  if (answered) {
    response = answered;
    for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  } else {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set('content-security-policy', policy);
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  response.headers.set('Content-Security-Policy', policy);
  if (servedOverHttps(request.headers)) response.headers.set('Strict-Transport-Security', HSTS_VALUE);
  return response;
}

export const config = {
  // Everything but build assets, which are immutable files with no scripts to nonce.
  matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg).*)'],
};
