import 'server-only';
import { db, type Tx } from '@/lib/db';
import type { Prisma, Release } from '@/lib/generated/prisma/client';
import { recordAudit } from '@/lib/server/audit/record-audit';
import { BackendError, type TrafficSplit } from '@/lib/server/deployments/backends/types';
import { readProgress, recordProgress, type CanaryProgress } from '@/lib/server/deployments/rollout-progress';
import { enqueue, QUEUES } from '@/lib/server/jobs/queue';
import { emitEvent } from '@/lib/server/webhooks/emit-event';
import { analyzeCanary, describeFailure, MAX_EXTENSIONS, type CanaryAnalysis } from './canary-analysis';
import { failRelease, finishAborting, finishUnloading, restorePrimary } from './finish-rollout';
import { goLive } from './go-live';
import { lockLane } from './lane-lock';
import { lockRelease, transitionRelease } from './release-machine';
import { loadVersion, replaceRollout, type RolloutContext } from './replace-rollout';

/** The stats window cannot reach further back than the model server keeps (15 min). */
const MAX_WINDOW_SECONDS = 900;

function split(primaryVersion: number, canaryVersion: number, percent: number): TrafficSplit {
  return {
    routes: percent >= 100 ? [{ version: canaryVersion, percent: 100 }] : [{ version: primaryVersion, percent: 100 - percent }, { version: canaryVersion, percent }],
    shadow: null,
  };
}

/** When the current step's analysis is due: one interval after it (re)started, plus extensions. */
export function analysisDueAt(canary: CanaryProgress): Date {
  return new Date(Date.parse(canary.intervalStartedAt) + canary.intervalSeconds * 1000 * (1 + canary.extensions));
}

async function scheduleAnalysis(tx: Tx, releaseId: string, canary: CanaryProgress) {
  const due = analysisDueAt(canary);
  await enqueue(tx, QUEUES.deployRelease, { releaseId, due: due.toISOString() }, { startAfter: due });
}

/**
 * A canary rollout, one committed step per job run (rule 10):
 *  1. load the canary beside the primary; set the first step's split; schedule the analysis
 *     job `startAfter` the interval (a row in pg-boss, so kill -9 loses nothing);
 *  2. at each due analysis, compare canary and primary over the step's window: pass → next
 *     step (the last one, 100, makes the canary the primary and unloads the old one); fail →
 *     all traffic back on the primary, release `aborted` with the figures; too few canary
 *     requests → wait one more interval, at most MAX_EXTENSIONS times, then abort;
 *  3. "promote now" skips the remaining steps; a paused release is left alone.
 * Each decision is taken under the release row lock with the backend call inside the
 * transaction, so two runners (a resumed job beside the scheduled one) act once.
 */
export async function runCanary(rollout: RolloutContext, due?: string): Promise<void> {
  const progress = readProgress(rollout.release.rollout);
  if (!progress.canary) return startCanary(rollout);
  const dueAt = analysisDueAt(progress.canary);
  if (!progress.canary.promoteNow && Date.now() < dueAt.getTime()) {
    // Not yet: a job without `due` (resumed at worker start, or after resume) or the step's own
    // job woken a little early makes sure the analysis is scheduled; a stale step's job stops here.
    if (!due || due === dueAt.toISOString()) await db().$transaction((tx) => scheduleAnalysis(tx, rollout.releaseId, progress.canary!));
    return;
  }
  const outcome = await db()
    .$transaction(async (tx) => {
      const release = await lockRelease(tx, rollout.releaseId);
      if (release?.status !== 'deploying') return null;
      const canary = readProgress(release.rollout).canary;
      if (!canary) return null;
      if (canary.promoteNow) return promote(tx, rollout, release, canary, 'promoted');
      if (Date.now() < analysisDueAt(canary).getTime()) return null;
      return analyzeStep(tx, rollout, release, canary);
    }, { timeout: 30_000 })
    .catch(async (error: unknown) => {
      if (error instanceof BackendError && !error.retryable) {
        await failRelease(rollout.releaseId, `The backend refused a canary traffic change: ${error.message}`);
        return null;
      }
      throw error;
    });
  if (outcome === 'live') await finishUnloading(rollout.releaseId, rollout);
  if (outcome === 'aborted') await finishAborting(rollout.releaseId, rollout);
}

