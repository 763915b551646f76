'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useMemo, useState } from 'react';
import { saveRuleAction } from '@/app/(app)/alerts/rules/actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';
import { useFormAction } from '@/components/ui/use-form-action';
import type { RuleEditorOptions, RulePreview } from '@/lib/validation/alerts';
import { COMPARATORS, metricsForTask, SEVERITIES, STATISTICS_BY_TYPE } from '@/lib/validation/form-options';
import type { RuleFormValues } from './rule-form-values';
import { SignalChart } from './signal-chart';

const FIELDS = ['name', 'model', 'environment', 'version', 'signal', 'comparator', 'threshold', 'windowMinutes', 'minSamples', 'severity', 'channels', 'actions'] as const;

const SIGNAL_TYPES = [
  { value: 'feature_drift', label: 'Feature drift' },
  { value: 'dataset_drift', label: 'Dataset drift (share of drifted features)' },
  { value: 'prediction_drift', label: 'Prediction drift' },
  { value: 'performance', label: 'Performance metric' },
  { value: 'latency', label: 'Latency percentile' },
  { value: 'error_rate', label: 'Error rate' },
  { value: 'traffic_drop', label: 'Traffic drop' },
] as const;

const STATISTIC_LABELS: Record<string, string> = { psi: 'PSI', jensen_shannon: 'Jensen–Shannon', ks: 'KS p-value', chi2: 'Chi-square p-value' };

export const EMPTY_RULE: RuleFormValues = {
  name: '',
  model: '',
  environment: '',
  version: '',
  signalType: 'feature_drift',
  feature: '',
  statistic: '',
  metric: '',
  percentile: '95',
  percent: '50',
  against: 'day',
  comparator: '>',
  threshold: '0.2',
  windowMinutes: '60',
  minSamples: '100',
  severity: 'warning',
  channels: [],
  requestRetraining: false,
};

function signalOf(v: RuleFormValues): Record<string, unknown> {
  switch (v.signalType) {
    case 'feature_drift':
      return { type: 'feature_drift', feature: v.feature, ...(v.statistic ? { statistic: v.statistic } : {}) };
    case 'performance':
      return { type: 'performance', metric: v.metric };
    case 'latency':
      return { type: 'latency', percentile: Number(v.percentile) };
    case 'traffic_drop':
      return { type: 'traffic_drop', percent: Number(v.percent), ...(v.against === 'week' ? { against: 'week' } : {}) };
    default:
      return { type: v.signalType };
  }
}

/** Typed text → number; what is not a number is sent as typed, so the server names the field. */
const numeric = (text: string): unknown => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text);

