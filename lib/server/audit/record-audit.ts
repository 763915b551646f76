import 'server-only';
import type { Tx } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { entryHash } from './canonical';

export interface AuditInput {
  actor: { id: string; email: string } | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
  /**
   * Backdates the entry (the demo seed's history). Only ever later than the chain's last
   * entry: an earlier time would make the chain's order and its timeline disagree.
   */
  at?: Date;
}

// Any constant works: it names the one lock that serialises appends to the chain.
const CHAIN_LOCK_KEY = 7_246_031;

/**
 * Appends an entry to the hash chain inside the caller's transaction, so the entry
 * exists exactly when the change it describes does. Appends are serialised by a
 * transaction-scoped advisory lock: the lock is held until commit, so the entry read as
 * "previous" is always the last committed one.
 */
export async function recordAudit(tx: Tx, input: AuditInput): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`;
  const last = await tx.auditEntry.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true, at: true } });
  if (input.at && last && input.at < last.at) {
    throw new Error(`Audit entries are appended in time order: ${input.at.toISOString()} is before the last entry (${last.at.toISOString()}).`);
  }
  const content = {
    seq: (last?.seq ?? 0n) + 1n,
    at: input.at ?? new Date(),
    actorId: input.actor?.id ?? null,
    actorEmail: input.actor?.email ?? null,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId ?? null,
    // Round-trip through JSON so the hash covers exactly what jsonb stores and returns.
    before: toJson(input.before),
    after: toJson(input.after),
    requestId: input.requestId ?? null,
  };
  const prevHash = last?.hash ?? '';
  await tx.auditEntry.create({
    data: {
      ...content,
      before: content.before ?? Prisma.DbNull,
      after: content.after ?? Prisma.DbNull,
      prevHash,
      hash: entryHash(prevHash, content),
    },
  });
}

function toJson(value: unknown): Prisma.InputJsonValue | null {
  if (value === undefined || value === null) return null;
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}
