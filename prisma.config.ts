import { defineConfig } from 'prisma/config';

// Used by `prisma generate` (through `npm run db:generate`). Migrations are applied by
// ModelDeck's own runner (lib/runtime/migrate.ts), which needs no native engine.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
