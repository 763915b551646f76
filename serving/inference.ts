/**
 * One inference request: route (or pin) to a version, validate against its graph, run,
 * answer; count it in the version's stats and metrics; mirror it to the shadow afterwards.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type * as ort from 'onnxruntime-node';
import type { Logger } from 'pino';
import type { Metrics } from './metrics';
import { InferenceInputError, parseInferRequest, toOipTensor } from './oip';
import type { ModelEntry, ModelVersion, Registry } from './registry';
import { reportRecords } from './report-records';
import type { Reporter } from './reporter';
import type { Task } from './state-store';

export interface InferenceDeps {
  registry: Registry;
  metrics: Metrics;
  logger: Logger;
  /** Absent when MODEL_SERVER_REPORT_URL is not set. */
  reporter?: Reporter | null;
}

export interface Answer {
  status: number;
  body: unknown;
}

function error(status: number, message: string): Answer {
  return { status, body: { error: message } };
}

/** Finds the model and the version that answers (counted in flight), or the error answer. */
export function resolveVersion(registry: Registry, environment: string, model: string, pinned: string | null): { entry: ModelEntry; version: ModelVersion } | Answer {
  const entry = registry.get(environment, model);
  if (!entry) return error(404, `model "${model}" is not served in environment "${environment}".`);
  if (pinned !== null) {
    const version = entry.versions.get(pinned);
    if (!version) return error(404, `version "${pinned}" of model "${model}" is not loaded in environment "${environment}".`);
    if (version.status !== 'ready') return error(503, `version "${pinned}" of model "${model}" is not ready (${version.status}).`);
    version.acquire();
    return { entry, version };
  }
  if (entry.table.routes.length === 0) return error(503, `model "${model}" has no traffic routes in environment "${environment}".`);
  const version = entry.route();
  if (!version) return error(503, `model "${model}" has no traffic routes in environment "${environment}".`);
  if (version.status !== 'ready') {
    version.release();
    return error(503, `version "${version.version}" of model "${model}" is not ready (${version.status}).`);
  }
  return { entry, version };
}

const instruments = new WeakMap<ModelVersion, ReturnType<typeof labelled>>();

function labelled(metrics: Metrics, labels: { environment: string; model: string; version: string }) {
  return { requests: metrics.requests.labels(labels), errors: metrics.errors.labels(labels), latency: metrics.latency.labels(labels) };
}

/** The version's metric series, resolved once rather than hashing the labels on every request. */
function instrumentsOf(metrics: Metrics, version: ModelVersion, labels: { environment: string; model: string; version: string }) {
  let found = instruments.get(version);
  if (!found) {
    found = labelled(metrics, labels);
    instruments.set(version, found);
  }
  return found;
}

export async function infer(deps: InferenceDeps, environment: string, model: string, pinned: string | null, body: unknown): Promise<Answer> {
  const resolved = resolveVersion(deps.registry, environment, model, pinned);
  if ('status' in resolved) return resolved;
  const { entry, version } = resolved;
  const shadow = pinned === null ? entry.table.shadow : null;
  const mirror = shadow !== null && shadow.version.status === 'ready' && Math.random() * 100 < shadow.percent ? shadow.version : null;
  // Taken now, with the routing decision, so an unload of the shadow waits for this copy too.
  mirror?.acquire();

  const labels = { environment, model, version: version.version };
  const timestamp = new Date().toISOString();
  const started = performance.now();
  let answer: Answer;
  let parsed: ReturnType<typeof parseInferRequest> | null = null;
  let result: ort.InferenceSession.ReturnType | null = null;
  try {
    parsed = parseInferRequest(body, version.inputs, version.outputs);
    // Every output is computed and the selection applied here: onnxruntime-node 1.23 returns a
    // subset of fetches under the wrong names (label data keyed "probability"), and the shadow
    // comparison needs all outputs anyway.
    // With reporting on, every answer carries the record id its labels must be sent with.
    if (parsed.id === undefined && deps.reporter) parsed.id = randomUUID();
    result = await version.session!.run(parsed.feeds);
    const names = parsed.outputs ?? version.outputs.map((o) => o.name).filter((name) => result![name]);
    answer = {
      status: 200,
      body: {
        model_name: model,
        model_version: version.version,
        ...(parsed.id !== undefined ? { id: parsed.id } : {}),
        outputs: names.map((name) => toOipTensor(name, result![name] as ort.Tensor)),
      },
    };
  } catch (caught) {
    if (caught instanceof InferenceInputError) answer = error(400, caught.message);
    else {
      deps.logger.error({ err: caught, ...labels }, 'inference failed');
      answer = error(500, `inference failed: ${(caught as Error).message}`);
    }
  } finally {
    version.release();
  }
  const elapsedMs = performance.now() - started;
  const failed = answer.status !== 200;
  version.served.record(elapsedMs, failed);
  const series = instrumentsOf(deps.metrics, version, labels);
  series.requests.inc();
  if (failed) series.errors.inc();
  else series.latency.observe(elapsedMs / 1000);
  if (deps.reporter) {
    const error = failed ? String((answer.body as { error?: unknown }).error ?? `HTTP ${answer.status}`) : undefined;
    // A request refused before parsing still names its id when it gave a valid one.
    const rawId = typeof body === 'object' && body !== null && 'id' in body && typeof body.id === 'string' ? body.id : undefined;
    const records = reportRecords(version, { id: parsed?.id ?? rawId, timestamp, latencyMs: elapsedMs, feeds: parsed?.feeds ?? null, result, error });
    deps.reporter.add(environment, model, version.version, records);
  }

  if (mirror) {
    if (failed || !parsed || !result) mirror.release();
    else void runShadow(deps, environment, model, version, mirror, parsed.feeds, result, parsed.id, timestamp);
  }
  return answer;
}

