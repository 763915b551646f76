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
  return new PrismaClient({ adapter });
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
