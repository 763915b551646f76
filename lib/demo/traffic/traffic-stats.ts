/** Counters behind the status line: totals since start, latency percentile per status interval. */
export class TrafficStats {
  sent = 0;
  ok = 0;
  errors = 0;
  private window: number[] = [];
  private lastError: string | null = null;
  readonly perModel = new Map<string, number>();

  recordSent(model: string): void {
    this.sent++;
    this.perModel.set(model, (this.perModel.get(model) ?? 0) + 1);
  }

  recordResult(result: { ok: boolean; latencyMs: number; error?: string }): void {
    if (result.ok) {
      this.ok++;
      this.window.push(result.latencyMs);
    } else {
      this.errors++;
      this.lastError = result.error ?? 'error';
    }
  }

  /** One line with the totals and the p95 latency of the answers since the previous line. */
  statusLine(elapsedSeconds: number): string {
    const p95 = percentile(this.window, 0.95);
    const models = [...this.perModel].map(([model, count]) => `${model} ${count}`).join(', ');
    const parts = [
      `${elapsedSeconds.toFixed(0).padStart(4)}s`,
      `sent ${this.sent}`,
      `ok ${this.ok}`,
      `errors ${this.errors}`,
      `p95 ${p95 === null ? '–' : `${p95.toFixed(1)} ms`}`,
      models ? `(${models})` : '(no live demo model)',
    ];
    if (this.lastError) parts.push(`last error: ${this.lastError}`);
    this.window = [];
    this.lastError = null;
    return parts.join('  ');
  }
}

/** Nearest-rank percentile; null for no values. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
