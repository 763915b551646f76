import { recordId, rowId } from '../../../serving/report-records';
import type { PredictionEvent } from './run-traffic';

/** Labels per POST /api/v1/labels (the API takes up to 10,000). */
const BATCH = 1000;
/** Labels waiting at most; beyond it (a dashboard down for long) new ones are not scheduled. */
const MAX_PENDING = 200_000;

export interface LabelSenderOptions {
  /** Dashboard base URL, without a trailing slash. */
  dashboard: string;
  token: string;
  delayMs: number;
  /** Share of answered rows that get a label, 0–1. */
  share: number;
}

export interface LabelSenderDeps {
  fetch: typeof fetch;
  /** Milliseconds, any epoch (only differences are used). */
  now: () => number;
  random: () => number;
}

interface Pending {
  dueAt: number;
  model: string;
  id: string;
  label: number;
}

/**
 * Ground truth arrives later than predictions in real systems: each answered row's label is
 * held for `delayMs`, then sent to the dashboard's POST /api/v1/labels, batched per model, with
 * the record id the model server reported the prediction under (the answer's `id`; `#k` for row k > 0).
 */
export class LabelSender {
  private pending: Pending[] = [];
  private sending: Promise<void> | null = null;
  sent = 0;
  skipped = 0;
  failures = 0;
  lastError: string | null = null;

  constructor(
    private readonly options: LabelSenderOptions,
    private readonly deps: LabelSenderDeps,
  ) {}

  get waiting(): number {
    return this.pending.length;
  }

  /** Holds the labels of an answered request until they are due; failed requests have no prediction to label. */
  schedule(event: PredictionEvent): void {
    if (!event.ok || !event.result) return;
    const id = event.result.id ?? event.id;
    const dueAt = this.deps.now() + this.options.delayMs;
    event.truths.forEach((truth, row) => {
      if (this.options.share < 1 && this.deps.random() >= this.options.share) return;
      if (this.pending.length >= MAX_PENDING) {
        this.skipped += 1;
        return;
      }
      // Events arrive in answer order, so with one delay `pending` stays sorted by dueAt.
      this.pending.push({ dueAt, model: event.model, id: rowId(recordId(id), row), label: truth });
    });
  }

  /** Sends every label that is due (one send at a time); those of a failed POST are tried again next time. */
  flush(): Promise<void> {
    if (!this.sending) {
      this.sending = this.sendDue().finally(() => {
        this.sending = null;
      });
    }
    return this.sending;
  }

  /** When the last held label is due, or null when none is held. */
  lastDueAt(): number | null {
    return this.pending.at(-1)?.dueAt ?? null;
  }

  private async sendDue(): Promise<void> {
    const now = this.deps.now();
    let count = 0;
    while (count < this.pending.length && this.pending[count]!.dueAt <= now) count += 1;
    if (count === 0) return;
    const due = this.pending.slice(0, count);
    const byModel = new Map<string, Pending[]>();
    for (const item of due) {
      const list = byModel.get(item.model) ?? [];
      list.push(item);
      byModel.set(item.model, list);
    }
    const retry: Pending[] = [];
    for (const [model, items] of byModel) {
      for (let start = 0; start < items.length; start += BATCH) {
        const chunk = items.slice(start, start + BATCH);
        const outcome = await this.post(model, chunk);
        if (outcome === 'sent') this.sent += chunk.length;
        else if (outcome === 'refused') this.skipped += chunk.length;
        else retry.push(...chunk);
      }
    }
    // Scheduled meanwhile: still after `count` and still sorted.
    this.pending = [...retry, ...this.pending.slice(count)];
  }

  private async post(model: string, items: Pending[]): Promise<'sent' | 'refused' | 'retry'> {
    try {
      const response = await this.deps.fetch(`${this.options.dashboard}/api/v1/labels`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.token}` },
        body: JSON.stringify({ model, records: items.map((i) => ({ id: i.id, label: i.label })) }),
        signal: AbortSignal.timeout(30_000),
      });
      if (response.ok) {
        await response.body?.cancel();
        return 'sent';
      }
      const text = await response.text().catch(() => '');
      this.lastError = `${response.status} ${text.slice(0, 300)}`;
      // A 4xx would be refused again: those labels are given up rather than retried forever.
      this.failures += 1;
      return response.status < 500 && response.status !== 429 ? 'refused' : 'retry';
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      this.failures += 1;
      return 'retry';
    }
  }
}
