import { quantileSorted } from '@/lib/stats/sample';
import type { DecisionMatrix, DecisionOption, DecisionQuery, ProbeStep, UnitPrices } from '@/lib/validation/decisions';

// Pure: no I/O. lib/server/decisions feeds it the probes, prices and traffic.

export const HOURS_PER_MONTH = 730;
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
/** Batch answers arrive with the next scheduled run: only targets of an hour or more can wait for it. */
export const BATCH_LATENCY_MS = 3_600_000;
/**
 * Assumptions for options that cannot run here, stated with every figure that uses them:
 * KServe serves the same ONNX graph behind one in-cluster ingress hop; streaming adds a
 * broker publish and consume.
 */
export const ASSUMED_HOPS = { kserve: { p50: 1, p95: 3 }, streaming: { p50: 2, p95: 5 } } as const;

export interface ProbeSummary {
  p50Ms: number;
  p95Ms: number;
  /** Answers per second at the highest step whose p95 stayed within the target; 0 when none did. */
  capacityRps: number;
  probeId: string;
  finishedAt: string;
}

/** Latency percentiles of one step's answered requests (linear interpolation, numpy's default). */
export function percentiles(latenciesMs: number[]): { p50Ms: number | null; p95Ms: number | null } {
  if (latenciesMs.length === 0) return { p50Ms: null, p95Ms: null };
  const sorted = Float64Array.from(latenciesMs).sort();
  return { p50Ms: quantileSorted(sorted, 0.5), p95Ms: quantileSorted(sorted, 0.95) };
}

/**
 * What a finished probe says about an option: the latency and throughput at the knee — the
 * highest-rate step whose p95 met the target — or, when even the first step missed it, that
 * step's latency and no usable capacity.
 */
export function summarizeProbe(probe: { id: string; steps: ProbeStep[]; targetP95Ms: number; finishedAt: string }): ProbeSummary | null {
  const answered = probe.steps.filter((step) => step.p50Ms !== null && step.p95Ms !== null);
  if (answered.length === 0) return null;
  const within = answered.filter((step) => step.p95Ms! <= probe.targetP95Ms && step.errors === 0);
  const knee = within.length > 0 ? within.reduce((best, step) => (step.throughput > best.throughput ? step : best)) : answered[0]!;
  return { p50Ms: knee.p50Ms!, p95Ms: knee.p95Ms!, capacityRps: within.length > 0 ? knee.throughput : 0, probeId: probe.id, finishedAt: probe.finishedAt };
}

interface Inputs {
  model: string;
  version: number;
  modelBytes: number | null;
  traffic: DecisionQuery;
  prices: UnitPrices;
  local: ProbeSummary | null;
  edge: ProbeSummary | null;
}

type Figure = DecisionOption['p50Ms'];
const measured = (value: number, note: string): Figure => ({ value, basis: 'measured', note });
const estimated = (value: number | null, note: string): Figure => ({ value, basis: 'estimated', note });
const missing = (note: string): Figure => ({ value: null, basis: 'not_measured', note });

function cost(prices: UnitPrices, parts: { cpuHours: number; storedCopies: number; requests: number }, modelBytes: number | null, basis: string) {
  if (!prices.configured) return null;
  const gb = (modelBytes ?? 0) / 1e9;
  const compute = parts.cpuHours * prices.cpuHour;
  const storage = gb * parts.storedCopies * prices.gbMonth;
  const requests = (parts.requests / 1e6) * prices.perMillionRequests;
  return { total: compute + storage + requests, compute, storage, requests, currency: prices.currency, basis };
}

/** Replicas of one CPU each needed for a rate, at least one. */
const replicasFor = (rps: number, capacity: number) => Math.max(1, Math.ceil(rps / capacity));

