'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { formatNumber } from '@/components/ui/number-text';
import type { FieldErrors } from '@/lib/errors';
import type { LoadProbeView } from '@/lib/validation/decisions';
import { ProbeChart } from './probe-chart';

const OPTION_LABELS: Record<LoadProbeView['option'], string> = { local_realtime: 'Local real-time (model server)', edge: 'Edge (onnxruntime in process)' };
const moving = (probe: LoadProbeView | undefined) => probe?.status === 'queued' || probe?.status === 'running';

async function fetchProbe(id: string): Promise<LoadProbeView> {
  const response = await fetch(`/api/v1/load-probes/${id}`, { cache: 'no-store' });
  const body = (await response.json()) as LoadProbeView & { detail?: string };
  if (!response.ok) throw new Error(body.detail ?? `Could not load the probe (${response.status}).`);
  return body;
}

/** One probe's progress (polled every second while it runs) and its latency-vs-throughput curve. */
function ProbeCard({ initial, onFinished }: { initial: LoadProbeView; onFinished: () => void }) {
  const { data } = useQuery({
    queryKey: ['load-probe', initial.id],
    queryFn: () => fetchProbe(initial.id),
    initialData: initial,
    staleTime: 0,
    refetchInterval: (query) => (moving(query.state.data) ? 1000 : false),
  });
  const probe = data ?? initial;
  const wasMoving = useRef(moving(initial));
  useEffect(() => {
    if (wasMoving.current && !moving(probe)) onFinished();
    wasMoving.current = moving(probe);
  }, [probe, onFinished]);
  const done = probe.steps.length;
  return (
    <section className="panel" aria-label={`${OPTION_LABELS[probe.option]} probe`} data-testid={`probe-${probe.option}`}>
      <h3>
        {OPTION_LABELS[probe.option]}
        {probe.environment ? <span className="muted small"> · {probe.environment}</span> : null}{' '}
        <span className={`badge ${probe.status === 'succeeded' ? 'ok' : probe.status === 'failed' ? 'danger' : ''}`} data-testid="probe-status">{probe.status}</span>
      </h3>
      <p className="small">
        Step {done} of up to {probe.plannedSteps}: {probe.startRate} → {probe.maxRate} req/s by {probe.rateStep}, {probe.stepSeconds} s each; p95 target {probe.targetP95Ms} ms.
      </p>
      {moving(probe) ? (
        <progress max={probe.plannedSteps} value={done} aria-label="Probe progress" style={{ width: '100%' }}>
          {done} of {probe.plannedSteps}
        </progress>
      ) : null}
      {probe.stopReason ? <p className="small" data-testid="probe-stop-reason">{probe.stopReason}</p> : null}
      {probe.error ? <div className="notice danger" role="alert">{probe.error}</div> : null}
      <ProbeChart probe={probe} />
      {done > 0 ? (
        <details>
          <summary>Steps</summary>
          <div className="table-wrap">
            <table className="table compact">
              <thead>
                <tr><th scope="col">Rate sent</th><th scope="col">Answered/s</th><th scope="col">p50 ms</th><th scope="col">p95 ms</th><th scope="col">Errors</th></tr>
              </thead>
              <tbody>
                {probe.steps.map((step) => (
                  <tr key={step.rate}>
                    <td className="mono">{step.rate}</td>
                    <td className="mono">{formatNumber(step.throughput)}</td>
                    <td className="mono">{formatNumber(step.p50Ms)}</td>
                    <td className="mono">{formatNumber(step.p95Ms)}</td>
                    <td className="mono">{step.errors}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
    </section>
  );
}

/**
 * Starts load probes (engineers) and shows the latest probe of each option. The decision
 * matrix above is server-rendered; it is refreshed when a probe finishes.
 */
export function ProbePanel(props: { model: string; version: number; probes: LoadProbeView[]; environments: string[]; canStart: boolean; targetP95Ms: number }) {
  const router = useRouter();
  const [probes, setProbes] = useState(props.probes);
  const [option, setOption] = useState<LoadProbeView['option']>(props.environments.length > 0 ? 'local_realtime' : 'edge');
  const [error, setError] = useState<{ message: string; fields?: FieldErrors } | null>(null);
  const [pending, setPending] = useState(false);
  useEffect(() => setProbes(props.probes), [props.probes]);

  async function start(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const number = (name: string) => Number(data.get(name));
    const body = {
      option,
      ...(option === 'local_realtime' ? { environment: String(data.get('environment') ?? '') } : {}),
      targetP95Ms: number('targetP95Ms'),
      startRate: number('startRate'),
      rateStep: number('rateStep'),
      maxRate: number('maxRate'),
      stepSeconds: number('stepSeconds'),
    };
    setPending(true);
    setError(null);
    try {
      const response = await fetch(`/api/v1/models/${encodeURIComponent(props.model)}/versions/${props.version}/load-probes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = (await response.json()) as LoadProbeView & { detail?: string; errors?: FieldErrors };
      if (!response.ok) {
        setError({ message: answer.detail ?? `The probe could not start (${response.status}).`, fields: answer.errors });
        return;
      }
      setProbes((current) => [answer, ...current.filter((p) => p.option !== answer.option)]);
    } finally {
      setPending(false);
    }
  }

  const fieldError = (name: string) => error?.fields?.[name]?.join(' ');
  const numberField = (name: string, label: string, value: number, max: number, hint?: string) => (
    <div className="field">
      <label htmlFor={`probe-${name}`}>{label}</label>
      <input id={`probe-${name}`} name={name} type="number" min={1} max={max} step={name === 'targetP95Ms' ? 'any' : 1} defaultValue={value} aria-invalid={fieldError(name) ? true : undefined} aria-describedby={fieldError(name) ? `probe-${name}-error` : undefined} />
      {hint ? <span className="hint">{hint}</span> : null}
      {fieldError(name) ? <span className="error" id={`probe-${name}-error`}>{fieldError(name)}</span> : null}
    </div>
  );

  return (
    <>
      {props.canStart ? (
        <form className="panel" onSubmit={start} aria-label="Start a load probe">
          <p className="small muted">
            A probe raises the request rate step by step until p95 passes the target or the maximum rate is done (at most 1,000 req/s, 10 s a step, 120 s in all).
            Local real-time probes send real requests to the environment&apos;s model server; they show up in its monitoring.
          </p>
          <div className="try-grid">
            <div className="field">
              <label htmlFor="probe-option">Option to probe</label>
              <select id="probe-option" value={option} onChange={(e) => setOption(e.target.value as LoadProbeView['option'])}>
                <option value="local_realtime" disabled={props.environments.length === 0}>{OPTION_LABELS.local_realtime}</option>
                <option value="edge">{OPTION_LABELS.edge}</option>
              </select>
              {props.environments.length === 0 ? <span className="hint">No environment with a backend serves v{props.version}: deploy it to probe local real-time.</span> : null}
            </div>
            {option === 'local_realtime' && props.environments.length > 0 ? (
              <div className="field">
                <label htmlFor="probe-environment">Environment</label>
                <select id="probe-environment" name="environment" defaultValue={props.environments[0]}>
                  {props.environments.map((e) => <option key={e} value={e}>{e}</option>)}
                </select>
              </div>
            ) : null}
            {numberField('targetP95Ms', 'p95 target (ms)', props.targetP95Ms, 60_000)}
            {numberField('startRate', 'Start rate (req/s)', 10, 1000)}
            {numberField('rateStep', 'Step (req/s)', 40, 1000)}
            {numberField('maxRate', 'Maximum rate (req/s)', 250, 1000)}
            {numberField('stepSeconds', 'Seconds per step', 2, 10)}
          </div>
          <div className="try-actions">
            <button className="btn primary" type="submit" disabled={pending} data-testid="start-probe">{pending ? 'Starting…' : 'Start probe'}</button>
          </div>
          {error ? <div className="notice danger" role="alert">{error.message}</div> : null}
        </form>
      ) : (
        <p className="muted small">Engineers can run load probes; the figures below come from the latest ones.</p>
      )}
      {probes.length === 0 ? (
        <div className="panel empty" role="status">
          <strong>No probe has run for v{props.version} yet.</strong>
          <p>{props.canStart ? 'Start one above: the matrix marks figures "measured" once a probe has finished.' : 'Ask an engineer to run one: until then the latency figures are "not measured".'}</p>
        </div>
      ) : (
        <div className="grid-2">
          {probes.map((probe) => (
            <ProbeCard key={probe.id} initial={probe} onFinished={() => router.refresh()} />
          ))}
        </div>
      )}
    </>
  );
}
