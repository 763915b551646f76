/**
 * Drift statistics on 1M reference vs 1M current values: every numeric statistic of
 * lib/stats (KS with p-value, PSI, Jensen–Shannon, Wasserstein, normalised Wasserstein) next
 * to scipy's ks_2samp + wasserstein_distance on the same data, in the same run. Python times
 * only the two calls (loading the data is outside its clock). The sides alternate for
 * BENCH_REPEAT rounds and each reports its best round, so a load spike on a shared machine
 * does not land on one side only. Target: ours ≤ 0.5× scipy's time.
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
started = time.perf_counter()
ks = stats.ks_2samp(r, c)
w = stats.wasserstein_distance(r, c)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "ks": float(ks.statistic), "wasserstein": float(w)}))
`;

function timed<T>(run: () => T): { seconds: number; result: T } {
  const started = process.hrtime.bigint();
  const result = run();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, result };
}

interface Scipy {
  seconds: number;
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
    let ours: { seconds: number; result: FeatureDrift } | undefined;
    let fromCounts = Infinity;
    let scipy: Scipy = { seconds: Infinity, ks: NaN, wasserstein: NaN };
    for (let round = 0; round < REPEAT; round++) {
      const run = timed(() => numericDrift('x', reference, current));
      if (!ours || run.seconds < ours.seconds) ours = run;
      const counted = timed(() => numericDriftFromCounts('x', profile, countNumericCurrent(profile, current), { method: 'ks' }));
      fromCounts = Math.min(fromCounts, counted.seconds);
      const python = spawnSync('python3', ['-c', PYTHON, files[0], files[1]], { encoding: 'utf8' });
      if (python.status !== 0) throw new Error(`python3 failed: ${python.stderr}`);
      const figures = JSON.parse(python.stdout) as Scipy;
      if (figures.seconds < scipy.seconds) scipy = figures;
    }

    if (!ours) throw new Error('BENCH_REPEAT must be at least 1');
    const r = ours.result;
    const line = (label: string, seconds: number, note = '') =>
      console.log(`${label.padEnd(64)} ${(seconds * 1000).toFixed(0).padStart(6)} ms${note}`);
    console.log(`drift statistics, ${N.toLocaleString('en')} reference vs ${N.toLocaleString('en')} current values, best of ${REPEAT} alternating rounds`);
    line('scipy ks_2samp + wasserstein_distance', scipy.seconds);
    line('lib/stats numericDrift (KS+p, PSI, JS, Wasserstein, normed)', ours.seconds, `  ${(ours.seconds / scipy.seconds).toFixed(2)}× scipy (target ≤ 0.5×)`);
    line('lib/stats from counts (count current vs profile, KS+p, PSI, JS)', fromCounts);
    console.log(
      `same figures: KS ${r.ks!.statistic} vs ${scipy.ks} (Δ ${Math.abs(r.ks!.statistic - scipy.ks).toExponential(1)}), ` +
        `Wasserstein ${r.wasserstein} vs ${scipy.wasserstein} (Δ ${Math.abs(r.wasserstein! - scipy.wasserstein).toExponential(1)})`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
