/**
 * Edge variants of the demo models: size, largest probability/prediction change on held-out
 * rows, and in-process onnxruntime throughput (one row per call, as on a device and in the
 * edge load probe) of the float16 and int8 variants next to the original, measured in the same
 * run. The sides alternate for BENCH_REPEAT rounds and each reports its best round, so a load
 * spike on a shared machine does not land on one side only. There is no speed target: the
 * variants keep float32 arithmetic, so they are expected to run as fast as the original,
 * not faster; the figure shows the cost of the extra Cast/DequantizeLinear nodes.
 * Run: node --import tsx bench/edge-variants.ts  (BENCH_CALLS, BENCH_REPEAT).
 */
import * as ort from 'onnxruntime-node';
import { buildDemoModels } from '@/lib/demo/build-demo-models';
import { DEMO_DATASETS, generate } from '@/lib/demo/datasets';
import { compareModelOutputs } from '@/lib/onnx/compare-outputs';
import { quantizeModel, type ModelVariant } from '@/lib/onnx/quantize';

const CALLS = Number(process.env.BENCH_CALLS ?? 20_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);

async function callsPerSecond(session: ort.InferenceSession, rows: number[][]): Promise<number> {
  const input = session.inputNames[0]!;
  const tensors = rows.slice(0, 256).map((row) => new ort.Tensor('float32', Float32Array.from(row), [1, row.length]));
  const started = performance.now();
  for (let i = 0; i < CALLS; i++) await session.run({ [input]: tensors[i % tensors.length]! });
  return CALLS / ((performance.now() - started) / 1000);
}

for (const demo of buildDemoModels()) {
  const latest = demo.versions.at(-1)!;
  const rows = generate(DEMO_DATASETS[demo.model]!, 2_000, { seed: 12 }).rows;
  const graphs: [string, Uint8Array][] = [['original', latest.onnx], ...(['float16', 'int8'] as ModelVariant[]).map((v): [string, Uint8Array] => [v, quantizeModel(latest.onnx, v)])];
  const sessions = await Promise.all(graphs.map(([, bytes]) => ort.InferenceSession.create(bytes)));
  const best = graphs.map(() => 0);
  // One unmeasured round first: the first session measured would otherwise pay for JIT warm-up.
  for (const session of sessions) await callsPerSecond(session, rows);
  for (let round = 0; round < REPEAT; round++) {
    for (const [i, session] of sessions.entries()) best[i] = Math.max(best[i]!, await callsPerSecond(session, rows));
  }
  console.log(`\n${demo.model} v${latest.version} (${CALLS.toLocaleString('en')} single-row calls, best of ${REPEAT})`);
  for (const [i, [name, bytes]] of graphs.entries()) {
    const diff = i === 0 ? null : (await compareModelOutputs(latest.onnx, bytes, rows)).outputs[0]!;
    console.log(
      `  ${name.padEnd(8)} ${String(bytes.length).padStart(5)} B  ${Math.round(best[i]!).toLocaleString('en').padStart(8)} calls/s  ${(best[i]! / best[0]!).toFixed(2)}× original` +
        (diff ? `  max |Δ| ${diff.maxAbsDiff.toExponential(2)} on ${diff.name}` : ''),
    );
  }
  await Promise.all(sessions.map((s) => s.release()));
}
