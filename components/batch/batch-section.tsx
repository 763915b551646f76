'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { Time } from '@/components/ui/time';
import type { BatchJobView } from '@/lib/validation/batch';
import { BatchSchedules, type ScheduleView } from './batch-schedules';
import { uploadFile, uploadHeaders } from './upload-file';

const ACTIVE = ['queued', 'running'];

async function fetchList(url: string): Promise<BatchJobView[]> {
  const response = await fetch(url, { cache: 'no-store' });
  const body = (await response.json()) as { items?: BatchJobView[]; detail?: string };
  if (!response.ok || !body.items) throw new Error(body.detail ?? `Could not load the list (${response.status}).`);
  return body.items;
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.ceil((seconds % 3600) / 60)} min`;
}

/**
 * Batch scoring and one-off runs of a version: upload a file (streamed, with upload
 * progress), then watch each job's progress, rows/s and ETA (polled every second while a
 * job is queued or running), read its row errors, download its output or cancel it; and
 * the cron schedules that start jobs from an input URI.
 */
export function BatchSection(props: {
  model: string;
  version: number;
  canRun: boolean;
  /** Why the version cannot be scored (not ONNX, artifact not stored), or null. */
  unscorable: string | null;
  initialJobs: BatchJobView[];
  initialRuns: BatchJobView[];
  initialSchedules: ScheduleView[];
}) {
  const base = `/api/v1/models/${encodeURIComponent(props.model)}/versions/${props.version}`;
  const jobs = useQuery({
    queryKey: ['batch-jobs', props.model, props.version],
    queryFn: () => fetchList(`${base}/batch-jobs`),
    initialData: props.initialJobs,
    staleTime: 0,
    refetchInterval: (query) => ((query.state.data ?? []).some((job) => ACTIVE.includes(job.status)) ? 1000 : false),
  });
  const runs = useQuery({
    queryKey: ['batch-runs', props.model, props.version],
    queryFn: () => fetchList(`${base}/runs`),
    initialData: props.initialRuns,
    staleTime: 0,
    refetchInterval: (query) => ((query.state.data ?? []).some((run) => ACTIVE.includes(run.status)) ? 1000 : false),
  });

  return (
    <section aria-labelledby="batch-heading" data-testid="batch-section">
      <h2 id="batch-heading">Batch scoring and one-off runs</h2>
      {props.unscorable ? (
        <p className="muted">{props.unscorable}</p>
      ) : props.canRun ? (
        <UploadForm base={base} />
      ) : (
        <p className="muted small">Engineers can score files with this version here; you can follow the jobs and download their output.</p>
      )}

      <h3>Batch jobs</h3>
      {jobs.error ? <p className="error small" role="alert">{(jobs.error as Error).message}</p> : null}
      <JobTable items={jobs.data ?? []} kind="batch" canRun={props.canRun} />

      <h3>One-off runs</h3>
      {runs.error ? <p className="error small" role="alert">{(runs.error as Error).message}</p> : null}
      <JobTable items={runs.data ?? []} kind="one_off" canRun={props.canRun} />

      <h3>Schedules</h3>
      <BatchSchedules base={base} canRun={props.canRun && !props.unscorable} initial={props.initialSchedules} />
    </section>
  );
}

function UploadForm({ base }: { base: string }) {
  const queryClient = useQueryClient();
  const fileId = useId();
  const labelId = useId();
  const [kind, setKind] = useState<'batch' | 'one_off'>('batch');
  const [progress, setProgress] = useState<number | null>(null);
  const [message, setMessage] = useState<{ tone: 'ok' | 'danger'; text: string } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const file = (form.elements.namedItem('file') as HTMLInputElement).files?.[0];
    if (!file) return setMessage({ tone: 'danger', text: 'Choose a .csv or .ndjson file (optionally .gz) to score.' });
    if (!uploadHeaders(file.name)) return setMessage({ tone: 'danger', text: `${file.name}: name the file .csv, .ndjson or .jsonl (optionally .gz).` });
    const label = (form.elements.namedItem('label') as HTMLInputElement | null)?.value.trim();
    const url = kind === 'batch' ? `${base}/batch-jobs` : `${base}/runs${label ? `?label=${encodeURIComponent(label)}` : ''}`;
    setMessage(null);
    setProgress(0);
    try {
      const { status, body } = await uploadFile(url, file, setProgress);
      if (status === 202) {
        setMessage({ tone: 'ok', text: `${file.name} uploaded; the ${kind === 'batch' ? 'job' : 'run'} is queued.` });
        form.reset();
        setKind('batch');
        await queryClient.invalidateQueries({ queryKey: [kind === 'batch' ? 'batch-jobs' : 'batch-runs'] });
      } else {
        setMessage({ tone: 'danger', text: body.detail ?? body.title ?? `The upload was refused (${status}).` });
      }
    } catch (error) {
      setMessage({ tone: 'danger', text: (error as Error).message });
    } finally {
      setProgress(null);
    }
  }

  return (
    <form className="panel batch-upload" onSubmit={submit} aria-label="Score a file">
      <div className="field grow">
        <label htmlFor={fileId}>Input file</label>
        <input id={fileId} name="file" type="file" accept=".csv,.ndjson,.jsonl,.gz,text/csv,application/x-ndjson" required />
        <span className="muted small">CSV with a header row, or NDJSON; gzip (.gz) is fine. Columns are matched to the features by name.</span>
      </div>
      <fieldset className="field batch-kind">
        <legend>Run as</legend>
        <label className="inline-check">
          <input type="radio" name="kind" value="batch" checked={kind === 'batch'} onChange={() => setKind('batch')} /> Batch job
        </label>
        <label className="inline-check">
          <input type="radio" name="kind" value="one_off" checked={kind === 'one_off'} onChange={() => setKind('one_off')} /> One-off run (kept, with metrics)
        </label>
      </fieldset>
      {kind === 'one_off' ? (
        <div className="field narrow">
          <label htmlFor={labelId}>Label column</label>
          <input id={labelId} name="label" placeholder="label" />
        </div>
      ) : null}
      <div className="button-row wrap">
        <button className="btn primary" type="submit" disabled={progress !== null}>
          {progress !== null ? 'Uploading…' : kind === 'batch' ? 'Upload and score' : 'Upload and run'}
        </button>
        {progress !== null ? (
          <progress className="batch-progress" max={1} value={progress} aria-label="Upload progress" data-testid="upload-progress" />
        ) : null}
      </div>
      {message ? (
        <p className={`notice ${message.tone}`} role={message.tone === 'danger' ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}

function JobTable({ items, kind, canRun }: { items: BatchJobView[]; kind: 'batch' | 'one_off'; canRun: boolean }) {
  if (items.length === 0) {
    return (
      <EmptyState title={kind === 'batch' ? 'No batch jobs yet.' : 'No one-off runs yet.'}>
        <p className="small">
          {kind === 'batch'
            ? 'Upload a CSV or NDJSON file above to score it with this version, or add a schedule below for a nightly file.'
            : 'Upload a dataset above as a one-off run to keep its sha256, row count, output and — when it has a label column — its metrics.'}
        </p>
      </EmptyState>
    );
  }
  return (
    <ul className="batch-jobs" aria-label={kind === 'batch' ? 'Batch jobs' : 'One-off runs'}>
      {items.map((job) => (
        <JobCard key={job.id} job={job} canRun={canRun} />
      ))}
    </ul>
  );
}

const STATUS_TONE: Record<string, string> = { succeeded: 'ok', failed: 'danger', cancelled: 'warn', running: 'info', queued: '' };

function JobCard({ job, canRun }: { job: BatchJobView; canRun: boolean }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const fraction = job.rowsTotal > 0 ? job.rowsDone / job.rowsTotal : 0;

  async function cancel(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const response = await fetch(`/api/v1/batch-jobs/${job.id}/cancel`, { method: 'POST' });
    if (!response.ok) setError(((await response.json().catch(() => ({}))) as { detail?: string }).detail ?? `Could not cancel (${response.status}).`);
    await queryClient.invalidateQueries({ queryKey: [job.kind === 'batch' ? 'batch-jobs' : 'batch-runs'] });
    setPending(false);
  }

  return (
    <li className="panel batch-job" data-testid="batch-job" data-status={job.status}>
      <div className="batch-job-head">
        <span className={`badge ${STATUS_TONE[job.status] ?? ''}`} data-testid="batch-job-status">{job.status}</span>
        <span className="mono small">{job.id.slice(0, 8)}</span>
        <span className="muted small">
          {job.source === 'upload' ? 'upload' : <span className="break">{job.source}</span>} · {job.format} · <Time value={job.createdAt} mode="both" />
          {job.createdBy ? ` · ${job.createdBy}` : ''}
        </span>
      </div>
      <div className="batch-job-progress">
        <progress className="batch-progress" max={1} value={fraction} aria-label={`Rows done of job ${job.id.slice(0, 8)}`} data-testid="batch-job-progress" />
        <span className="small" data-testid="batch-job-rows">
          {job.rowsDone.toLocaleString()} / {job.rowsTotal.toLocaleString()} rows
          {job.rowsFailed > 0 ? <span className="error small"> · {job.rowsFailed.toLocaleString()} failed</span> : null}
          {job.rowsPerSecond ? ` · ${Math.round(job.rowsPerSecond).toLocaleString()} rows/s` : ''}
          {job.etaSeconds !== null ? ` · ${formatDuration(job.etaSeconds)} left` : ''}
        </span>
      </div>
      {job.failureReason ? <p className="error small">{job.failureReason}</p> : null}
      {job.kind === 'one_off' ? <RunFacts job={job} /> : null}
      {job.errors.length > 0 ? (
        <details>
          <summary>
            Row errors ({job.rowsFailed.toLocaleString()}
            {job.rowsFailed > job.errors.length ? `, first ${job.errors.length} shown` : ''})
          </summary>
          <div className="table-wrap">
            <table className="table compact" aria-label="Row errors">
              <thead>
                <tr><th scope="col">Row</th><th scope="col">Reason</th></tr>
              </thead>
              <tbody>
                {job.errors.map((e) => (
                  <tr key={e.row}><td className="mono">{e.row}</td><td>{e.reason}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
      <div className="button-row wrap">
        {job.outputUrl ? (
          <a className="btn small" href={job.outputUrl} download data-testid="batch-job-download">
            Download output{ACTIVE.includes(job.status) ? ' (so far)' : ''}
          </a>
        ) : null}
        {canRun && ACTIVE.includes(job.status) ? (
          <form onSubmit={cancel}>
            <ConfirmDialog label="Cancel" className="btn small danger" title="Cancel this job?" confirmLabel="Cancel job" pending={pending} pendingLabel="Cancelling…">
              It stops after the chunk it is scoring; the rows scored so far stay in its output.
            </ConfirmDialog>
          </form>
        ) : null}
      </div>
      {error ? <p className="error small" role="alert">{error}</p> : null}
    </li>
  );
}

function RunFacts({ job }: { job: BatchJobView }) {
  const metrics = job.metrics ? Object.entries(job.metrics).filter(([key, value]) => key !== 'labelColumn' && typeof value === 'number') : [];
  return (
    <dl className="meta small">
      <div>
        <dt>Input sha256</dt>
        <dd className="mono break">{job.inputSha256}</dd>
      </div>
      {job.status === 'succeeded' ? (
        <div>
          <dt>Metrics</dt>
          <dd data-testid="run-metrics">
            {metrics.length === 0
              ? `none (no "${job.labelColumn ?? 'label'}" column with values)`
              : metrics.map(([key, value]) => `${key} ${Number.isInteger(value) ? value : (value as number).toFixed(4)}`).join(' · ')}
          </dd>
        </div>
      ) : null}
    </dl>
  );
}
