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

const WORK_START_HOUR = 9;
const WORK_END_HOUR = 18;

/** The working part (Monday–Friday, 09:00–18:00 UTC) of the day that contains `t`, or null on a weekend. */
function workingSpanOfDay(t: number): [number, number] | null {
  const day = new Date(t);
  const weekday = day.getUTCDay();
  if (weekday === 0 || weekday === 6) return null;
  const midnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  return [midnight + WORK_START_HOUR * HOUR, midnight + WORK_END_HOUR * HOUR];
}

/** Working time between two instants, in ms. */
export function workingTimeBetween(from: Date, to: Date): number {
  let total = 0;
  for (let day = from.getTime() - (from.getTime() % DAY); day < to.getTime(); day += DAY) {
    const span = workingSpanOfDay(day);
    if (span) total += Math.max(0, Math.min(span[1], to.getTime()) - Math.max(span[0], from.getTime()));
  }
  return total;
}

/**
 * The instant `amount` ms of working time after `from`: a history laid out in working time
 * lands in office hours, and the mapping keeps its order.
 */
export function afterWorkingTime(from: Date, amount: number): Date {
  let left = amount;
  for (let day = from.getTime() - (from.getTime() % DAY); ; day += DAY) {
    const span = workingSpanOfDay(day);
    if (!span) continue;
    const begin = Math.max(span[0], from.getTime());
    const available = span[1] - begin;
    if (available > 0 && left <= available) return new Date(begin + left);
    left -= Math.max(0, available);
  }
}

export { DAY, HOUR };
