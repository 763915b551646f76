'use client';

import { useRef, useState } from 'react';
import { updateEnvironmentAction } from '@/app/(app)/admin/environments/actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';
import { useFormAction } from '@/components/ui/use-form-action';

const FIELDS = ['description', 'requiredApprovals', 'minSoakMinutes', 'metricGates'];

interface GateRow {
  key: number;
  metric: string;
  comparator: '>=' | '<=';
  tolerance: string;
  enabled: boolean;
}

interface EnvironmentRules {
  name: string;
  description: string;
  requiredApprovals: number;
  requirePreviousEnvironment: boolean;
  soakGateEnabled: boolean;
  minSoakMinutes: number;
  blockOnOpenDriftAlert: boolean;
  authorCannotApprove: boolean;
  metricGates: { metric: string; comparator: '>=' | '<='; tolerance: number; enabled: boolean }[];
}

/**
 * One environment's promotion rules. Inputs are controlled so a refused save keeps what
 * was typed; metric gates are rows that can be added and removed (blank rows are ignored).
 */
export function EnvironmentRulesForm({ environment, previous }: { environment: EnvironmentRules; previous: string | null }) {
  const { state, pending, errors, errorId, form, field } = useFormAction(updateEnvironmentAction);
  const [description, setDescription] = useState(environment.description);
  const [requiredApprovals, setRequiredApprovals] = useState(String(environment.requiredApprovals));
  const [requirePrevious, setRequirePrevious] = useState(environment.requirePreviousEnvironment);
  const [soakEnabled, setSoakEnabled] = useState(environment.soakGateEnabled);
  const [minSoak, setMinSoak] = useState(String(environment.minSoakMinutes));
  const [blockDrift, setBlockDrift] = useState(environment.blockOnOpenDriftAlert);
  const [authorCannotApprove, setAuthorCannotApprove] = useState(environment.authorCannotApprove);
  const [rows, setRows] = useState<GateRow[]>(() =>
    environment.metricGates.map((g, index) => ({ key: index, metric: g.metric, comparator: g.comparator, tolerance: String(g.tolerance), enabled: g.enabled })),
  );
  // Row keys (and so input ids) stay stable while rows are added and removed.
  const nextKey = useRef(environment.metricGates.length);
  const id = (field: string) => `env-${environment.name}-${field}`;
  const update = (key: number, patch: Partial<GateRow>) => setRows((list) => list.map((row) => (row.key === key ? { ...row, ...patch } : row)));

  return (
    <form className="stack wide" {...form} aria-label={`Rules of ${environment.name}`}>
      <input type="hidden" name="name" value={environment.name} />
      <div className="field">
        <label htmlFor={id('description')}>Description</label>
        <input id={id('description')} name="description" maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} {...field('description')} />
        <FieldError errors={errors} name="description" id={errorId('description')} />
      </div>
      <div className="field narrow">
        <label htmlFor={id('approvals')}>Required approvals</label>
        <input
          id={id('approvals')}
          name="requiredApprovals"
          type="number"
          min={0}
          max={10}
          required
          value={requiredApprovals}
          onChange={(e) => setRequiredApprovals(e.target.value)}
          {...field('requiredApprovals', id('approvals-hint'))}
        />
        <span className="hint" id={id('approvals-hint')}>0: requests start at once, without a reviewer.</span>
        <FieldError errors={errors} name="requiredApprovals" id={errorId('requiredApprovals')} />
      </div>
      <fieldset className="checks vertical">
        <legend>Gates and separation of duties</legend>
        <label htmlFor={id('previous')}>
          <input id={id('previous')} type="checkbox" name="requirePreviousEnvironment" value="true" checked={requirePrevious} onChange={(e) => setRequirePrevious(e.target.checked)} />
          The version must have been live in {previous ?? 'the previous environment'}
          {previous ? null : <span className="muted"> (this is the first environment, so this never applies)</span>}
        </label>
        <label htmlFor={id('soak')}>
          <input id={id('soak')} type="checkbox" name="soakGateEnabled" value="true" checked={soakEnabled} onChange={(e) => setSoakEnabled(e.target.checked)} />
          Minimum soak time in {previous ?? 'the previous environment'}
        </label>
        <div className="field narrow indent">
          <label htmlFor={id('soak-minutes')}>Soak time (minutes)</label>
          <input
            id={id('soak-minutes')}
            name="minSoakMinutes"
            type="number"
            min={0}
            max={129600}
            required
            value={minSoak}
            onChange={(e) => setMinSoak(e.target.value)}
            {...field('minSoakMinutes', id('soak-hint'))}
          />
          <span className="hint" id={id('soak-hint')}>{soakEnabled ? 'Enforced.' : 'Kept, but not enforced while the soak gate is off.'}</span>
          <FieldError errors={errors} name="minSoakMinutes" id={errorId('minSoakMinutes')} />
        </div>
        <label htmlFor={id('drift')}>
          <input id={id('drift')} type="checkbox" name="blockOnOpenDriftAlert" value="true" checked={blockDrift} onChange={(e) => setBlockDrift(e.target.checked)} />
          An open drift alert blocks promotion
        </label>
        <label htmlFor={id('author')}>
          <input id={id('author')} type="checkbox" name="authorCannotApprove" value="true" checked={authorCannotApprove} onChange={(e) => setAuthorCannotApprove(e.target.checked)} />
          Whoever registered the version cannot approve it (the requester never can)
        </label>
      </fieldset>

      <fieldset className="gates">
        <legend>Metric gates (relative to the live version)</legend>
        {rows.length === 0 ? <p className="muted small">No metric gates.</p> : null}
        {rows.map((row, index) => (
          <div key={row.key} className="gate-row" role="group" aria-label={`Metric gate ${index + 1}`}>
            <div className="field">
              <label htmlFor={id(`gate-${row.key}-metric`)}>Metric</label>
              <input id={id(`gate-${row.key}-metric`)} name="gateMetric[]" size={16} value={row.metric} maxLength={100} placeholder="accuracy" onChange={(e) => update(row.key, { metric: e.target.value })} {...field(`metricGates.${index}.metric`)} />
              <FieldError errors={errors} name={`metricGates.${index}.metric`} id={errorId(`metricGates.${index}.metric`)} />
            </div>
            <div className="field">
              <label htmlFor={id(`gate-${row.key}-comparator`)}>Must be</label>
              <select id={id(`gate-${row.key}-comparator`)} name="gateComparator[]" value={row.comparator} onChange={(e) => update(row.key, { comparator: e.target.value as '>=' | '<=' })} {...field(`metricGates.${index}.comparator`)}>
                <option value=">=">&gt;= live − tolerance</option>
                <option value="<=">&lt;= live + tolerance</option>
              </select>
              <FieldError errors={errors} name={`metricGates.${index}.comparator`} id={errorId(`metricGates.${index}.comparator`)} />
            </div>
            <div className="field narrow">
              <label htmlFor={id(`gate-${row.key}-tolerance`)}>Tolerance</label>
              <input id={id(`gate-${row.key}-tolerance`)} name="gateTolerance[]" size={8} inputMode="decimal" value={row.tolerance} placeholder="0.01" onChange={(e) => update(row.key, { tolerance: e.target.value })} {...field(`metricGates.${index}.tolerance`)} />
              <FieldError errors={errors} name={`metricGates.${index}.tolerance`} id={errorId(`metricGates.${index}.tolerance`)} />
            </div>
            <label className="inline-check" htmlFor={id(`gate-${row.key}-enabled`)}>
              <input id={id(`gate-${row.key}-enabled`)} type="checkbox" name="gateEnabled[]" value={String(index)} checked={row.enabled} onChange={(e) => update(row.key, { enabled: e.target.checked })} />
              Enabled
            </label>
            <button type="button" className="btn small danger" onClick={() => setRows((list) => list.filter((r) => r.key !== row.key))} aria-label={`Remove metric gate ${row.metric || index + 1}`}>
              Remove
            </button>
          </div>
        ))}
        <FieldError errors={errors} name="metricGates" id={errorId('metricGates')} />
        <div>
          <button type="button" className="btn small" onClick={() => setRows((list) => [...list, { key: nextKey.current++, metric: '', comparator: '>=', tolerance: '0', enabled: true }])}>
            Add metric gate
          </button>
        </div>
      </fieldset>
      <FormMessage state={state} fields={FIELDS} />
      <div>
        <button className="btn primary" type="submit" disabled={pending}>
          {pending ? 'Saving…' : `Save ${environment.name}`}
        </button>
      </div>
    </form>
  );
}
