import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { verifyAuditChain } from '@/lib/server/audit/verify-audit-chain';
import { createTestUser, rawQuery } from '../helpers';

// Its own file, hence its own database: this test breaks the chain on purpose.
describe('audit chain verification', () => {
  it('reports the first broken entry when someone with superuser rights edits or deletes history', async () => {
    for (let i = 0; i < 3; i++) await createTestUser(['viewer']);
    const total = await db().auditEntry.count();
    // Only a superuser can switch the guard off; verification must still catch it.
    await rawQuery(`ALTER TABLE audit_entries DISABLE TRIGGER USER`);
    await rawQuery(`UPDATE audit_entries SET after = '{"email":"forged@evil.example"}' WHERE seq = 2`);
    expect(await verifyAuditChain()).toEqual({
      valid: false,
      entries: 1,
      brokenAt: { seq: '2', reason: 'its content does not match its hash' },
    });
    await rawQuery(`DELETE FROM audit_entries WHERE seq = 2`);
    expect(await verifyAuditChain()).toMatchObject({ valid: false, brokenAt: { seq: '3', reason: 'entry 2 is missing' } });
    await rawQuery(`ALTER TABLE audit_entries ENABLE TRIGGER USER`);
    expect(total).toBeGreaterThan(3);
  });

});
