import { setTimeout as delay } from 'node:timers/promises';
import type { TrafficTarget } from './discover-targets';
import { buildInferRequest, errorText, readInferResponse, type InferResult } from './infer';
import type { TrafficOptions } from './options';
import { Pacer } from './pacer';
import { TrafficStats } from './traffic-stats';

/**
 * One answered (or failed) request with the ground truth of its rows. Listeners receive it
 * once the answer is in; sending the delayed labels to the ingestion API is such a listener.
 */
export interface PredictionEvent {
  id: string;
  model: string;
  environment: string;
  sentAt: Date;
  rows: number[][];
  truths: number[];
  latencyMs: number;
  ok: boolean;
  /** HTTP status, or null when no answer came (connection refused, timeout). */
  status: number | null;
  error?: string;
  result?: InferResult;
}

export interface RunTrafficDeps {
  /** The targets to send to right now; read before every request, so discovery can refresh them. */
  targets: () => readonly TrafficTarget[];
  fetch: typeof fetch;
  now?: () => number;
  /** Stops the run; in-flight requests still finish. */
  signal?: AbortSignal;
  onStatus: (line: string) => void;
  onPrediction?: (event: PredictionEvent) => void;
  /** Prefix of request ids, unique per run so that labels can later be joined to predictions. */
  runId: string;
}

export interface TrafficSummary {
  sent: number;
  ok: number;
  errors: number;
}

const REQUEST_TIMEOUT_MS = 10_000;
/** Beyond this many unanswered requests the sender waits, rather than piling up sockets on a stalled server. */
const MAX_IN_FLIGHT = 256;

async function sendOne(target: TrafficTarget, id: string, batch: number, fetchFn: typeof fetch, now: () => number): Promise<PredictionEvent> {
  const drawn = Array.from({ length: batch }, () => target.next());
  const rows = drawn.map((d) => d.features);
  const event: PredictionEvent = { id, model: target.model, environment: target.environment, sentAt: new Date(), rows, truths: drawn.map((d) => d.truth), latencyMs: 0, ok: false, status: null };
  const started = now();
  try {
    const response = await fetchFn(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(buildInferRequest(id, rows)),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    event.latencyMs = now() - started;
    event.status = response.status;
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    if (!response.ok) {
      event.error = errorText(response.status, body);
      return event;
    }
    event.result = readInferResponse(body);
    event.ok = true;
  } catch (error) {
    event.latencyMs = now() - started;
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    event.error = `${error instanceof Error ? error.message : String(error)}${cause}`;
  }
  return event;
}

/**
 * Sends requests at `rate` per second in total, round-robin over the targets, until the
 * duration, the request count or the abort signal ends the run; prints a status line every
 * `statusEverySeconds` and a last one at the end.
 */
export async function runTraffic(
  options: Pick<TrafficOptions, 'rate' | 'batch' | 'durationSeconds' | 'maxRequests' | 'statusEverySeconds'>,
  deps: RunTrafficDeps,
): Promise<TrafficSummary> {
  const now = deps.now ?? (() => performance.now());
  const start = now();
  const end = options.durationSeconds === null ? Infinity : start + options.durationSeconds * 1000;
  const pacer = new Pacer(options.rate, start);
  const stats = new TrafficStats();
  const inFlight = new Set<Promise<void>>();
  let nextStatus = start + options.statusEverySeconds * 1000;
  let sequence = 0;
  let turn = 0;

  const status = () => deps.onStatus(stats.statusLine((now() - start) / 1000));
  while (!deps.signal?.aborted && (options.maxRequests === null || sequence < options.maxRequests)) {
    const current = now();
    if (current >= end) break;
    if (current >= nextStatus) {
      status();
      // After a stall, one line, then back on the 5 s grid.
      while (nextStatus <= current) nextStatus += options.statusEverySeconds * 1000;
    }
    const due = pacer.nextDue(current);
    if (due > current) {
      await delay(Math.min(due, end, nextStatus) - current, undefined, { signal: deps.signal }).catch(() => undefined);
      continue;
    }
    pacer.advance();
    const targets = deps.targets();
    if (targets.length === 0) continue;
    const target = targets[turn++ % targets.length]!;
    const id = `${deps.runId}-${++sequence}`;
    stats.recordSent(target.model);
    const request = sendOne(target, id, options.batch, deps.fetch, now).then((event) => {
      stats.recordResult(event);
      try {
        deps.onPrediction?.(event);
      } catch (error) {
        // A failing listener (e.g. a label sender) must not stop the traffic or crash the process.
        deps.onStatus(`listener failed for ${event.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    const tracked = request.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.allSettled(inFlight);
  status();
  return { sent: stats.sent, ok: stats.ok, errors: stats.errors };
}
