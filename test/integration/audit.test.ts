import { describe, expect, it } from 'vitest';
import { GET as exportAudit } from '@/app/api/v1/audit/export/route';
import { GET as listAudit } from '@/app/api/v1/audit/route';
import { GET as verifyAudit } from '@/app/api/v1/audit/verify/route';
import { db } from '@/lib/db';
import { verifyAuditChain } from '@/lib/server/audit/verify-audit-chain';
import { createUser } from '@/lib/server/users/create-user';
import { call, createTestUser, rawQuery } from '../helpers';


describe('audit log', () => {
  it('chains entries written by concurrent mutations without gaps or forks', async () => {
    const before = await db().auditEntry.count();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        createUser({ input: { email: `concurrent-${i}@test.example`, name: `C${i}`, roles: ['viewer'], password: 'long enough pass' }, actor: null }),
      ),
    );
    const entries = await db().auditEntry.findMany({ orderBy: { seq: 'asc' } });
    expect(entries).toHaveLength(before + 20);
    entries.forEach((entry, i) => {
      expect(entry.seq).toBe(BigInt(i + 1));
      expect(entry.prevHash).toBe(i === 0 ? '' : entries[i - 1]!.hash);
    });
    expect(await verifyAuditChain()).toEqual({ valid: true, entries: before + 20 });
  });

  it('is refused UPDATE, DELETE and TRUNCATE by the database itself', async () => {
    await createTestUser(['viewer']);
    await expect(rawQuery(`UPDATE audit_entries SET action = 'forged'`)).rejects.toThrow(/append-only: UPDATE/);
    await expect(rawQuery(`DELETE FROM audit_entries`)).rejects.toThrow(/append-only: DELETE/);
    await expect(rawQuery(`TRUNCATE audit_entries`)).rejects.toThrow(/append-only: TRUNCATE/);
    expect((await verifyAuditChain()).valid).toBe(true);
  });

  it('lists with filters and keyset paging, verifies and exports over REST for audit readers only', async () => {
    const manager = await createTestUser(['manager']);
    const viewer = await createTestUser(['viewer']);
    await createTestUser(['engineer'], { email: 'filter-target@test.example' });

    const forbidden = await call(listAudit, { path: '/api/v1/audit', token: viewer.token });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('content-type')).toBe('application/problem+json');

    const firstPage = await call(listAudit, { path: '/api/v1/audit?action=user.&limit=2', token: manager.token });
    expect(firstPage.status).toBe(200);
    expect(firstPage.body.items).toHaveLength(2);
    expect(firstPage.body.items.every((e: { action: string }) => e.action.startsWith('user.'))).toBe(true);
    const secondPage = await call(listAudit, {
      path: `/api/v1/audit?action=user.&limit=2&cursor=${firstPage.body.nextCursor}`,
      token: manager.token,
    });
    expect(BigInt(secondPage.body.items[0].seq)).toBeLessThan(BigInt(firstPage.body.items[1].seq));

    const filtered = await call(listAudit, { path: '/api/v1/audit?targetType=user&action=user.create', token: manager.token });
    expect(filtered.body.items.some((e: { after: { email?: string } }) => e.after.email === 'filter-target@test.example')).toBe(true);

    const badDate = await call(listAudit, { path: '/api/v1/audit?from=yesterday', token: manager.token });
    expect(badDate.status).toBe(422);
    expect(badDate.body.errors.from[0]).toMatch(/ISO 8601/);
    const badCursor = await call(listAudit, { path: '/api/v1/audit?cursor=abc', token: manager.token });
    expect(badCursor.status).toBe(400);

    const verified = await call(verifyAudit, { path: '/api/v1/audit/verify', token: manager.token });
    expect(verified.body).toEqual({ valid: true, entries: await db().auditEntry.count() });

    const csv = await call(exportAudit, { path: '/api/v1/audit/export?action=user.create', token: manager.token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('seq,at,actorEmail,action,targetType,targetId,before,after,requestId,hash');
    expect(lines.length - 1).toBe(await db().auditEntry.count({ where: { action: 'user.create' } }));
    expect(csv.text).toContain('filter-target@test.example');
  });
});
