import { db } from '@/lib/db';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** How far back the demo's history reaches. */
export const HISTORY_DAYS = 42;

/**
 * The span the demo's history is laid out in: the last six weeks, ending a few hours ago,
 * but never before the audit log's last entry — the chain's order is its timeline, so
 * backdated entries may only follow what is already recorded.
 */
export async function historyWindow(now = new Date()): Promise<{ start: Date; end: Date }> {
  const last = await db().auditEntry.findFirst({ orderBy: { seq: 'desc' }, select: { at: true } });
  const earliest = now.getTime() - HISTORY_DAYS * DAY;
  const start = Math.max(earliest, (last?.at.getTime() ?? 0) + 1000);
  const end = Math.max(start, now.getTime() - 4 * HOUR);
  return { start: new Date(start), end: new Date(end) };
}

/** A small deterministic generator (mulberry32): the same demo history on every machine. */
export function jitter(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export { DAY, HOUR };
