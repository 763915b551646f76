import 'server-only';
import { db } from '@/lib/db';
import type { Prisma, ReleaseStatus } from '@/lib/generated/prisma/client';
import { can } from '@/lib/auth/permissions';
import type { Actor } from '@/lib/server/context';

const OPEN: ReleaseStatus[] = ['pending_approval', 'approved', 'deploying', 'paused'];
const LIST_LIMIT = 8;

/**
 * Pending releases this reviewer could approve: not their own requests, not already reviewed
 * by them, and not versions they registered where the environment forbids that — the same
 * rules approveRelease enforces, so the list holds nothing they would be refused.
 */
function awaitingReviewWhere(actor: Actor): Prisma.ReleaseWhereInput {
  return {
    status: 'pending_approval',
    requestedById: { not: actor.id },
    approvals: { none: { reviewerId: actor.id } },
    NOT: { environment: { authorCannotApprove: true }, version: { createdById: actor.id } },
  };
}

/** The number next to "Releases" in the navigation; 0 for users who cannot review. */
export async function countPendingReviews(actor: Actor): Promise<number> {
  if (!can(actor.roles, 'releases:review')) return 0;
  return db().release.count({ where: awaitingReviewWhere(actor) });
}

const INCLUDE = {
  model: { select: { name: true } },
  version: { select: { version: true } },
  environment: { select: { name: true } },
} as const;

type Row = Prisma.ReleaseGetPayload<{ include: typeof INCLUDE }>;

function item(row: Row, emails: Map<string, string>) {
  return {
    id: row.id,
    model: row.model.name,
    version: row.version.version,
    environment: row.environment.name,
    status: row.status,
    isRollback: row.isRollback,
    requestedBy: emails.get(row.requestedById) ?? null,
    requestedAt: row.requestedAt.toISOString(),
    liveAt: row.liveAt?.toISOString() ?? null,
    endedAt: row.endedAt?.toISOString() ?? null,
  };
}

export type HomeRelease = ReturnType<typeof item>;

/**
 * What waits for this user, by what their roles let them do: releases awaiting their review
 * (reviewers), their open requests and latest releases (engineers), and what went live
 * lately (everyone who reads releases). A list is null when the user's roles do not cover it.
 */
export async function getHomeSummary(actor: Actor) {
  const reads = can(actor.roles, 'releases:read');
  const reviews = can(actor.roles, 'releases:review');
  const requests = can(actor.roles, 'releases:request');
  const [awaiting, awaitingCount, mine, myRecent, wentLive] = await Promise.all([
    reviews ? db().release.findMany({ where: awaitingReviewWhere(actor), orderBy: { requestedAt: 'asc' }, take: LIST_LIMIT, include: INCLUDE }) : null,
    reviews ? countPendingReviews(actor) : 0,
    requests
      ? db().release.findMany({ where: { requestedById: actor.id, status: { in: OPEN } }, orderBy: { requestedAt: 'desc' }, take: LIST_LIMIT, include: INCLUDE })
      : null,
    requests
      ? db().release.findMany({
          where: { requestedById: actor.id, status: { notIn: OPEN }, isRollback: false },
          orderBy: { requestedAt: 'desc' },
          take: 5,
          include: INCLUDE,
        })
      : null,
    reads ? db().release.findMany({ where: { liveAt: { not: null } }, orderBy: { liveAt: 'desc' }, take: LIST_LIMIT, include: INCLUDE }) : null,
  ]);
  const requesterIds = new Set([...(awaiting ?? []), ...(wentLive ?? [])].map((r) => r.requestedById));
  const people = await db().user.findMany({ where: { id: { in: [...requesterIds] } }, select: { id: true, email: true } });
  const emails = new Map(people.map((p) => [p.id, p.email]));
  const list = (rows: Row[] | null) => (rows ? rows.map((row) => item(row, emails)) : null);
  return {
    awaitingReview: list(awaiting),
    awaitingReviewTotal: awaitingCount,
    myOpenRequests: list(mine),
    myRecentReleases: list(myRecent),
    wentLive: list(wentLive),
  };
}