export function buildDecisionMatrix(input: Inputs): Omit<DecisionMatrix, 'probes'> {
  const { traffic, prices, local, edge, modelBytes } = input;
  const averageRps = traffic.requestsPerMonth / SECONDS_PER_MONTH;
  const probeNote = (summary: ProbeSummary, where: string) => `load probe ${summary.probeId.slice(0, 8)} on ${where}, ${summary.finishedAt.slice(0, 16).replace('T', ' ')} UTC`;
  const needsProbe = (option: string) => `not measured: run a load probe of ${option}`;
  const meets = (p95: number | null) => (p95 === null ? null : p95 <= traffic.latencyTargetMs);

  const options: DecisionOption[] = [];

  // Local real-time: the reference model server, one process (one CPU) per machine, always on.
  {
    const replicas = local && local.capacityRps > 0 ? replicasFor(traffic.peakRps, local.capacityRps) : null;
    options.push({
      id: 'local_realtime',
      backend: 'local',
      mode: 'real-time (REST, OIP v2)',
      p50Ms: local ? measured(local.p50Ms, probeNote(local, 'the model server')) : missing(needsProbe('local real-time')),
      p95Ms: local ? measured(local.p95Ms, probeNote(local, 'the model server')) : missing(needsProbe('local real-time')),
      throughputRps: local ? measured(local.capacityRps, `per model server process while p95 ≤ ${traffic.latencyTargetMs} ms`) : missing(needsProbe('local real-time')),
      replicas,
      monthlyCost:
        replicas === null
          ? null
          : cost(prices, { cpuHours: replicas * HOURS_PER_MONTH, storedCopies: replicas, requests: traffic.requestsPerMonth }, modelBytes, `${replicas} always-on process(es) sized for the peak of ${traffic.peakRps} req/s`),
      meetsLatency: local ? meets(local.p95Ms) : null,
      residency: 'Requests and predictions stay on the machines you run the model server on.',
      scaling: 'One process per machine, sized for the peak; more machines need a load balancer you run. No autoscaling.',
    });
  }

  // KServe real-time: not runnable here; the local figures plus an assumed ingress hop.
  {
    const hop = ASSUMED_HOPS.kserve;
    const basis = `estimated from the local model server's measured figures + ${hop.p50} ms p50 / ${hop.p95} ms p95 assumed for the cluster's ingress; no cluster runs here`;
    const peak = local && local.capacityRps > 0 ? replicasFor(traffic.peakRps, local.capacityRps) : null;
    const average = local && local.capacityRps > 0 ? replicasFor(averageRps, local.capacityRps) : null;
    options.push({
      id: 'kserve_realtime',
      backend: 'kserve',
      mode: 'real-time (InferenceService)',
      p50Ms: local ? estimated(local.p50Ms + hop.p50, basis) : missing(needsProbe('local real-time (KServe is estimated from it)')),
      p95Ms: local ? estimated(local.p95Ms + hop.p95, basis) : missing(needsProbe('local real-time (KServe is estimated from it)')),
      throughputRps: local ? estimated(local.capacityRps, 'per replica, as the local model server measured') : missing(needsProbe('local real-time')),
      replicas: peak,
      monthlyCost:
        average === null
          ? null
          : cost(prices, { cpuHours: average * HOURS_PER_MONTH, storedCopies: 1, requests: traffic.requestsPerMonth }, modelBytes, `autoscaled: ${average} replica(s) on average for ${averageRps.toFixed(2)} req/s, up to ${peak} at the peak`),
      meetsLatency: local ? meets(local.p95Ms + hop.p95) : null,
      residency: "Requests and predictions stay in the Kubernetes cluster's region.",
      scaling: 'Replicas follow concurrency (Knative autoscaler); scale-to-zero is possible at the price of cold starts.',
    });
  }

  // Batch: files in, files out, on a schedule; priced by the CPU time the rows take.
  {
    const basis = edge ? `estimated: rows per second of one CPU from the in-process measurement (one row per call; batching rows is faster)` : needsProbe('edge (batch throughput is estimated from it)');
    const cpuHours = edge && edge.capacityRps > 0 ? traffic.requestsPerMonth / edge.capacityRps / 3600 : null;
    options.push({
      id: 'batch',
      backend: 'local',
      mode: 'batch (scheduled files)',
      p50Ms: estimated(null, 'answers arrive with the next scheduled run (hours)'),
      p95Ms: estimated(null, 'answers arrive with the next scheduled run (hours)'),
      throughputRps: edge ? estimated(edge.capacityRps, basis) : missing(basis),
      replicas: null,
      monthlyCost: cpuHours === null ? null : cost(prices, { cpuHours, storedCopies: 1, requests: 0 }, modelBytes, `${cpuHours.toFixed(2)} CPU-hours for ${traffic.requestsPerMonth.toLocaleString('en')} rows`),
      meetsLatency: traffic.latencyTargetMs >= BATCH_LATENCY_MS,
      residency: 'Input and output files stay in your artifact store.',
      scaling: 'Throughput grows with the CPUs given to the job; nothing runs between runs.',
    });
  }

  // Streaming: the model server consuming a broker subject; estimated from the local figures.
  {
    const hop = ASSUMED_HOPS.streaming;
    const basis = `estimated from the local model server's measured figures + ${hop.p50} ms p50 / ${hop.p95} ms p95 assumed for the broker's publish and consume`;
    const replicas = local && local.capacityRps > 0 ? replicasFor(traffic.peakRps, local.capacityRps) : null;
    options.push({
      id: 'streaming',
      backend: 'local',
      mode: 'streaming (NATS JetStream)',
      p50Ms: local ? estimated(local.p50Ms + hop.p50, basis) : missing(needsProbe('local real-time (streaming is estimated from it)')),
      p95Ms: local ? estimated(local.p95Ms + hop.p95, basis) : missing(needsProbe('local real-time (streaming is estimated from it)')),
      throughputRps: local ? estimated(local.capacityRps, 'per consumer, as the local model server measured') : missing(needsProbe('local real-time')),
      replicas,
      monthlyCost:
        replicas === null
          ? null
          : cost(prices, { cpuHours: replicas * HOURS_PER_MONTH, storedCopies: replicas, requests: traffic.requestsPerMonth }, modelBytes, `${replicas} always-on consumer(s); broker costs not included`),
      meetsLatency: local ? meets(local.p95Ms + hop.p95) : null,
      residency: 'Messages stay in the broker you run; predictions go back to it.',
      scaling: 'Consumers share a durable subject; a backlog waits in the broker instead of failing requests.',
    });
  }

  // Edge: on the caller's device; no server compute.
  options.push({
    id: 'edge',
    backend: 'edge bundle',
    mode: 'on device (onnxruntime)',
    p50Ms: edge ? measured(edge.p50Ms, `${probeNote(edge, "the dashboard's CPU with onnxruntime-node")}; device CPUs are usually slower`) : missing(needsProbe('edge')),
    p95Ms: edge ? measured(edge.p95Ms, probeNote(edge, "the dashboard's CPU with onnxruntime-node")) : missing(needsProbe('edge')),
    throughputRps: edge ? measured(edge.capacityRps, 'one CPU, one row per call') : missing(needsProbe('edge')),
    replicas: null,
    monthlyCost: cost(prices, { cpuHours: 0, storedCopies: 1, requests: 0 }, modelBytes, 'devices compute; only the bundle is stored'),
    meetsLatency: edge ? meets(edge.p95Ms) : null,
    residency: 'Inputs never leave the device; only reported predictions do, if you send them.',
    scaling: 'Scales with the devices; a new version reaches them only when they download the new bundle.',
  });

  return {
    model: input.model,
    version: input.version,
    modelBytes,
    traffic: { requestsPerMonth: traffic.requestsPerMonth, peakRps: traffic.peakRps, latencyTargetMs: traffic.latencyTargetMs, offline: traffic.offline },
    prices,
    options,
    recommendation: recommend(options, traffic),
  };
}

