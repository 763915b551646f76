'use client';

import { useRef, useState } from 'react';
import { updateEnvironmentAction } from '@/app/(app)/admin/environments/actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';
import { useFormAction } from '@/components/ui/use-form-action';
import { CheckboxField, SelectField, SubmitButton, TextField } from '@/components/ui/form-fields';

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
  const { state, pending, errors, errorId, form } = useFormAction(updateEnvironmentAction);
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
      <TextField
        id={id('description')}
        name="description"
        label="Description"
        maxLength={500}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        errors={errors}
        errorId={errorId('description')}
      />
      <TextField
        className="narrow"
        id={id('approvals')}
        name="requiredApprovals"
        label="Required approvals"
        type="number"
        min={0}
        max={10}
        required
        value={requiredApprovals}
        onChange={(e) => setRequiredApprovals(e.target.value)}
        hint="0: requests start at once, without a reviewer."
        errors={errors}
        errorId={errorId('requiredApprovals')}
      />
      <fieldset className="checks vertical">
        <legend>Gates and separation of duties</legend>
        <CheckboxField
          id={id('previous')}
          name="requirePreviousEnvironment"
          value="true"
          checked={requirePrevious}
          onChange={(e) => setRequirePrevious(e.target.checked)}
          label={
            <>
              The version must have been live in {previous ?? 'the previous environment'}
              {previous ? null : <span className="muted"> (this is the first environment, so this never applies)</span>}
            </>
          }
        />
        <CheckboxField
          id={id('soak')}
          name="soakGateEnabled"
          value="true"
          checked={soakEnabled}
          onChange={(e) => setSoakEnabled(e.target.checked)}
          label={<>Minimum soak time in {previous ?? 'the previous environment'}</>}
        />
        <TextField
          className="narrow indent"
          id={id('soak-minutes')}
          name="minSoakMinutes"
          label="Soak time (minutes)"
          type="number"
          min={0}
          max={129600}
          required
          value={minSoak}
          onChange={(e) => setMinSoak(e.target.value)}
          hint={soakEnabled ? 'Enforced.' : 'Kept, but not enforced while the soak gate is off.'}
          errors={errors}
          errorId={errorId('minSoakMinutes')}
        />
        <CheckboxField id={id('drift')} name="blockOnOpenDriftAlert" value="true" checked={blockDrift} onChange={(e) => setBlockDrift(e.target.checked)} label="An open drift alert blocks promotion" />
        <CheckboxField id={id('author')} name="authorCannotApprove" value="true" checked={authorCannotApprove} onChange={(e) => setAuthorCannotApprove(e.target.checked)} label="Whoever registered the version cannot approve it (the requester never can)" />
      </fieldset>

      <fieldset className="gates">
        <legend>Metric gates (relative to the live version)</legend>
        {rows.length === 0 ? <p className="muted small">No metric gates.</p> : null}
        {rows.map((row, index) => (
          <div key={row.key} className="gate-row" role="group" aria-label={`Metric gate ${index + 1}`}>
            <TextField
              id={id(`gate-${row.key}-metric`)}
              name="gateMetric[]"
              label="Metric"
              size={16}
              value={row.metric}
              maxLength={100}
              placeholder="accuracy"
              onChange={(e) => update(row.key, { metric: e.target.value })}
              errors={errors}
              errorKey={`metricGates.${index}.metric`}
              errorId={errorId(`metricGates.${index}.metric`)}
            />
            <SelectField
              id={id(`gate-${row.key}-comparator`)}
              name="gateComparator[]"
              label="Must be"
              value={row.comparator}
              onChange={(e) => update(row.key, { comparator: e.target.value as '>=' | '<=' })}
              errors={errors}
              errorKey={`metricGates.${index}.comparator`}
              errorId={errorId(`metricGates.${index}.comparator`)}
            >
              <option value=">=">&gt;= live − tolerance</option>
              <option value="<=">&lt;= live + tolerance</option>
            </SelectField>
            <TextField
              className="narrow"
              id={id(`gate-${row.key}-tolerance`)}
              name="gateTolerance[]"
              label="Tolerance"
              size={8}
              inputMode="decimal"
              value={row.tolerance}
              placeholder="0.01"
              onChange={(e) => update(row.key, { tolerance: e.target.value })}
              errors={errors}
              errorKey={`metricGates.${index}.tolerance`}
              errorId={errorId(`metricGates.${index}.tolerance`)}
            />
            <CheckboxField
              className="inline-check"
              id={id(`gate-${row.key}-enabled`)}
              name="gateEnabled[]"
              value={String(index)}
              checked={row.enabled}
              onChange={(e) => update(row.key, { enabled: e.target.checked })}
              label="Enabled"
            />
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
      <SubmitButton pending={pending} label={`Save ${environment.name}`} pendingLabel="Saving…" />
    </form>
  );
}
