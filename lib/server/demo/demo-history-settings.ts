/** The one demo_history row. */
export const DEMO_HISTORY_ID = 'demo';
export const DEFAULT_DEMO_HISTORY_DAYS = 30;
/** Past the default monitoring retention the records would be refused. */
export const MAX_DEMO_HISTORY_DAYS = 89;

/**
 * MODELDECK_DEMO_HISTORY_DAYS: days of monitoring history a new embedded demo database gets
 * (0 turns it off). Read once, when the demo scenario is first seeded.
 */
export function demoHistoryDays(raw = process.env.MODELDECK_DEMO_HISTORY_DAYS): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_DEMO_HISTORY_DAYS;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 0 || days > MAX_DEMO_HISTORY_DAYS) {
    throw new Error(`MODELDECK_DEMO_HISTORY_DAYS must be a whole number of days from 0 (off) to ${MAX_DEMO_HISTORY_DAYS}, not "${raw}".`);
  }
  return days;
}
