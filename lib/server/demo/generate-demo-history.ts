import 'server-only';
import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import { db } from '@/lib/db';
import { trainingSplit } from '@/lib/demo/build-demo-models';
import { createSampler, DEMO_DATASETS, type DemoDataset } from '@/lib/demo/datasets';
import { DAY, HOUR, hourSeed, planHour, shiftsAt } from '@/lib/demo/history';
import type { RequestContext } from '@/lib/server/context';
import { logger } from '@/lib/server/logger';
import { ingestLabels } from '@/lib/server/monitoring/ingest-labels';
import { ingestPredictions } from '@/lib/server/monitoring/ingest-predictions';
import { liveHistory } from '@/lib/server/monitoring/load-target';
import { PREDICTION_COLUMN } from '@/lib/server/monitoring/reference-profile';
import { uploadReference } from '@/lib/server/monitoring/upload-reference';
import { artifactStore } from '@/lib/server/registry/artifact-store';
import { DEMO_HISTORY_ID } from './demo-history-settings';

const ENVIRONMENT = 'production';
/** The demo's engineer uploads the references; ingestion runs as the same person. */
const ACTOR_EMAIL = 'engineer@example.com';

interface Target {
  name: string;
  dataset: DemoDataset;
  /** Version id live in production at an instant, or null. */
  versionAt: (at: number) => string | null;
  versions: Map<string, { version: number; artifactKey: string | null; artifactSha256: string | null }>;
}

export interface HistoryOptions {
  days: number;
  /** The history ends at the start of this hour (tests pass a fixed instant). */
  now?: number;
  /** Stop after this many days (tests use it to stand in for a kill midway). */
  stopAfterDays?: number;
}

export interface HistoryResult {
  daysDone: number;
  predictions: number;
  labels: number;
}

/**
 * Gives every demo model live in production `days` of monitoring history: its real ONNX
 * artifact (from the artifact store, sha256 checked, run with onnxruntime-node like the model
 * server) scores rows of the synthetic traffic generator, and the results go through the
 * same use cases as POST /api/v1/predictions and /labels, a UTC day per call. Each version
 * live in the window first gets its training split as reference. Labels arrive 2–30 hours
 * after their prediction, some never; those not yet due at `now` are not sent.
 *
 * Resumable and idempotent: progress (whole days) is committed to the demo_history row after
 * each day, record ids are derived from model and hour, so a resumed or repeated run stores
 * nothing twice.
 */
export async function generateDemoHistory(options: HistoryOptions): Promise<HistoryResult> {
  const now = options.now ?? Date.now();
  const to = Math.floor(now / HOUR) * HOUR;
  const from = to - options.days * DAY;
  const ctx = await actorContext();
  const targets = await productionTargets();
  const row = await db().demoHistory.upsert({
    where: { id: DEMO_HISTORY_ID },
    create: { id: DEMO_HISTORY_ID, days: options.days, status: 'running', startedAt: new Date() },
    update: { status: 'running', days: options.days, error: null, startedAt: new Date() },
  });
  await uploadReferences(ctx, targets, { from, to });
  const sessions = new Map<string, Promise<ort.InferenceSession>>();
  const sessionFor = (target: Target, versionId: string) => {
    if (!sessions.has(versionId)) sessions.set(versionId, loadSession(target, versionId));
    return sessions.get(versionId)!;
  };

  let { daysDone, predictions, labels } = row;
  const lastDay = options.stopAfterDays === undefined ? options.days : Math.min(options.days, daysDone + options.stopAfterDays);
  for (let day = daysDone; day < lastDay; day++) {
    const dayStart = from + day * DAY;
    for (const target of targets) {
      const sent = await sendDay(ctx, target, dayStart, { from, to, now }, sessionFor);
      predictions += sent.predictions;
      labels += sent.labels;
    }
    daysDone = day + 1;
    await db().demoHistory.update({ where: { id: DEMO_HISTORY_ID }, data: { daysDone, predictions, labels } });
    logger().info({ day: daysDone, days: options.days, predictions, labels }, 'demo history: day committed');
  }
  if (daysDone >= options.days) {
    await db().demoHistory.update({ where: { id: DEMO_HISTORY_ID }, data: { status: 'done', finishedAt: new Date() } });
  }
  for (const session of sessions.values()) await (await session).release();
  return { daysDone, predictions, labels };
}

async function actorContext(): Promise<RequestContext> {
  const user = await db().user.findUnique({ where: { email: ACTOR_EMAIL } });
  if (!user) throw new Error(`The demo history needs the demo scenario (no user ${ACTOR_EMAIL}).`);
  return { actor: { id: user.id, email: user.email, name: user.name, roles: user.roles }, requestId: 'demo-history' };
}

