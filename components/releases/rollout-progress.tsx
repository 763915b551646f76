'use client';

import { useQuery } from '@tanstack/react-query';
import { Time } from '@/components/ui/time';
import { IN_FLIGHT_STATUSES } from './release-status';

export interface RolloutView {
  backend: string | null;
  endpoint: string | null;
  phase: 'loading' | 'switching' | 'unloading' | 'done' | 'failed' | 'awaiting_callback' | null;
  attempts: number;
  lastError: string | null;
  events: { at: string; message: string }[];
}

const PHASES: Record<string, string> = {
  loading: 'Loading the new version (download, sha256 check, warm-up)',
  switching: 'Switching traffic',
  unloading: 'All traffic switched; unloading the replaced version',
  done: 'Done',
  failed: 'Failed',
  awaiting_callback: 'Handed to the deployment webhook; waiting for its callback',
};

async function fetchRollout(id: string): Promise<{ status: string; rollout: RolloutView | null }> {
  const response = await fetch(`/api/v1/promotions/${id}`, { cache: 'no-store' });
  const body = (await response.json()) as { status?: string; rollout?: RolloutView | null; detail?: string };
  if (!response.ok || !body.status) throw new Error(body.detail ?? `Could not load the rollout (${response.status}).`);
  return { status: body.status, rollout: body.rollout ?? null };
}

const moving = (status: string, rollout: RolloutView | null) => IN_FLIGHT_STATUSES.includes(status) || rollout?.phase === 'unloading';

/**
 * What the release-deploy job has done so far on the environment's backend, polled every
 * second while the rollout moves (the job writes a row after each step).
 */
export function RolloutProgress({ id, status, rollout: initial }: { id: string; status: string; rollout: RolloutView | null }) {
  const { data, error } = useQuery({
    queryKey: ['release-rollout', id],
    queryFn: () => fetchRollout(id),
    initialData: { status, rollout: initial },
    staleTime: 0,
    refetchInterval: (query) => (moving(query.state.data?.status ?? status, query.state.data?.rollout ?? null) ? 1000 : false),
  });
  const rollout = data?.rollout ?? null;
  const current = data?.status ?? status;

  if (!rollout) {
    return IN_FLIGHT_STATUSES.includes(current) ? <p className="muted" data-testid="rollout-waiting">Waiting for the deployment job to start…</p> : null;
  }
  return (
    <div aria-live="polite" data-testid="rollout-progress">
      <p>
        <strong data-testid="rollout-phase">{rollout.phase ? PHASES[rollout.phase] : 'Not started'}</strong>
        {rollout.backend ? <span className="muted small"> · {rollout.backend} backend</span> : null}
      </p>
      {rollout.endpoint ? (
        <p className="small">
          Endpoint: <code data-testid="rollout-endpoint">{rollout.endpoint}</code>
        </p>
      ) : null}
      {rollout.lastError && rollout.phase !== 'failed' ? (
        <div className="notice warn" role="status">
          Attempt {rollout.attempts} failed; the job retries with backoff: {rollout.lastError}
        </div>
      ) : null}
      <ol className="timeline small" aria-label="Rollout steps">
        {rollout.events.map((event, index) => (
          <li key={`${event.at}-${index}`}>
            <Time value={event.at} mode="both" /> — {event.message}
          </li>
        ))}
      </ol>
      {error ? <p className="error small">{error.message}</p> : null}
    </div>
  );
}
