// @ts-check

import { createRequire } from 'node:module';

/**
 * Security headers that do not depend on the request (the CSP and HSTS are set in proxy.ts).
 * One JSON file, because the HTTP server in front of Next.js (lib/runtime/serve.ts) and the
 * proxy's own answers send them too. X-Frame-Options is for browsers that predate the CSP's
 * frame-ancestors; Referrer-Policy keeps full URLs (ids, query strings) on our origin.
 */
/** @type {Record<string, string>} */
const staticHeaders = createRequire(import.meta.url)('./lib/security/static-headers.json');
const securityHeaders = Object.entries(staticHeaders).map(([key, value]) => ({ key, value }));

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and WebAssembly-backed packages are loaded from node_modules at run time
  // instead of being bundled.
  serverExternalPackages: ['@node-rs/argon2', 'pg', '@prisma/adapter-pg', 'pino', '@kubernetes/client-node', 'onnxruntime-node'],
  poweredByHeader: false,
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
  typedRoutes: false,
  experimental: {
    // Server actions accept uploads up to the same limit as the REST API.
    serverActions: { bodySizeLimit: '10mb' },
  },
};

export default nextConfig;