function draftOf(v: RuleFormValues) {
  return {
    name: v.name,
    model: v.model,
    environment: v.environment,
    ...(v.version ? { version: Number(v.version) } : {}),
    signal: signalOf(v),
    comparator: v.comparator,
    threshold: v.signalType === 'traffic_drop' ? Number(v.percent) : numeric(v.threshold),
    windowMinutes: numeric(v.windowMinutes),
    minSamples: numeric(v.minSamples),
    severity: v.severity,
    channels: v.channels,
    actions: v.requestRetraining ? ['request_retraining'] : [],
  };
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

async function fetchPreview(body: string): Promise<RulePreview> {
  const response = await fetch('/api/v1/alert-rules/preview', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    const fields = Object.entries((json as { errors?: Record<string, string[]> }).errors ?? {}).map(([key, messages]) => `${key}: ${messages.join(' ')}`);
    throw new Error(fields.length > 0 ? fields.join(' ') : String((json as { detail?: string }).detail ?? `The preview failed (${response.status}).`));
  }
  return json as RulePreview;
}

/**
 * Create or edit an alert rule. The fields depend on each other (model → its versions and
 * task → features and metrics), so inputs are controlled; the whole draft is sent as one JSON
 * field and checked by the same schemas as the REST API. A preview of how often the rule would
 * have fired over the last 7 days follows the form as it changes.
 */
export function RuleEditor(props: { options: RuleEditorOptions; initial?: RuleFormValues; ruleId?: string; readOnly?: boolean }) {
  const { options } = props;
  const router = useRouter();
  const id = useId();
  const { state, pending, errors, errorId, form, field } = useFormAction(saveRuleAction);
  const [v, setValues] = useState<RuleFormValues>(() => props.initial ?? { ...EMPTY_RULE, model: options.models[0]?.name ?? '', environment: options.environments.at(-1) ?? '' });
  const set = <K extends keyof RuleFormValues>(key: K, value: RuleFormValues[K]) => setValues((previous) => ({ ...previous, [key]: value }));
  const editing = props.ruleId !== undefined;

  const model = options.models.find((m) => m.name === v.model);
  const schemaVersion = v.version ? model?.versions.find((ver) => String(ver.version) === v.version) : model?.versions[0];
  const features = schemaVersion?.features ?? [];
  const feature = features.find((f) => f.name === v.feature);
  const metrics = metricsForTask(model?.task ?? 'other');

  // Keep dependent choices valid when what they depend on changes.
  useEffect(() => {
    if (v.signalType === 'feature_drift' && !feature && features[0]) set('feature', features[0].name);
    if (v.signalType === 'performance' && !metrics.includes(v.metric) && metrics[0]) set('metric', metrics[0]);
    if (feature && v.statistic && !STATISTICS_BY_TYPE[feature.type].includes(v.statistic as 'psi')) set('statistic', '');
  }, [v.signalType, v.metric, v.statistic, feature, features, metrics]);

  useEffect(() => {
    if (state.status === 'success' && !editing) router.push('/alerts/rules');
  }, [state, editing, router]);

  const draft = useMemo(() => draftOf(v), [v]);
  const previewBody = useDebounced(
    JSON.stringify({
      model: draft.model,
      environment: draft.environment,
      ...(draft.version !== undefined ? { version: draft.version } : {}),
      signal: draft.signal,
      comparator: draft.comparator,
      threshold: draft.threshold,
      windowMinutes: draft.windowMinutes,
      minSamples: draft.minSamples,
    }),
    600,
  );
  const preview = useQuery({
    queryKey: ['alert-rule-preview', previewBody],
    queryFn: () => fetchPreview(previewBody),
    enabled: Boolean(draft.model && draft.environment),
    retry: false,
    staleTime: 60_000,
  });

  const disabled = props.readOnly || pending;
  const input = (name: string) => ({ id: `${id}-${name}`, disabled, ...field(name) });

  return (
    <div className="rule-editor">
      <form {...form} className="rule-form" aria-label={editing ? 'Edit alert rule' : 'New alert rule'}>
        {props.ruleId ? <input type="hidden" name="id" value={props.ruleId} /> : null}
        <input type="hidden" name="rule" value={JSON.stringify(draft)} />

        <fieldset className="panel">
          <legend>What to watch</legend>
          <div className="field">
            <label htmlFor={`${id}-name`}>Name</label>
            <input {...input('name')} value={v.name} onChange={(e) => set('name', e.target.value)} placeholder="Churn: age drift in production" maxLength={120} required />
            <FieldError errors={errors} name="name" id={errorId('name')} />
          </div>
          <div className="rule-row">
            <div className="field">
              <label htmlFor={`${id}-model`}>Model</label>
              <select {...input('model')} disabled={disabled || editing} value={v.model} onChange={(e) => setValues((p) => ({ ...p, model: e.target.value, version: '', feature: '' }))}>
                {options.models.map((m) => (
                  <option key={m.name} value={m.name}>{m.name} ({m.task})</option>
                ))}
              </select>
              <FieldError errors={errors} name="model" id={errorId('model')} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-environment`}>Environment</label>
              <select {...input('environment')} disabled={disabled || editing} value={v.environment} onChange={(e) => set('environment', e.target.value)}>
                {options.environments.map((name) => (
                  <option key={name} value={name}>{name}</option>
                ))}
              </select>
              <FieldError errors={errors} name="environment" id={errorId('environment')} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-version`}>Version</label>
              <select {...input('version')} disabled={disabled || editing} value={v.version} onChange={(e) => set('version', e.target.value)}>
                <option value="">Whichever is live</option>
                {model?.versions.map((ver) => (
                  <option key={ver.version} value={String(ver.version)}>v{ver.version}</option>
                ))}
              </select>
              <FieldError errors={errors} name="version" id={errorId('version')} />
            </div>
          </div>
          {editing ? <p className="hint small muted">Model, environment and version are fixed once a rule exists; create another rule to watch something else.</p> : null}
        </fieldset>

        <fieldset className="panel">
          <legend>Signal and condition</legend>
          <div className="rule-row">
            <div className="field">
              <label htmlFor={`${id}-signal`}>Signal</label>
              <select {...input('signal.type')} id={`${id}-signal`} value={v.signalType} onChange={(e) => set('signalType', e.target.value)}>
                {SIGNAL_TYPES.map((s) => (
                  <option key={s.value} value={s.value}>{s.label}</option>
                ))}
              </select>
            </div>
            {v.signalType === 'feature_drift' ? (
              <>
                <div className="field">
                  <label htmlFor={`${id}-feature`}>Feature</label>
                  {features.length === 0 ? (
                    <p className="hint">This version declares no features: register a version with a feature schema first.</p>
                  ) : (
                    <select {...input('signal.feature')} id={`${id}-feature`} value={v.feature} onChange={(e) => set('feature', e.target.value)}>
                      {features.map((f) => (
                        <option key={f.name} value={f.name}>{f.name} ({f.type})</option>
                      ))}
                    </select>
                  )}
                  <FieldError errors={errors} name="signal.feature" id={errorId('signal.feature')} />
                </div>
                <div className="field">
                  <label htmlFor={`${id}-statistic`}>Statistic</label>
                  <select {...input('signal.statistic')} id={`${id}-statistic`} value={v.statistic} onChange={(e) => set('statistic', e.target.value)}>
                    <option value="">The feature&apos;s drift method</option>
                    {(feature ? STATISTICS_BY_TYPE[feature.type] : STATISTICS_BY_TYPE.numeric).map((s) => (
                      <option key={s} value={s}>{STATISTIC_LABELS[s]}</option>
                    ))}
                  </select>
                  <FieldError errors={errors} name="signal.statistic" id={errorId('signal.statistic')} />
                </div>
              </>
            ) : null}
            {v.signalType === 'performance' ? (
              <div className="field">
                <label htmlFor={`${id}-metric`}>Metric</label>
                <select {...input('signal.metric')} id={`${id}-metric`} value={v.metric} onChange={(e) => set('metric', e.target.value)}>
                  {metrics.map((m) => (
                    <option key={m} value={m}>{m}</option>
                  ))}
                </select>
                <span className="hint">Metrics of a {model?.task ?? 'model'} model, on labelled predictions.</span>
                <FieldError errors={errors} name="signal.metric" id={errorId('signal.metric')} />
              </div>
            ) : null}
            {v.signalType === 'latency' ? (
              <div className="field">
                <label htmlFor={`${id}-percentile`}>Percentile</label>
                <select {...input('signal.percentile')} id={`${id}-percentile`} value={v.percentile} onChange={(e) => set('percentile', e.target.value)}>
                  {['50', '95', '99'].map((p) => (
                    <option key={p} value={p}>p{p} (ms)</option>
                  ))}
                </select>
              </div>
            ) : null}
            {v.signalType === 'traffic_drop' ? (
              <>
                <div className="field narrow">
                  <label htmlFor={`${id}-percent`}>Drop of at least (%)</label>
                  <input {...input('signal.percent')} id={`${id}-percent`} inputMode="decimal" value={v.percent} onChange={(e) => set('percent', e.target.value)} />
                  <FieldError errors={errors} name="signal.percent" id={errorId('signal.percent')} />
                </div>
                <div className="field">
                  <label htmlFor={`${id}-against`}>Compared with</label>
                  <select {...input('signal.against')} id={`${id}-against`} value={v.against} onChange={(e) => set('against', e.target.value)}>
                    <option value="day">The same hours a day before</option>
                    <option value="week">The same hours a week before</option>
                  </select>
                </div>
              </>
            ) : null}
          </div>
          <FieldError errors={errors} name="signal" id={errorId('signal')} />
          <div className="rule-row">
            {v.signalType !== 'traffic_drop' ? (
              <>
                <div className="field narrow">
                  <label htmlFor={`${id}-comparator`}>Fires when the value is</label>
                  <select {...input('comparator')} value={v.comparator} onChange={(e) => set('comparator', e.target.value)}>
                    {COMPARATORS.map((c) => (
                      <option key={c} value={c}>{c}</option>
                    ))}
                  </select>
                </div>
                <div className="field narrow">
                  <label htmlFor={`${id}-threshold`}>Threshold</label>
                  <input {...input('threshold')} inputMode="decimal" value={v.threshold} onChange={(e) => set('threshold', e.target.value)} />
                  <FieldError errors={errors} name="threshold" id={errorId('threshold')} />
                </div>
              </>
            ) : null}
            <div className="field narrow">
              <label htmlFor={`${id}-windowMinutes`}>Window (minutes)</label>
              <input {...input('windowMinutes')} inputMode="numeric" value={v.windowMinutes} onChange={(e) => set('windowMinutes', e.target.value)} />
              <FieldError errors={errors} name="windowMinutes" id={errorId('windowMinutes')} />
            </div>
            <div className="field narrow">
              <label htmlFor={`${id}-minSamples`}>Minimum samples</label>
              <input {...input('minSamples')} inputMode="numeric" value={v.minSamples} onChange={(e) => set('minSamples', e.target.value)} />
              <FieldError errors={errors} name="minSamples" id={errorId('minSamples')} />
            </div>
          </div>
          <p className="hint small muted">Fewer samples than the minimum in a window: the rule neither fires nor resolves. An alert resolves after a full window clear.</p>
        </fieldset>

        <RulePreviewPanel preview={preview.data} error={preview.error} loading={preview.isFetching} ready={Boolean(draft.model && draft.environment)} />

        <fieldset className="panel">
          <legend>Who hears about it</legend>
          <div className="rule-row">
            <div className="field narrow">
              <label htmlFor={`${id}-severity`}>Severity</label>
              <select {...input('severity')} value={v.severity} onChange={(e) => set('severity', e.target.value)}>
                {SEVERITIES.map((s) => (
                  <option key={s} value={s}>{s}</option>
                ))}
              </select>
            </div>
          </div>
          <div className="field" role="group" aria-labelledby={`${id}-channels-label`}>
            <span className="label" id={`${id}-channels-label`}>Channels</span>
            {options.channels.length === 0 ? (
              <p className="hint">No channels yet: an admin adds webhook, Slack or e-mail channels under Admin → Channels. Alerts still appear on the Alerts page.</p>
            ) : (
              options.channels.map((channel) => (
                <label key={channel.id} className="checkbox">
                  <input
                    type="checkbox"
                    disabled={disabled}
                    checked={v.channels.includes(channel.id)}
                    onChange={(e) => set('channels', e.target.checked ? [...v.channels, channel.id] : v.channels.filter((c) => c !== channel.id))}
                  />{' '}
                  {channel.name} <span className="muted">({channel.kind})</span>
                </label>
              ))
            )}
            <FieldError errors={errors} name="channels" id={errorId('channels')} />
          </div>
          <label className="checkbox">
            <input type="checkbox" disabled={disabled} checked={v.requestRetraining} onChange={(e) => set('requestRetraining', e.target.checked)} /> When it fires, ask the
            environment&apos;s training pipeline for a new version (request retraining)
          </label>
        </fieldset>

        {props.readOnly ? null : (
          <div className="button-row">
            <button className="btn primary" type="submit" disabled={pending}>
              {pending ? 'Saving…' : editing ? 'Save rule' : 'Create rule'}
            </button>
            <Link className="btn" href="/alerts/rules">Cancel</Link>
          </div>
        )}
        <FormMessage state={state} fields={FIELDS} />
      </form>
    </div>
  );
}

