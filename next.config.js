// @ts-check

/** Security headers that do not depend on the request (the CSP and HSTS are set in proxy.ts). */
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  // Full URLs (with ids and query strings) stay on our origin; other sites see the origin only.
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
  // For browsers that predate the CSP's frame-ancestors.
  { key: 'X-Frame-Options', value: 'DENY' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and WebAssembly-backed packages are loaded from node_modules at run time
  // instead of being bundled.
  serverExternalPackages: ['@node-rs/argon2', 'pg', '@prisma/adapter-pg', 'pino', '@kubernetes/client-node'],
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