async function runShadow(
  deps: InferenceDeps,
  environment: string,
  model: string,
  answered: ModelVersion,
  shadow: ModelVersion,
  feeds: Record<string, ort.Tensor>,
  answeredResult: ort.InferenceSession.ReturnType,
  id: string | undefined,
  timestamp: string,
): Promise<void> {
  const labels = { environment, model, version: shadow.version };
  const started = performance.now();
  try {
    const result = await shadow.session!.run(feeds);
    const elapsedMs = performance.now() - started;
    shadow.shadowed.record(elapsedMs, false);
    if (deps.reporter) {
      // The dashboard stores an id once per model: the shadow's copy gets its own id, so the
      // label sent for the answered prediction does not join it.
      const records = reportRecords(shadow, { id: id === undefined ? undefined : `${id}~shadow`, timestamp, latencyMs: elapsedMs, feeds, result });
      deps.reporter.add(environment, model, shadow.version, records);
    }
    shadow.shadowed.recordComparison(compareOutputs(shadow.task, answered, answeredResult, shadow, result));
    deps.metrics.shadowRequests.inc({ ...labels, outcome: 'ok' });
  } catch (caught) {
    shadow.shadowed.record(performance.now() - started, true);
    deps.metrics.shadowRequests.inc({ ...labels, outcome: 'error' });
    deps.logger.warn({ err: caught, ...labels }, 'shadow inference failed');
  } finally {
    shadow.release();
  }
}

function numbers(tensor: ort.Tensor | undefined): number[] {
  if (!tensor) return [];
  return Array.from(tensor.data as ArrayLike<number | bigint | boolean>, (v) => Number(v));
}

/** Predicted class per row: the `label` output if the graph has one, else argmax (or ≥ 0.5 for one column) of the first output. */
function classes(version: ModelVersion, result: ort.InferenceSession.ReturnType): number[] {
  if (result.label) return numbers(result.label as ort.Tensor);
  const first = result[version.outputs[0]?.name ?? ''] as ort.Tensor | undefined;
  if (!first) return [];
  const values = numbers(first);
  const width = first.dims.length > 1 ? Number(first.dims[first.dims.length - 1]) : 1;
  if (width <= 1) return values.map((v) => (v >= 0.5 ? 1 : 0));
  const out: number[] = [];
  for (let row = 0; row + width <= values.length; row += width) {
    let best = row;
    for (let i = row + 1; i < row + width; i++) if (values[i]! > values[best]!) best = i;
    out.push(best - row);
  }
  return out;
}

export function compareOutputs(
  task: Task,
  answered: ModelVersion,
  answeredResult: ort.InferenceSession.ReturnType,
  shadow: ModelVersion,
  shadowResult: ort.InferenceSession.ReturnType,
): { compared: number; agreed?: number; absDiffSum?: number; absDiffCount?: number } {
  if (task === 'classification') {
    const a = classes(answered, answeredResult);
    const b = classes(shadow, shadowResult);
    const n = Math.min(a.length, b.length);
    let agreed = 0;
    for (let i = 0; i < n; i++) if (a[i] === b[i]) agreed += 1;
    return { compared: n, agreed };
  }
  const a = numbers(answeredResult[answered.outputs[0]?.name ?? ''] as ort.Tensor | undefined);
  const b = numbers(shadowResult[shadow.outputs[0]?.name ?? ''] as ort.Tensor | undefined);
  const n = Math.min(a.length, b.length);
  if (task === 'regression') {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.abs(a[i]! - b[i]!);
    return { compared: n, absDiffSum: sum, absDiffCount: n };
  }
  return { compared: n };
}
