import Link from 'next/link';
import { StreamingLag } from '@/components/deployments/streaming-lag';
import { ReleaseStatusBadge } from '@/components/releases/release-status-badge';
import { Time } from '@/components/ui/time';
import type { LaneDeployment } from '@/lib/server/deployments/list-model-endpoints';
import type { LiveEntry } from '@/lib/server/registry/live-releases';
import { LaneTraffic } from './lane-traffic';
import { RollbackButton } from './rollback-button';

export interface Lane {
  environment: string;
  liveVersion: number | null;
  since: string | null;
  releaseId: string | null;
  /** The version a rollback would restore; null when there is nothing to go back to. */
  rollbackTo: number | null;
  secondary: LiveEntry | null;
  pending: { id: string; version: number; status: string } | null;
  /** Who answers, as the last committed switch left it (a canary takes its step's share). */
  traffic?: { version: number; percent: number; slot: string }[];
  /** A shadow being mirrored a share of requests (it answers nobody). */
  mirror?: { version: number; percent: number } | null;
}

/** One card per environment, in promotion order: what is live, since when, and what is on its way. */
export function EnvironmentLanes({
  model,
  lanes,
  deployments = {},
  canRollback,
}: {
  model: string;
  lanes: Lane[];
  /** Environments with a deployment backend, and where this model answers there. */
  deployments?: Record<string, LaneDeployment>;
  canRollback: boolean;
}) {
  return (
    <section aria-labelledby="lanes-heading">
      <h2 id="lanes-heading">Environments</h2>
      <ol className="lanes">
        {lanes.map((lane) => (
          <li key={lane.environment} className="lane" data-testid={`lane-${lane.environment}`} aria-labelledby={`lane-${lane.environment}-name`}>
            <h3 id={`lane-${lane.environment}-name`}>{lane.environment}</h3>
            {lane.liveVersion !== null ? (
              <>
                <p className="lane-live">
                  <Link href={`/models/${model}/versions/${lane.liveVersion}`} data-testid="lane-live-version">
                    v{lane.liveVersion}
                  </Link>{' '}
                  <span className="badge ok">live</span>
                  {deployments[lane.environment] ? (
                    <span className="muted small" data-testid="lane-traffic">
                      {' '}
                      ·{' '}
                      <LaneTraffic
                        model={model}
                        environment={lane.environment}
                        traffic={lane.traffic?.length ? lane.traffic : [{ version: lane.liveVersion, percent: 100 }]}
                        rollingOut={lane.pending?.status === 'deploying' || lane.pending?.status === 'paused' || lane.pending?.status === 'approved'}
                      />
                      {lane.mirror ? ` · v${lane.mirror.version} mirrored ${lane.mirror.percent}%` : ''}
                    </span>
                  ) : null}
                </p>
                {lane.since ? (
                  <p className="muted small">
                    since <Time value={lane.since} mode="both" />
                  </p>
                ) : null}
              </>
            ) : (
              <p className="muted lane-live" data-testid="lane-empty">Nothing live</p>
            )}
            {deployments[lane.environment] ? (
              <p className="small lane-endpoint">
                Serves at <code data-testid="lane-endpoint" style={{ wordBreak: 'break-all' }}>{deployments[lane.environment]!.endpoint}/v2/models/{model}/infer</code>
              </p>
            ) : (
              <p className="muted small" data-testid="lane-alias">
                Registry alias: no deployment backend here.
              </p>
            )}
            {deployments[lane.environment]?.streaming ? <StreamingLag model={model} environment={lane.environment} /> : null}
            {lane.secondary ? (
              <p className="small">
                {lane.secondary.strategy} v{lane.secondary.version}{' '}
                <span className="badge info">{lane.secondary.strategy === 'shadow' ? 'mirrored traffic' : 'partial traffic'}</span>
              </p>
            ) : null}
            {lane.pending ? (
              <p className="small" data-testid="lane-pending">
                {/* "version N", not "vN": the lane's vN is what is live (tests and people scan for it). */}
                Requested: <Link href={`/releases/${lane.pending.id}`}>version {lane.pending.version}</Link>{' '}
                <ReleaseStatusBadge id={lane.pending.id} status={lane.pending.status} testId={`lane-${lane.environment}-pending-status`} />
              </p>
            ) : null}
            {canRollback && lane.releaseId && lane.liveVersion !== null && lane.rollbackTo !== null ? (
              <RollbackButton
                model={model}
                environment={lane.environment}
                releaseId={lane.releaseId}
                liveVersion={lane.liveVersion}
                rollbackTo={lane.rollbackTo}
              />
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
