import 'server-only';
import { db } from '@/lib/db';
import { entryHash } from './canonical';

export type ChainVerification =
  | { valid: true; entries: number }
  | { valid: false; entries: number; brokenAt: { seq: string; reason: string } };

const BATCH = 1000;

/**
 * Walks the whole chain in seq order, a batch at a time (constant memory), and reports
 * the first entry whose position, link or content does not match.
 */
export async function verifyAuditChain(): Promise<ChainVerification> {
  let expectedSeq = 1n;
  let prevHash = '';
  let checked = 0;
  for (;;) {
    const batch = await db().auditEntry.findMany({
      where: { seq: { gte: expectedSeq } },
      orderBy: { seq: 'asc' },
      take: BATCH,
    });
    for (const entry of batch) {
      const broken = (reason: string): ChainVerification => ({
        valid: false,
        entries: checked,
        brokenAt: { seq: entry.seq.toString(), reason },
      });
      if (entry.seq !== expectedSeq) return broken(`entry ${expectedSeq} is missing`);
      if (entry.prevHash !== prevHash) return broken('its link to the previous entry does not match');
      const recomputed = entryHash(prevHash, entry);
      if (recomputed !== entry.hash) return broken('its content does not match its hash');
      prevHash = entry.hash;
      expectedSeq += 1n;
      checked += 1;
    }
    if (batch.length < BATCH) return { valid: true, entries: checked };
  }
}
