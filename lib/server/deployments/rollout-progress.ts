import 'server-only';
import type { Tx } from '@/lib/db';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { CanaryAnalysis } from '@/lib/server/promotions/canary-analysis';

/**
 * The progress of a release on its backend, kept in `releases.rollout` and polled by the
 * release page. It is written after each committed step, so a job that dies mid-rollout
 * knows where it was when it runs again (rule 10).
 */
export type RolloutPhase = 'loading' | 'switching' | 'canary' | 'shadow' | 'aborting' | 'unloading' | 'done' | 'failed' | 'aborted' | 'awaiting_callback';

/** One canary step: its share of traffic and the analyses run at its end. */
export interface CanaryStepProgress {
  percent: number;
  startedAt: string;
  /** pass: moved on; fail: aborted; promoted: ended by "promote now"; null while running. */
  outcome: 'pass' | 'fail' | 'promoted' | 'aborted' | null;
  analyses: CanaryAnalysis[];
}

export interface CanaryProgress {
  primaryVersion: number;
  intervalSeconds: number;
  /** Index into `steps` of the step that is taking traffic now. */
  current: number;
  /** When the current step's interval (re)started: set at each step and on resume. */
  intervalStartedAt: string;
  /** Intervals the current step was extended because the canary got too few requests. */
  extensions: number;
  /** Set by "promote now": the next run of the job switches everything to the canary. */
  promoteNow: boolean;
  steps: CanaryStepProgress[];
}

export interface ShadowProgress {
  primaryVersion: number;
  percent: number;
  /** The replace request opened by promoting the shadow. */
  promotedReleaseId?: string;
}

export interface RolloutEvent {
  at: string;
  message: string;
}

export interface RolloutProgress {
  backend?: string;
  endpoint?: string;
  phase?: RolloutPhase;
  /** Versions to unload once the switch is committed (the replaced one). */
  unload?: number[];
  attempts?: number;
  lastError?: string | null;
  /** Asynchronous backends: when the release fails if no final callback has come. */
  callbackDeadline?: string;
  /** Asynchronous backends: the traffic the last callback reported. */
  reportedTraffic?: { version: number; percent: number }[];
  events?: RolloutEvent[];
  canary?: CanaryProgress;
  shadow?: ShadowProgress;
}

const MAX_EVENTS = 50;

export function readProgress(value: Prisma.JsonValue): RolloutProgress {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as RolloutProgress) : {};
}

/** Merges `patch` into a release's progress and appends `message` to its timeline. */
export async function recordProgress(releaseId: string, patch: RolloutProgress, message?: string, client: Tx | ReturnType<typeof db> = db()) {
  const row = await client.release.findUnique({ where: { id: releaseId }, select: { rollout: true } });
  if (!row) return;
  const current = readProgress(row.rollout);
  const events = message ? [...(current.events ?? []), { at: new Date().toISOString(), message }].slice(-MAX_EVENTS) : current.events;
  const next: RolloutProgress = { ...current, ...patch, ...(events ? { events } : {}) };
  await client.release.update({ where: { id: releaseId }, data: { rollout: next as Prisma.InputJsonValue } });
}

/**
 * The split as the canary job last committed it: a running canary takes its current step's
 * share beside the primary (a shadow only mirrors, so it answers nobody and is not listed).
 */
export function trafficSplit(primaryVersion: number, rollingOut: { version: { version: number }; rollout: Prisma.JsonValue } | null) {
  const canary = rollingOut ? readProgress(rollingOut.rollout) : null;
  const step = canary?.phase === 'canary' && canary.canary ? canary.canary.steps[canary.canary.current] : undefined;
  if (!rollingOut || !step || step.percent >= 100 || canary?.canary?.primaryVersion !== primaryVersion) {
    return [{ version: primaryVersion, percent: 100, slot: 'primary' as const }];
  }
  return [
    { version: primaryVersion, percent: 100 - step.percent, slot: 'primary' as const },
    { version: rollingOut.version.version, percent: step.percent, slot: 'canary' as const },
  ];
}
