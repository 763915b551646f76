'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { Time } from '@/components/ui/time';

export interface ScheduleView {
  id: string;
  cron: string;
  inputUri: string;
  format: 'csv' | 'ndjson';
  environment: string | null;
  nextRunAt: string | null;
  lastTickAt: string | null;
  lastJobId: string | null;
  lastError: string | null;
}

async function fetchSchedules(url: string): Promise<ScheduleView[]> {
  const response = await fetch(url, { cache: 'no-store' });
  const body = (await response.json()) as { items?: ScheduleView[]; detail?: string };
  if (!response.ok || !body.items) throw new Error(body.detail ?? `Could not load the schedules (${response.status}).`);
  return body.items;
}

/** Cron schedules that start a batch job from an input URI; add and delete (with confirmation). */
export function BatchSchedules({ base, canRun, initial }: { base: string; canRun: boolean; initial: ScheduleView[] }) {
  const queryClient = useQueryClient();
  const url = `${base}/batch-schedules`;
  const schedules = useQuery({ queryKey: ['batch-schedules', base], queryFn: () => fetchSchedules(url), initialData: initial, staleTime: 0 });
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const ids = { cron: useId(), uri: useId(), format: useId() };

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setError(null);
    setFieldErrors({});
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cron: data.get('cron'), inputUri: data.get('inputUri'), format: data.get('format') }),
    });
    if (response.ok) {
      form.reset();
      await queryClient.invalidateQueries({ queryKey: ['batch-schedules', base] });
      return;
    }
    const problem = (await response.json().catch(() => ({}))) as { detail?: string; errors?: Record<string, string[]> };
    setError(problem.detail ?? `The schedule was refused (${response.status}).`);
    setFieldErrors(problem.errors ?? {});
  }

  async function remove(id: string) {
    const response = await fetch(`/api/v1/batch-schedules/${id}`, { method: 'DELETE' });
    if (!response.ok) setError(((await response.json().catch(() => ({}))) as { detail?: string }).detail ?? `Could not delete (${response.status}).`);
    await queryClient.invalidateQueries({ queryKey: ['batch-schedules', base] });
  }

  const items = schedules.data ?? [];
  return (
    <>
      {items.length === 0 ? (
        <EmptyState title="No schedules.">
          <p className="small">{canRun ? 'Add one below to score a file every night (or on any cron schedule).' : 'Engineers can schedule nightly scoring here.'}</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Batch schedules">
            <thead>
              <tr>
                <th scope="col">Cron (UTC)</th>
                <th scope="col">Input</th>
                <th scope="col">Next run</th>
                <th scope="col">Last run</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr key={s.id}>
                  <td className="mono nowrap">{s.cron}</td>
                  <td className="mono break">{s.inputUri} <span className="badge">{s.format}</span></td>
                  <td className="nowrap">{s.nextRunAt ? <Time value={s.nextRunAt} mode="both" /> : '—'}</td>
                  <td>
                    {s.lastError ? <span className="error small">{s.lastError}</span> : s.lastJobId ? <span className="mono small">{s.lastJobId.slice(0, 8)}</span> : <span className="muted">not yet</span>}
                  </td>
                  <td>
                    {canRun ? (
                      <form onSubmit={(event) => { event.preventDefault(); void remove(s.id); }}>
                        <ConfirmDialog label="Delete" className="btn small danger" labelForAssistiveTech={`Delete schedule ${s.cron}`} title="Delete this schedule?" confirmLabel="Delete schedule">
                          No more jobs will start from {s.inputUri}; the jobs it started stay.
                        </ConfirmDialog>
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canRun ? (
        <form className="panel batch-upload" onSubmit={create} aria-label="Add a schedule">
          <div className="field narrow">
            <label htmlFor={ids.cron}>Cron (UTC)</label>
            <input id={ids.cron} name="cron" required placeholder="0 2 * * *" aria-invalid={Boolean(fieldErrors.cron)} />
            {fieldErrors.cron ? <span className="error small">{fieldErrors.cron[0]}</span> : null}
          </div>
          <div className="field grow">
            <label htmlFor={ids.uri}>Input URI</label>
            <input id={ids.uri} name="inputUri" required placeholder="file:///data/nightly.csv or https://…" aria-invalid={Boolean(fieldErrors.inputUri)} />
            {fieldErrors.inputUri ? <span className="error small">{fieldErrors.inputUri[0]}</span> : null}
          </div>
          <div className="field narrow">
            <label htmlFor={ids.format}>Format</label>
            <select id={ids.format} name="format" defaultValue="csv">
              <option value="csv">CSV</option>
              <option value="ndjson">NDJSON</option>
            </select>
          </div>
          <div className="button-row">
            <button className="btn" type="submit">Add schedule</button>
          </div>
          {error ? <p className="notice danger" role="alert">{error}</p> : null}
        </form>
      ) : null}
    </>
  );
}
