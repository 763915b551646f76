import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  resolve: {
    alias: {
      '@': root,
      // Domain modules guard against client bundling with `server-only`; tests are server code.
      'server-only': path.join(root, 'test/setup/server-only.ts'),
    },
  },
  test: {
    include: ['lib/**/*.test.ts', 'serving/**/*.test.ts', 'components/**/*.test.ts', 'test/**/*.test.ts', 'prisma/**/*.test.ts'],
    globalSetup: ['test/setup/global-database.ts'],
    setupFiles: ['test/setup/file-database.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
