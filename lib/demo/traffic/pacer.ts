/**
 * Paces sends at a fixed rate on an absolute schedule (start + n / rate), so rounding and
 * slow iterations do not make the rate drift. When the sender falls far behind (a stalled
 * event loop, a laptop lid), the schedule restarts from now instead of bursting the backlog
 * at the server.
 */
export class Pacer {
  private readonly intervalMs: number;
  private anchor: number;
  private sent = 0;

  constructor(
    ratePerSecond: number,
    startMs: number,
    private readonly maxLagMs = 1000,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`Rate must be positive, got ${ratePerSecond}.`);
    this.intervalMs = 1000 / ratePerSecond;
    this.anchor = startMs;
  }

  /** When the next send is due (ms, same clock as `now`). */
  nextDue(now: number): number {
    const due = this.anchor + this.sent * this.intervalMs;
    if (now - due > this.maxLagMs) {
      this.anchor = now;
      this.sent = 0;
      return now;
    }
    return due;
  }

  /** Records that the due send went out. */
  advance(): void {
    this.sent++;
  }
}
