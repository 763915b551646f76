import 'server-only';
import type { Tx } from '@/lib/db';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';

/**
 * The progress of a release on its backend, kept in `releases.rollout` and polled by the
 * release page. It is written after each committed step, so a job that dies mid-rollout
 * knows where it was when it runs again (rule 10).
 */
export type RolloutPhase = 'loading' | 'switching' | 'unloading' | 'done' | 'failed' | 'awaiting_callback';

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
