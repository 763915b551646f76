import 'server-only';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as ort from 'onnxruntime-node';
import { percentiles } from '@/lib/decisions/matrix';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { inferenceUrl } from '@/lib/server/deployments/try-inference';
import { copyStoredOnnx } from '@/lib/server/edge/copy-stored-onnx';
import { evaluationRows } from '@/lib/server/edge/evaluation-rows';
import { logger } from '@/lib/server/logger';
import type { ProbeStep } from '@/lib/validation/decisions';

/** A step fails the probe when more than this share of its requests fail. */
const MAX_ERROR_SHARE = 0.05;

type Send = (row: number[]) => Promise<void>;

/**
 * Runs (or resumes) a load probe: steps of `stepSeconds` at rising rates, open loop — each
 * request leaves at its scheduled time whether or not earlier ones answered, and its
 * latency counts from that time, so a slow target cannot hide its queueing. Each finished
 * step is committed, so a retried job (kill -9, restart) continues from the next one. Stops
 * once a step's p95 passes the target, errors pass 5 %, or the maximum rate is done.
 */
export async function runLoadProbe(probeId: string, options: { final: boolean }): Promise<void> {
  const probe = await db().loadProbe.findUnique({ where: { id: probeId }, include: { version: { include: { model: true } } } });
  if (!probe || probe.status === 'succeeded' || probe.status === 'failed') return;
  await db().loadProbe.update({ where: { id: probeId }, data: { status: 'running', startedAt: probe.startedAt ?? new Date() } });
  const { version } = probe;
  const dir = await mkdtemp(path.join(tmpdir(), 'modeldeck-probe-'));
  let session: ort.InferenceSession | null = null;
  try {
    const file = path.join(dir, 'model.onnx');
    await copyStoredOnnx({ model: version.model.name, version: version.version }, file);
    session = await ort.InferenceSession.create(file);
    const input = session.inputNames[0]!;
    const features = Array.isArray(version.features) ? (version.features as { name: string; type: string }[]) : [];
    const evaluation = await evaluationRows(version.id, version.model.name, features);
    // Without reference data the requests still have the right shape; latency hardly depends on the values.
    const rows = evaluation.rows.length > 0 ? evaluation.rows : [features.map(() => 0)];

    let send: Send;
    if (probe.option === 'edge') {
      const local = session;
      send = async (row) => {
        await local.run({ [input]: new ort.Tensor('float32', Float32Array.from(row), [1, row.length]) });
      };
    } else {
      const { url } = await inferenceUrl(version.model.name, probe.environment!, version.version);
      const timeout = Math.max(2_000, probe.targetP95Ms * 4);
      send = async (row) => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ inputs: [{ name: input, datatype: 'FP32', shape: [1, row.length], data: row }] }),
          signal: AbortSignal.timeout(timeout),
        });
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
      };
      // The first request also warms the connection; a target that cannot answer fails here, not at step 1.
      await send(rows[0]!);
    }

    const steps = ((probe.steps as ProbeStep[] | null) ?? []).slice();
    let stopReason: string | null = null;
    for (let rate = probe.startRate + steps.length * probe.rateStep; rate <= probe.maxRate; rate += probe.rateStep) {
      const step = await runStep(send, rate, probe.stepSeconds, rows);
      // Not one answer: the target is gone, which is no measurement. Thrown, so the job retries
      // (resuming at this step) and, on its last attempt, fails with the reason.
      if (step.ok === 0) throw new Error(`No request of the ${rate} req/s step was answered: ${step.lastError ?? 'no reason given'}`);
      steps.push(withoutLastError(step));
      await db().loadProbe.update({ where: { id: probeId }, data: { steps: steps as unknown as Prisma.InputJsonValue } });
      if (step.errors > step.sent * MAX_ERROR_SHARE) {
        stopReason = `${step.errors} of ${step.sent} requests failed at ${rate} req/s.`;
        break;
      }
      if (step.p95Ms !== null && step.p95Ms > probe.targetP95Ms) {
        stopReason = `p95 ${step.p95Ms.toFixed(2)} ms passed the ${probe.targetP95Ms} ms target at ${rate} req/s.`;
        break;
      }
    }
    const last = steps.at(-1);
    stopReason ??= `Reached the maximum rate (${probe.maxRate} req/s) with p95 ${last?.p95Ms?.toFixed(2) ?? '—'} ms, within the ${probe.targetP95Ms} ms target.`;
    await db().loadProbe.update({ where: { id: probeId }, data: { status: 'succeeded', stopReason, finishedAt: new Date() } });
  } catch (error) {
    // fetch puts the useful part (ECONNREFUSED, a DNS failure) in the cause.
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    const reason = `${error instanceof Error ? error.message : String(error)}${cause}`;
    logger().warn({ err: error, probeId, final: options.final }, 'load probe failed');
    if (!options.final) throw error;
    await db().loadProbe.update({ where: { id: probeId }, data: { status: 'failed', error: reason, finishedAt: new Date() } });
  } finally {
    await session?.release();
    await rm(dir, { recursive: true, force: true });
  }
}

const withoutLastError = ({ lastError: _, ...step }: ProbeStep & { lastError: string | null }): ProbeStep => step;

async function runStep(send: Send, rate: number, seconds: number, rows: number[][]): Promise<ProbeStep & { lastError: string | null }> {
  const total = Math.max(1, Math.round(rate * seconds));
  const interval = 1000 / rate;
  const start = performance.now();
  const latencies: number[] = [];
  const inflight: Promise<void>[] = [];
  let errors = 0;
  let lastError: string | null = null;
  let lastDone = start;
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    // Everything due by now leaves now: timers are coarser than 1 ms at high rates.
    while (sent < total && start + sent * interval <= now) {
      const scheduled = start + sent * interval;
      const row = rows[sent % rows.length]!;
      inflight.push(
        send(row).then(
          () => {
            const done = performance.now();
            latencies.push(done - scheduled);
            lastDone = Math.max(lastDone, done);
          },
          (error: unknown) => {
            errors += 1;
            lastError = error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
          },
        ),
      );
      sent += 1;
    }
    if (sent < total) await sleep(Math.max(0, start + sent * interval - performance.now()));
  }
  await Promise.all(inflight);
  const elapsedSeconds = (Math.max(lastDone, start + seconds * 1000) - start) / 1000;
  const { p50Ms, p95Ms } = percentiles(latencies);
  return { rate, sent, ok: latencies.length, errors, p50Ms, p95Ms, throughput: latencies.length / elapsedSeconds, lastError };
}
