import 'server-only';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { databaseUrl } from '@/lib/env';

export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

function createClient(): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl(),
    max: 10,
    connectionTimeoutMillis: 5000,
  });
  // Mutations serialise on the audit chain lock, so under a burst a transaction may wait
  // its turn; give it longer than Prisma's defaults (2 s to start, 5 s to finish).
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 10_000, timeout: 30_000 } });
}

const globalForPrisma = globalThis as unknown as { __modeldeckPrisma?: PrismaClient };
let client: PrismaClient | undefined;

/** The Prisma client, created on first use; reused across hot reloads in development. */
export function getDb(): PrismaClient {
  if (process.env.NODE_ENV === 'development') {
    return (globalForPrisma.__modeldeckPrisma ??= createClient());
  }
  return (client ??= createClient());
}

/** Shorthand used by services: `db().user.findMany(...)`. */
export const db = getDb;
