import staticHeaders from './static-headers.json';

/**
 * The per-request security headers (proxy.ts): the Content-Security-Policy carries a fresh
 * nonce and HSTS depends on the scheme. The static ones (static-headers.json) are added to
 * every page and route by next.config.js; answers made outside Next.js's routing set them
 * from here.
 */

export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = staticHeaders;

export const HSTS_VALUE = 'max-age=31536000; includeSubDomains';

/** A fresh nonce per request (128 random bits, base64). */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy(options: { nonce: string; dev?: boolean; wasm?: boolean }): string {
  const directives = [
    "default-src 'self'",
    // Next.js puts the nonce on its own inline and chunk scripts when it finds it in the
    // request's CSP header; 'strict-dynamic' lets those load the rest. Development needs
    // eval for React's debugging and fast refresh.
    // 'wasm-unsafe-eval' lets WebAssembly compile (onnxruntime-web on the Try-it page) without
    // allowing eval of JavaScript; only the pages that run models get it (WASM_PAGES).
    `script-src 'self' 'nonce-${options.nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}${options.wasm ? " 'wasm-unsafe-eval'" : ''}`,
    // 'unsafe-inline' for styles: React renders `style` attributes (recharts sizes and
    // positions every chart element that way, and layout widths are set inline), which a
    // nonce cannot cover. Styles cannot run code; scripts stay nonce-only.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  return directives.join('; ');
}

/** Pages that compile WebAssembly: a version's Try-it page, which runs the model in the browser. */
const WASM_PAGES = /^\/models\/[^/]+\/versions\/[^/]+\/try\/?$/;

export function compilesWasm(pathname: string): boolean {
  return WASM_PAGES.test(pathname);
}