const LABELS: Record<DecisionOption['id'], string> = {
  local_realtime: 'Local real-time',
  kserve_realtime: 'KServe real-time',
  batch: 'Batch',
  streaming: 'Streaming',
  edge: 'Edge',
};

export const optionLabel = (id: DecisionOption['id']) => LABELS[id];

function recommend(options: DecisionOption[], traffic: DecisionQuery): DecisionMatrix['recommendation'] {
  const byId = Object.fromEntries(options.map((o) => [o.id, o])) as Record<DecisionOption['id'], DecisionOption>;
  if (traffic.offline) {
    const edge = byId.edge;
    const reasons = ['Predictions must work without a network: only a model on the device does that.'];
    if (edge.meetsLatency === false) reasons.push(`Its measured p95 (${edge.p95Ms.value?.toFixed(2)} ms on this server's CPU) misses the ${traffic.latencyTargetMs} ms target: consider a smaller variant or a faster device.`);
    if (edge.meetsLatency === null) reasons.push('Run an edge load probe to check its latency.');
    return { option: 'edge', reasons };
  }
  const reasons: string[] = [];
  const candidates: DecisionOption[] = [];
  for (const option of options) {
    const label = LABELS[option.id];
    if (option.id === 'edge') {
      reasons.push(`${label} left out: callers send requests to a server (tick "must work offline" if predictions run on devices).`);
    } else if (option.meetsLatency === null) {
      reasons.push(`${label} left out: no figures yet (${option.p95Ms.note}).`);
    } else if (!option.meetsLatency) {
      reasons.push(
        option.id === 'batch'
          ? `${label} left out: answers wait for the next run, far beyond the ${traffic.latencyTargetMs} ms target.`
          : `${label} left out: p95 ${option.p95Ms.value?.toFixed(2)} ms (${option.p95Ms.basis}) misses the ${traffic.latencyTargetMs} ms target.`,
      );
    } else if (option.id === 'local_realtime' && (option.replicas ?? 0) > 1) {
      reasons.push(`${label} left out: the peak of ${traffic.peakRps} req/s needs ${option.replicas} model server processes, more than one machine runs.`);
    } else {
      candidates.push(option);
    }
  }
  if (candidates.length === 0) return { option: null, reasons: ['No option meets the target with the figures at hand.', ...reasons] };
  // Cheapest first; without prices, measured before estimated, then the lowest p95.
  const rank = (o: DecisionOption) => [o.monthlyCost?.total ?? Number.POSITIVE_INFINITY, o.p95Ms.basis === 'measured' ? 0 : 1, o.p95Ms.value ?? Number.POSITIVE_INFINITY];
  candidates.sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return 0;
  });
  const best = candidates[0]!;
  const why = [
    best.id === 'batch'
      ? `${LABELS[best.id]} meets a ${traffic.latencyTargetMs} ms target: answers can wait for the next run.`
      : `${LABELS[best.id]} meets the ${traffic.latencyTargetMs} ms p95 target (${best.p95Ms.value?.toFixed(2)} ms, ${best.p95Ms.basis}).`,
  ];
  if (best.monthlyCost) why.push(`It is the cheapest option that does: about ${best.monthlyCost.total.toFixed(2)} ${best.monthlyCost.currency} a month (${best.monthlyCost.basis}).`);
  else why.push('No unit prices are set, so cost did not decide: an admin can enter them under Admin → Unit prices.');
  for (const other of candidates.slice(1)) {
    if (other.monthlyCost && best.monthlyCost) why.push(`${LABELS[other.id]} also meets the target but costs about ${other.monthlyCost.total.toFixed(2)} ${other.monthlyCost.currency} a month.`);
  }
  return { option: best.id, reasons: [...why, ...reasons] };
}
