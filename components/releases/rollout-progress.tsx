'use client';

import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { DataTable } from '@/components/ui/data-table';
import { Time } from '@/components/ui/time';
import type { z } from 'zod';
import type { ZCanaryAnalysis, ZRelease, ZShadowStats } from '@/lib/validation/registry-responses';
import { IN_FLIGHT_STATUSES } from './release-status';
import { RolloutControls } from './rollout-controls';

export type RolloutView = NonNullable<z.infer<typeof ZRelease>['rollout']>;
type ShadowStats = z.infer<typeof ZShadowStats>;
type Analysis = z.infer<typeof ZCanaryAnalysis>;

const PHASES: Record<string, string> = {
  loading: 'Loading the new version (download, sha256 check, warm-up)',
  switching: 'Switching traffic',
  canary: 'Canary: moving traffic step by step, analysing between steps',
  shadow: 'Shadow: mirrored requests only, answers never returned',
  aborting: 'Ended: putting all traffic back on the primary',
  aborted: 'Ended: all traffic on the primary',
  unloading: 'All traffic switched; unloading the replaced version',
  done: 'Done',
  failed: 'Failed',
  awaiting_callback: 'Handed to the deployment webhook; waiting for its callback',
};

interface Snapshot {
  status: string;
  rollout: RolloutView | null;
  shadowStats: ShadowStats | null;
}

async function fetchRollout(id: string): Promise<Snapshot> {
  const response = await fetch(`/api/v1/promotions/${id}`, { cache: 'no-store' });
  const body = (await response.json()) as { status?: string; rollout?: RolloutView | null; shadowStats?: ShadowStats | null; detail?: string };
  if (!response.ok || !body.status) throw new Error(body.detail ?? `Could not load the rollout (${response.status}).`);
  return { status: body.status, rollout: body.rollout ?? null, shadowStats: body.shadowStats ?? null };
}

const moving = (status: string, rollout: RolloutView | null) =>
  IN_FLIGHT_STATUSES.includes(status) || rollout?.phase === 'unloading' || rollout?.phase === 'aborting';