async function startCanary(rollout: RolloutContext): Promise<void> {
  const { releaseId, release, version } = rollout;
  const primary = await db().release.findFirst({
    where: { modelId: release.modelId, environmentId: release.environmentId, status: 'live', slot: 'primary' },
    include: { version: { select: { version: true } } },
  });
  const steps = release.steps.length ? release.steps : [100];
  if (!primary || steps[0] === 100) {
    await recordProgress(releaseId, {}, primary ? 'The only step is 100 %: rolling out as a replace' : 'Nothing is live to compare a canary with: rolling out as a replace');
    return replaceRollout(rollout);
  }
  if (!(await loadVersion(rollout))) return;
  await db()
    .$transaction(async (tx) => {
      const locked = await lockRelease(tx, releaseId);
      if (locked?.status !== 'deploying' || readProgress(locked.rollout).canary) return;
      const now = new Date().toISOString();
      const canary: CanaryProgress = {
        primaryVersion: primary.version.version,
        intervalSeconds: rollout.thresholds.intervalSeconds,
        current: 0,
        intervalStartedAt: now,
        extensions: 0,
        promoteNow: false,
        steps: [{ percent: steps[0]!, startedAt: now, outcome: null, analyses: [] }],
      };
      await rollout.backend.setTraffic(rollout.target, split(canary.primaryVersion, version, steps[0]!));
      await recordProgress(releaseId, { phase: 'canary', canary }, `Step 1 of ${steps.length}: ${steps[0]} % of traffic on v${version}, ${100 - steps[0]!} % on v${canary.primaryVersion}`, tx);
      await scheduleAnalysis(tx, releaseId, canary);
    }, { timeout: 30_000 })
    .catch(async (error: unknown) => {
      if (error instanceof BackendError && !error.retryable) {
        await failRelease(releaseId, `The backend refused the canary's first step: ${error.message}`);
        return;
      }
      throw error;
    });
}

async function analyzeStep(tx: Tx, rollout: RolloutContext, release: Release, canary: CanaryProgress): Promise<'live' | 'aborted' | null> {
  const { releaseId, version } = rollout;
  const windowSeconds = Math.min(MAX_WINDOW_SECONDS, Math.max(1, Math.ceil((Date.now() - Date.parse(canary.intervalStartedAt)) / 1000)));
  const status = await rollout.backend.status(rollout.target, { windowSeconds });
  const analysis = analyzeCanary({
    canaryVersion: version,
    primaryVersion: canary.primaryVersion,
    versions: status.versions,
    windowSeconds,
    thresholds: { maxErrorRateIncrease: rollout.thresholds.maxErrorRateIncrease, maxLatencyRatio: rollout.thresholds.maxLatencyRatio, minRequests: rollout.thresholds.minRequests },
  });
  const steps = canary.steps.map((s, i) => (i === canary.current ? { ...s, analyses: [...s.analyses, analysis] } : s));
  const step = steps[canary.current]!;

  if (analysis.verdict === 'insufficient') {
    if (canary.extensions < MAX_EXTENSIONS) {
      const next: CanaryProgress = { ...canary, steps, extensions: canary.extensions + 1 };
      await recordProgress(
        releaseId,
        { canary: next },
        `Only ${analysis.canary.requests} canary requests in ${windowSeconds} s (${analysis.thresholds.minRequests} needed): waiting another ${canary.intervalSeconds} s (${next.extensions} of ${MAX_EXTENSIONS})`,
        tx,
      );
      await scheduleAnalysis(tx, releaseId, next);
      return null;
    }
    const reason = `Too few canary requests to judge: ${analysis.canary.requests} in ${windowSeconds} s after ${MAX_EXTENSIONS} extra intervals (${analysis.thresholds.minRequests} needed).`;
    return abortCanary(tx, rollout, release, { ...canary, steps: markStep(steps, canary.current, 'fail') }, reason, analysis);
  }
  if (analysis.verdict === 'fail') {
    return abortCanary(tx, rollout, release, { ...canary, steps: markStep(steps, canary.current, 'fail') }, describeFailure(analysis), analysis);
  }

  const passed = markStep(steps, canary.current, 'pass');
  const nextPercent = release.steps[canary.current + 1] ?? 100;
  await recordProgress(releaseId, {}, `Step ${canary.current + 1} passed its analysis at ${step.percent} %`, tx);
  if (nextPercent >= 100) return promote(tx, rollout, release, { ...canary, steps: passed }, 'pass');
  const now = new Date().toISOString();
  const next: CanaryProgress = {
    ...canary,
    current: canary.current + 1,
    intervalStartedAt: now,
    extensions: 0,
    steps: [...passed, { percent: nextPercent, startedAt: now, outcome: null, analyses: [] }],
  };
  await rollout.backend.setTraffic(rollout.target, split(canary.primaryVersion, version, nextPercent));
  await recordProgress(
    releaseId,
    { canary: next },
    `Step ${next.current + 1} of ${release.steps.length}: ${nextPercent} % of traffic on v${version}, ${100 - nextPercent} % on v${canary.primaryVersion}`,
    tx,
  );
  await scheduleAnalysis(tx, releaseId, next);
  return null;
}

