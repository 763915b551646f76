/**
 * Reports every prediction to the dashboard's ingestion API (POST /api/v1/predictions) from a
 * bounded in-memory buffer. Inference only appends to the buffer: it never waits on the
 * network, and when the buffer is full the records are dropped and counted rather than
 * slowing predictions down or growing memory without bound.
 */
import type { Logger } from 'pino';
import type { Metrics } from './metrics';

export interface ReporterSettings {
  /** Dashboard base URL, without a trailing slash. */
  url: string;
  token: string | null;
  /** Records held at most (queued and awaiting a retry together). */
  bufferSize: number;
  intervalMs: number;
  /** Records per POST; reaching it triggers a flush before the interval. */
  batchSize: number;
}

export interface ReportRecord {
  id: string;
  timestamp: string;
  features: Record<string, number | string | null>;
  prediction: number | string;
  latencyMs: number;
  error?: string;
}

interface Batch {
  environment: string;
  model: string;
  version: string;
  records: ReportRecord[];
}

export interface ReportingStatus {
  enabled: boolean;
  url: string | null;
  buffered: number;
  capacity: number;
  sent: number;
  dropped: number;
  rejected: number;
  failedAttempts: number;
  lastError: string | null;
  /** When the counters started (the server's start): "N dropped since …". */
  since: string;
}

const MAX_BACKOFF_MS = 30_000;

export class Reporter {
  private readonly open = new Map<string, Batch>();
  /** Full batches waiting for their POST, oldest first; a failed batch goes back to the front. */
  private readonly ready: Batch[] = [];
  private held = 0;
  private sent = 0;
  private dropped = 0;
  private rejected = 0;
  private failedAttempts = 0;
  private lastError: string | null = null;
  private readonly since = new Date().toISOString();
  private backoffMs = 0;
  private retryAt = 0;
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly settings: ReporterSettings,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.settings.intervalMs);
    // Reporting alone must not keep the process alive.
    this.timer.unref();
  }

  /** Queues records of one answer; those beyond the buffer's capacity are dropped and counted. */
  add(environment: string, model: string, version: string, records: readonly ReportRecord[]): void {
    const room = Math.max(0, this.settings.bufferSize - this.held);
    const kept = records.length <= room ? records : records.slice(0, room);
    const lost = records.length - kept.length;
    if (lost > 0) {
      this.dropped += lost;
      this.metrics.reportsDropped.inc(lost);
    }
    if (kept.length === 0) return;
    const key = `${environment}\u0000${model}\u0000${version}`;
    let batch = this.open.get(key);
    for (const record of kept) {
      if (!batch) {
        batch = { environment, model, version, records: [] };
        this.open.set(key, batch);
      }
      batch.records.push(record);
      this.held += 1;
      if (batch.records.length >= this.settings.batchSize) {
        this.ready.push(batch);
        this.open.delete(key);
        batch = undefined;
      }
    }
    if (this.ready.length > 0) setImmediate(() => void this.flush());
  }

  status(): ReportingStatus {
    return {
      enabled: true,
      url: this.settings.url,
      buffered: this.held,
      capacity: this.settings.bufferSize,
      sent: this.sent,
      dropped: this.dropped,
      rejected: this.rejected,
      failedAttempts: this.failedAttempts,
      lastError: this.lastError,
      since: this.since,
    };
  }

  /** Sends every held batch once (one flush at a time); stops at the first retryable failure. */
  flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.sendHeld().finally(() => {
        this.flushing = null;
      });
    }
    return this.flushing;
  }

  /** Stops the timer and makes one last attempt to deliver what is held. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.retryAt = 0;
    await this.flush();
  }

  private async sendHeld(): Promise<void> {
    if (Date.now() < this.retryAt) return;
    this.ready.push(...this.open.values());
    this.open.clear();
    while (this.ready.length > 0) {
      const batch = this.ready[0]!;
      const outcome = await this.post(batch);
      if (outcome === 'retry') {
        this.failedAttempts += 1;
        this.backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(this.settings.intervalMs, this.backoffMs * 2));
        this.retryAt = Date.now() + this.backoffMs;
        return;
      }
      this.ready.shift();
      this.held -= batch.records.length;
      if (outcome === 'sent') {
        this.sent += batch.records.length;
        this.backoffMs = 0;
        this.metrics.reportsSent.inc(batch.records.length);
      } else {
        this.rejected += batch.records.length;
        this.metrics.reportsRejected.inc(batch.records.length);
      }
    }
  }

  private async post(batch: Batch): Promise<'sent' | 'rejected' | 'retry'> {
    // Only whole-number versions are registry versions; any other name is left to the dashboard to resolve.
    const version = /^[1-9]\d{0,8}$/.test(batch.version) ? Number(batch.version) : undefined;
    const body = JSON.stringify({ model: batch.model, environment: batch.environment, ...(version ? { version } : {}), records: batch.records });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.settings.token) headers.authorization = `Bearer ${this.settings.token}`;
    let response: Response;
    try {
      response = await this.fetchFn(`${this.settings.url}/api/v1/predictions`, { method: 'POST', headers, body, signal: AbortSignal.timeout(30_000) });
    } catch (caught) {
      this.lastError = `network: ${(caught as Error).message}`;
      return 'retry';
    }
    const text = await response.text().catch(() => '');
    if (response.ok) return 'sent';
    this.lastError = `${response.status} ${text.slice(0, 500)}`;
    // 408 and 429 are worth another try; any other 4xx would be refused again.
    if (response.status >= 500 || response.status === 408 || response.status === 429) return 'retry';
    this.logger.warn({ status: response.status, model: batch.model, environment: batch.environment, version: batch.version, records: batch.records.length, body: text.slice(0, 500) }, 'prediction report refused');
    return 'rejected';
  }
}
