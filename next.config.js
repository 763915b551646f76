// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and WebAssembly-backed packages are loaded from node_modules at run time
  // instead of being bundled.
  serverExternalPackages: ['@node-rs/argon2', 'pg', '@prisma/adapter-pg', 'pino'],
  poweredByHeader: false,
  typedRoutes: false,
  experimental: {
    // Server actions accept uploads up to the same limit as the REST API.
    serverActions: { bodySizeLimit: '10mb' },
  },
};

export default nextConfig;