const pct = (rate: number) => `${(rate * 100).toFixed(1)} %`;
const ms = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${value.toFixed(1)} ms`);

/**
 * What the release-deploy job has done so far on the environment's backend, polled every
 * second while the rollout moves (the job writes a row after each step): the timeline, each
 * canary step with its analyses, a shadow's agreement with the primary, and the controls.
 */
export function RolloutProgress(props: {
  id: string;
  status: string;
  strategy: string;
  version: number;
  rollout: RolloutView | null;
  shadowStats?: ShadowStats | null;
  canControl?: boolean;
}) {
  const { id, status, rollout: initial } = props;
  const { data, error, refetch } = useQuery({
    queryKey: ['release-rollout', id],
    queryFn: () => fetchRollout(id),
    initialData: { status, rollout: initial, shadowStats: props.shadowStats ?? null },
    staleTime: 0,
    refetchInterval: (query) => (moving(query.state.data?.status ?? status, query.state.data?.rollout ?? null) ? 1000 : false),
  });
  const rollout = data?.rollout ?? null;
  const current = data?.status ?? status;
  const onDone = useCallback(() => void refetch(), [refetch]);

  if (!rollout) {
    return IN_FLIGHT_STATUSES.includes(current) ? <p className="muted" data-testid="rollout-waiting">Waiting for the deployment job to start…</p> : null;
  }
  const primaryVersion = rollout.canary?.primaryVersion ?? rollout.shadow?.primaryVersion ?? null;
  return (
    <div aria-live="polite" data-testid="rollout-progress">
      <p>
        <strong data-testid="rollout-phase">{current === 'paused' ? 'Paused: no further step until resumed' : rollout.phase ? PHASES[rollout.phase] : 'Not started'}</strong>
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
      {props.canControl ? (
        <RolloutControls id={id} strategy={props.strategy} status={current} version={props.version} primaryVersion={primaryVersion} onDone={onDone} />
      ) : null}
      {rollout.canary ? <CanarySteps canary={rollout.canary} version={props.version} paused={current === 'paused'} /> : null}
      {rollout.shadow && props.strategy === 'shadow' ? (
        <ShadowPanel shadow={rollout.shadow} stats={data?.shadowStats ?? null} running={current === 'deploying'} version={props.version} />
      ) : null}
      <h3 className="small">Timeline</h3>
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

const OUTCOME: Record<string, { label: string; tone: string }> = {
  pass: { label: 'passed', tone: 'ok' },
  fail: { label: 'failed', tone: 'danger' },
  promoted: { label: 'promoted now', tone: 'info' },
  aborted: { label: 'aborted', tone: 'danger' },
};

function CanarySteps({ canary, version, paused }: { canary: NonNullable<RolloutView['canary']>; version: number; paused: boolean }) {
  return (
    <>
      <h3 className="small">
        Canary steps <span className="muted">(every {canary.intervalSeconds} s, compared with v{canary.primaryVersion})</span>
      </h3>
      <DataTable label="Canary steps" columns={['Step', 'Traffic', 'Analysis', 'Result']}>
        {canary.steps.map((step, index) => {
          const last = step.analyses.at(-1);
          const outcome = step.outcome ? OUTCOME[step.outcome] : null;
          return (
            <tr key={index} data-testid={`canary-step-${index + 1}`}>
              <td>{index + 1}</td>
              <td>
                v{version} {step.percent}%{step.percent < 100 ? ` · v${canary.primaryVersion} ${100 - step.percent}%` : ''}
                <div className="muted small">
                  from <Time value={step.startedAt} mode="both" />
                </div>
              </td>
              <td>{last ? <AnalysisFigures analysis={last} /> : <span className="muted small">{step.percent >= 100 ? 'final step' : 'waiting for the interval to end'}</span>}</td>
              <td>
                {outcome ? (
                  <span className={`badge ${outcome.tone}`} data-testid="canary-step-outcome">
                    {outcome.label}
                  </span>
                ) : (
                  <span className={`badge ${paused ? 'warn' : 'info'}`} data-testid="canary-step-outcome">
                    {paused ? 'paused' : 'running'}
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </DataTable>
    </>
  );
}

function AnalysisFigures({ analysis }: { analysis: Analysis }) {
  return (
    <div className="small" data-testid="canary-analysis">
      <div>
        canary v{analysis.canary.version}: {analysis.canary.requests} requests, errors {pct(analysis.canary.errorRate)}, p95 {ms(analysis.canary.p95Ms)}
      </div>
      <div className="muted">
        primary v{analysis.primary.version}: {analysis.primary.requests} requests, errors {pct(analysis.primary.errorRate)}, p95 {ms(analysis.primary.p95Ms)}
      </div>
      <ul className="analysis-checks">
        {analysis.checks.map((check) => (
          <li key={check.name} className={check.passed ? 'ok' : 'danger'}>
            {check.passed ? '✓' : '✗'} {check.detail}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ShadowPanel({ shadow, stats, running, version }: { shadow: NonNullable<RolloutView['shadow']>; stats: ShadowStats | null; running: boolean; version: number }) {
  return (
    <div data-testid="shadow-stats">
      <h3 className="small">
        Shadow v{version}: {shadow.percent} % of requests mirrored, compared with v{shadow.primaryVersion}
      </h3>
      {!running ? null : !stats ? (
        <p className="muted small">The backend did not answer; the figures come back when it does.</p>
      ) : stats.compared === 0 ? (
        <p className="muted small">No mirrored request compared yet in the last {stats.windowSeconds} s. Send requests to the endpoint to see agreement.</p>
      ) : (
        <dl className="meta small">
          <div>
            <dt>Compared</dt>
            <dd data-testid="shadow-compared">{stats.compared} requests (last {stats.windowSeconds} s)</dd>
          </div>
          {stats.agreement !== null ? (
            <div>
              <dt>Agreement</dt>
              <dd data-testid="shadow-agreement">{pct(stats.agreement)} equal labels</dd>
            </div>
          ) : null}
          {stats.meanAbsoluteDifference !== null ? (
            <div>
              <dt>Mean absolute difference</dt>
              <dd data-testid="shadow-mad">{stats.meanAbsoluteDifference.toPrecision(4)}</dd>
            </div>
          ) : null}
          <div>
            <dt>Latency p95</dt>
            <dd data-testid="shadow-latency">
              shadow {ms(stats.latencyMs?.p95)} · primary {ms(stats.primaryLatencyMs?.p95)}
            </dd>
          </div>
        </dl>
      )}
    </div>
  );
}