function RulePreviewPanel(props: { preview: RulePreview | undefined; error: Error | null; loading: boolean; ready: boolean }) {
  const { preview } = props;
  const measured = preview?.points.some((p) => p.value !== null) ?? false;
  return (
    <section className="panel" aria-labelledby="rule-preview-heading" aria-busy={props.loading}>
      <h2 id="rule-preview-heading">Last 7 days with this rule</h2>
      {!props.ready ? (
        <p className="muted">Choose a model and an environment to see how often this rule would have fired.</p>
      ) : props.error ? (
        <p className="notice danger" role="status">{props.error.message}</p>
      ) : !preview ? (
        <p className="muted">Measuring…</p>
      ) : (
        <>
          <p role="status" data-testid="rule-preview-firings">
            {measured ? (
              <>
                Would have fired <strong>{preview.firings === 1 ? 'once' : `${preview.firings} times`}</strong> in the last 7 days.
              </>
            ) : (
              'No data for this signal in the last 7 days: nothing to fire on yet. Send predictions (and labels for performance) to see the preview.'
            )}
            {props.loading ? <span className="muted"> Updating…</span> : null}
          </p>
          {measured ? <SignalChart label="Signal" points={preview.points} spans={preview.spans} threshold={preview.threshold} comparator={preview.comparator} height={220} /> : null}
        </>
      )}
    </section>
  );
}