/** Demo models with a generator that have a version live in production. */
async function productionTargets(): Promise<Target[]> {
  const environment = await db().environment.findUniqueOrThrow({ where: { name: ENVIRONMENT } });
  const models = await db().model.findMany({
    where: { name: { in: Object.keys(DEMO_DATASETS) }, releases: { some: { environmentId: environment.id, liveAt: { not: null } } } },
    include: { versions: { select: { id: true, version: true, artifactKey: true, artifactSha256: true } } },
    orderBy: { name: 'asc' },
  });
  return Promise.all(
    models.map(async (model) => ({
      name: model.name,
      dataset: DEMO_DATASETS[model.name]!,
      versionAt: await liveHistory(model.id, environment.id),
      versions: new Map(model.versions.map((v) => [v.id, v])),
    })),
  );
}

/** Hour starts of [from, to) at which some version is live. */
function liveHours(target: Target, from: number, to: number): { hour: number; versionId: string }[] {
  const hours: { hour: number; versionId: string }[] = [];
  for (let hour = from; hour < to; hour += HOUR) {
    const versionId = target.versionAt(hour);
    if (versionId) hours.push({ hour, versionId });
  }
  return hours;
}

/** Each version live in the window without a reference gets its training split (and its own scores on it). */
async function uploadReferences(ctx: RequestContext, targets: Target[], window: { from: number; to: number }): Promise<void> {
  for (const target of targets) {
    const versionIds = new Set(liveHours(target, window.from, window.to).map((h) => h.versionId));
    for (const versionId of versionIds) {
      if (await db().monitoringReference.findUnique({ where: { versionId }, select: { id: true } })) continue;
      const { version } = target.versions.get(versionId)!;
      const rows = trainingSplit(target.name, version);
      const session = await loadSession(target, versionId);
      const scores = await score(session, rows, target.dataset.features.length);
      await session.release();
      const columns: Record<string, (number | string)[]> = {};
      target.dataset.features.forEach((feature, c) => {
        // Categorical codes are categories: the reference counts them as the ingested strings.
        columns[feature.name] = rows.map((row) => (feature.type === 'categorical' ? String(row[c]) : row[c]!));
      });
      columns[PREDICTION_COLUMN] = scores;
      await uploadReference(ctx, { model: target.name, version, body: { columns } });
    }
  }
}

async function loadSession(target: Target, versionId: string): Promise<ort.InferenceSession> {
  const version = target.versions.get(versionId)!;
  if (!version.artifactKey || !version.artifactSha256) throw new Error(`${target.name} v${version.version} has no uploaded artifact to run.`);
  const stored = await artifactStore().open(version.artifactKey);
  const bytes = new Uint8Array(await new Response(stored.stream).arrayBuffer());
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== version.artifactSha256) throw new Error(`${target.name} v${version.version}'s artifact does not match its sha256.`);
  return ort.InferenceSession.create(bytes);
}

/** The model's outputs for the rows: a classifier's positive-class probability, a regressor's value. */
async function score(session: ort.InferenceSession, rows: number[][], width: number): Promise<number[]> {
  const input = new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, width]);
  const outputs = await session.run({ [session.inputNames[0]!]: input });
  const output = outputs[session.outputNames[0]!]!;
  return Array.from(output.data as Float32Array, (value) => Math.round(value * 1e6) / 1e6);
}

async function sendDay(
  ctx: RequestContext,
  target: Target,
  dayStart: number,
  window: { from: number; to: number; now: number },
  sessionFor: (target: Target, versionId: string) => Promise<ort.InferenceSession>,
): Promise<{ predictions: number; labels: number }> {
  const records: { id: string; timestamp: string; features: Record<string, number>; prediction: number; latencyMs: number }[] = [];
  const due: { id: string; label: number }[] = [];
  for (let hour = dayStart; hour < Math.min(dayStart + DAY, window.to); hour += HOUR) {
    const sample = createSampler(target.dataset, { seed: hourSeed(target.name, hour), shifts: shiftsAt(target.name, hour, window) });
    const planned = planHour(target.name, hour).map((plan) => ({ plan, row: sample(), versionId: target.versionAt(plan.timestamp) }));
    // Each record is scored by the version live at its instant (a release may land mid-hour).
    for (const versionId of new Set(planned.map((p) => p.versionId))) {
      if (!versionId) continue;
      const group = planned.filter((p) => p.versionId === versionId);
      const scores = await score(await sessionFor(target, versionId), group.map((p) => p.row.features), target.dataset.features.length);
      group.forEach(({ plan, row }, i) => {
        const features = Object.fromEntries(target.dataset.features.map((f, c) => [f.name, row.features[c]!]));
        records.push({ id: plan.id, timestamp: new Date(plan.timestamp).toISOString(), features, prediction: scores[i]!, latencyMs: plan.latencyMs });
        if (plan.labelAt !== null && plan.labelAt <= window.now) due.push({ id: plan.id, label: row.truth });
      });
    }
  }
  if (records.length === 0) return { predictions: 0, labels: 0 };
  // No version in the header: each record goes to the version live at its timestamp, as for any sender.
  const stored = await ingestPredictions(ctx, { header: { model: target.name, environment: ENVIRONMENT }, records });
  const labelled = due.length > 0 ? await ingestLabels(ctx, { header: { model: target.name }, records: due }) : { accepted: 0, duplicates: 0 };
  return { predictions: stored.accepted - stored.duplicates, labels: labelled.accepted - labelled.duplicates };
}
