/**
 * Drift statistics on 1M reference vs 1M current values: every numeric statistic of
 * lib/stats (KS with p-value, PSI, Jensen–Shannon, Wasserstein, normalised Wasserstein) next
 * to scipy's ks_2samp + wasserstein_distance on the same data, in the same run. Python times
 * only the two calls (loading the data is outside its clock). The sides alternate for
 * BENCH_REPEAT rounds and each reports its best round, so a load spike on a shared machine
 * does not land on one side only; CPU time is printed next to wall time for the same reason. Target: ours ≤ 0.5× scipy's time.
 * Run: npm run bench:drift  (BENCH_N to change the sample size; needs python3 with scipy).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { countNumericCurrent, numericDriftFromCounts, numericReferenceProfile } from '@/lib/stats/drift-counts';
import { numericDrift, type FeatureDrift } from '@/lib/stats/drift';

const N = Number(process.env.BENCH_N ?? 1_000_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);

/** Deterministic normal samples (mulberry32 + Box–Muller), rounded to 1e-6 so ties occur. */
function normalSample(n: number, seed: number, mean: number, sd: number): Float64Array {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    out[i] = Math.round((mean + sd * z) * 1e6) / 1e6;
  }
  return out;
}

const PYTHON = `
import json, sys, time
import numpy as np
from scipy import stats
r = np.fromfile(sys.argv[1], dtype='<f8')
c = np.fromfile(sys.argv[2], dtype='<f8')
started, cpu_started = time.perf_counter(), time.process_time()
ks = stats.ks_2samp(r, c)
w = stats.wasserstein_distance(r, c)
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
print(json.dumps({"seconds": seconds, "cpu": cpu, "ks": float(ks.statistic), "wasserstein": float(w)}))
`;

interface Timing {
  /** Wall-clock seconds. */
  seconds: number;
  /** CPU seconds of the process (user + system): steadier than wall time on a shared machine. */
  cpu: number;
}

function timed<T>(run: () => T): Timing & { result: T } {
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const result = run();
  const cpu = process.cpuUsage(cpuStarted);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, cpu: (cpu.user + cpu.system) / 1e6, result };
}

/** Keeps the best wall and the best CPU time over the rounds. */
function fastest(a: Timing | undefined, b: Timing): Timing {
  return a ? { seconds: Math.min(a.seconds, b.seconds), cpu: Math.min(a.cpu, b.cpu) } : { seconds: b.seconds, cpu: b.cpu };
}

interface Scipy extends Timing {
  ks: number;
  wasserstein: number;
}

async function main() {
  const reference = normalSample(N, 1, 0, 1);
  const current = normalSample(N, 2, 0.05, 1.1);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-drift-'));
  try {
    const files = [path.join(dir, 'r.f64'), path.join(dir, 'c.f64')] as const;
    await writeFile(files[0], new Uint8Array(reference.buffer));
    await writeFile(files[1], new Uint8Array(current.buffer));

    const profile = numericReferenceProfile(reference);
    let result: FeatureDrift | undefined;
    let ours: Timing | undefined;
    let fromCounts: Timing | undefined;
    let scipy: Timing | undefined;
    let scipyFigures: Scipy | undefined;
    for (let round = 0; round < REPEAT; round++) {
      const run = timed(() => numericDrift('x', reference, current));
      result = run.result;
      ours = fastest(ours, run);
      fromCounts = fastest(
        fromCounts,
        timed(() => numericDriftFromCounts('x', profile, countNumericCurrent(profile, current), { method: 'ks' })),
      );
      const python = spawnSync('python3', ['-c', PYTHON, files[0], files[1]], { encoding: 'utf8' });
      if (python.status !== 0) throw new Error(`python3 failed: ${python.stderr}`);
      scipyFigures = JSON.parse(python.stdout) as Scipy;
      scipy = fastest(scipy, scipyFigures);
    }

    if (!result || !ours || !fromCounts || !scipy || !scipyFigures) throw new Error('BENCH_REPEAT must be at least 1');
    const r = result;
    const ms = (seconds: number) => `${(seconds * 1000).toFixed(0).padStart(6)} ms`;
    const line = (label: string, timing: Timing, note = '') =>
      console.log(`${label.padEnd(64)} ${ms(timing.seconds)} wall ${ms(timing.cpu)} CPU${note}`);
    console.log(`drift statistics, ${N.toLocaleString('en')} reference vs ${N.toLocaleString('en')} current values, best of ${REPEAT} alternating rounds`);
    line('scipy ks_2samp + wasserstein_distance', scipy);
    line(
      'lib/stats numericDrift (KS+p, PSI, JS, Wasserstein, normed)',
      ours,
      `  ${(ours.seconds / scipy.seconds).toFixed(2)}× scipy wall, ${(ours.cpu / scipy.cpu).toFixed(2)}× CPU (target ≤ 0.5×)`,
    );
    line('lib/stats from counts (count current vs profile, KS+p, PSI, JS)', fromCounts);
    console.log(
      `same figures: KS ${r.ks!.statistic} vs ${scipyFigures.ks} (Δ ${Math.abs(r.ks!.statistic - scipyFigures.ks).toExponential(1)}), ` +
        `Wasserstein ${r.wasserstein} vs ${scipyFigures.wasserstein} (Δ ${Math.abs(r.wasserstein! - scipyFigures.wasserstein).toExponential(1)})`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
