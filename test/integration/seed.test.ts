import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { recordAudit } from '@/lib/server/audit/record-audit';
import { verifyAuditChain } from '@/lib/server/audit/verify-audit-chain';
import { seedDemo } from '@/prisma/seed/demo';

const DAY = 86_400_000;

// The seed uploads the demo artifacts; keep them out of the working tree's data directory.
let artifactDir: string;
beforeAll(async () => {
  artifactDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-seed-artifacts-'));
  process.env.ARTIFACT_DIR = artifactDir;
});
afterAll(() => rm(artifactDir, { recursive: true, force: true }));

describe('the demo seed', () => {
  it('lays down weeks of history in time order, with the audit chain intact, and runs only once', async () => {
    const seeded = await seedDemo();
    expect(seeded.models).toBe(5);

    const releases = await db().release.findMany({ orderBy: { requestedAt: 'asc' } });
    const now = Date.now();
    const oldest = releases[0]!.requestedAt.getTime();
    const newest = releases.at(-1)!.requestedAt.getTime();
    expect(now - oldest).toBeGreaterThan(28 * DAY);
    expect(newest - oldest).toBeGreaterThan(21 * DAY);
    // Spread out, not bunched: releases fall on many different days.
    expect(new Set(releases.map((r) => r.requestedAt.toISOString().slice(0, 10))).size).toBeGreaterThan(10);
    // The history happened in office hours (weekdays, 09:00–18:00 UTC), like a real team's.
    for (const release of releases.filter((r) => r.status !== 'pending_approval')) {
      expect(release.requestedAt.getUTCDay() % 6, release.requestedAt.toISOString()).not.toBe(0);
      expect(release.requestedAt.getUTCHours()).toBeGreaterThanOrEqual(9);
      expect(release.requestedAt.getUTCHours()).toBeLessThan(18);
    }
    for (const release of releases) {
      if (release.liveAt) expect(release.liveAt.getTime()).toBeGreaterThanOrEqual(release.requestedAt.getTime());
      if (release.approvedAt) expect(release.approvedAt.getTime()).toBeGreaterThanOrEqual(release.requestedAt.getTime());
      expect(release.requestedAt.getTime()).toBeLessThanOrEqual(now);
    }

    // The scenario: churn-predictor v4 waits for production approval, a few hours old, with
    // its evidence against v3 (live in production).
    const pending = await db().release.findFirstOrThrow({
      where: { status: 'pending_approval' },
      include: { model: true, version: true, environment: true, evidence: true },
    });
    expect([pending.model.name, pending.version.version, pending.environment.name]).toEqual(['churn-predictor', 4, 'production']);
    expect(now - pending.requestedAt.getTime()).toBeLessThan(DAY);
    expect(pending.evidence.map((e) => [e.kind, e.baselineVersion])).toEqual([['request', 3]]);

    // The chain verifies, and its order is the timeline's.
    expect(await verifyAuditChain()).toMatchObject({ valid: true });
    const entries = await db().auditEntry.findMany({ orderBy: { seq: 'asc' }, select: { at: true, action: true } });
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.at.getTime()).toBeGreaterThanOrEqual(entries[i - 1]!.at.getTime());
    expect(now - entries[0]!.at.getTime()).toBeGreaterThan(35 * DAY);
    expect(entries.filter((e) => e.action === 'release.live').length).toBeGreaterThan(15);

    const again = await seedDemo();
    expect(again).toMatchObject({ created: 0, models: 0 });
    expect(await db().auditEntry.count()).toBe(entries.length);
  });

  it('refuses a backdated audit entry that would come before the last one', async () => {
    const last = await db().auditEntry.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    await expect(
      db().$transaction((tx) =>
        recordAudit(tx, { actor: null, action: 'test.backdate', targetType: 'test', at: new Date(last.at.getTime() - DAY) }),
      ),
    ).rejects.toThrow(/time order/);
    expect(await verifyAuditChain()).toMatchObject({ valid: true });
  });
});