function markStep(steps: CanaryProgress['steps'], index: number, outcome: CanaryProgress['steps'][number]['outcome']) {
  return steps.map((s, i) => (i === index ? { ...s, outcome } : s));
}

/** The last step: 100 % on the canary, which becomes the primary; the old one is unloaded next. */
async function promote(tx: Tx, rollout: RolloutContext, release: Release, canary: CanaryProgress, how: 'pass' | 'promoted'): Promise<'live'> {
  const { releaseId, version } = rollout;
  await lockLane(tx, release.modelId, release.environmentId);
  const now = new Date().toISOString();
  const steps = how === 'promoted' ? markStep(canary.steps, canary.current, canary.steps[canary.current]?.outcome ?? 'promoted') : canary.steps;
  const final: CanaryProgress = { ...canary, steps: [...steps, { percent: 100, startedAt: now, outcome: 'pass', analyses: [] }] };
  await rollout.backend.setTraffic(rollout.target, split(canary.primaryVersion, version, 100));
  await goLive(tx, release);
  await recordProgress(
    releaseId,
    { phase: 'unloading', unload: canary.primaryVersion === version ? [] : [canary.primaryVersion], canary: final },
    how === 'promoted' ? `Promoted now: 100 % of traffic on v${version}` : `100 % of traffic on v${version}: the canary is the primary`,
    tx,
  );
  return 'live';
}

/**
 * Ends a canary whose analysis failed: the release becomes `aborted` with the reason and the
 * figures, in the transaction that puts all traffic back on the primary; the canary version is
 * unloaded after the commit (finishAborting, which a resumed job repeats harmlessly).
 */
async function abortCanary(tx: Tx, rollout: RolloutContext, release: Release, canary: CanaryProgress, reason: string, analysis: CanaryAnalysis): Promise<'aborted'> {
  await restorePrimary(rollout, canary.primaryVersion);
  await transitionRelease(tx, release, 'aborted', { endedAt: new Date(), statusReason: reason.slice(0, 2000) });
  await recordProgress(release.id, { phase: 'aborting', canary }, `Aborted: ${reason}`, tx);
  const event = { releaseId: release.id, reason, by: null, analysis: analysis as unknown as Prisma.InputJsonObject };
  await emitEvent(tx, 'release.aborted', event);
  await recordAudit(tx, {
    actor: null,
    action: 'release.abort',
    targetType: 'release',
    targetId: release.id,
    before: { status: release.status },
    after: { status: 'aborted', reason, canary: analysis.canary, primary: analysis.primary, thresholds: analysis.thresholds } as unknown as Prisma.InputJsonObject,
  });
  return 'aborted';
}
