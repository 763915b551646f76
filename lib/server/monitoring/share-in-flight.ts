import 'server-only';

const inFlight = new Map<string, Promise<unknown>>();

/**
 * Identical chart reads that arrive while one is running share its answer instead of each
 * summing the same rollups again: managers on the same range send the same query (the UI rounds
 * windows to the minute), and a long range takes the database a while. Nothing is kept after
 * the read completes, so no answer is older than the request that joins it.
 */
export function shareInFlight<T>(key: string, read: () => Promise<T>): Promise<T> {
  const running = inFlight.get(key);
  if (running) return running as Promise<T>;
  const promise = read().finally(() => inFlight.delete(key));
  inFlight.set(key, promise);
  return promise;
}
