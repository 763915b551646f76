'use client';

import { useRef, useState, type FormEvent } from 'react';
import { formatNumber } from '@/components/ui/number-text';
import { loadBundle, runRow, type Answer, type LoadedBundle } from './run-in-browser';

export interface TryFeature {
  name: string;
  type: string;
  defaultValue: number;
  /** Codes seen in the evaluation data, for categorical features. */
  options: number[] | null;
}

export interface TryEnvironment {
  name: string;
  backend: string;
  /** Versions of this model live there now. */
  live: number[];
}

type Variant = 'original' | 'float16' | 'int8';

/** How close two answers must be to count as the same prediction, by what the browser ran. */
export const AGREEMENT_TOLERANCE: Record<Variant, number> = { original: 1e-5, float16: 1e-3, int8: 5e-2 };

interface Side {
  label: string;
  outputs: Answer;
  latencyMs: number;
  note?: string;
}

interface Outcome {
  browser: Side | { error: string };
  endpoint: Side | { error: string } | null;
  variant: Variant;
}

/**
 * The Try-it form: one input per feature of the schema; runs the edge bundle in the browser
 * with onnxruntime-web and, if chosen, sends the same row to an environment's live endpoint
 * through the dashboard, then shows both answers side by side.
 */
export function TryItPanel(props: { model: string; version: number; features: TryFeature[]; environments: TryEnvironment[] | null; variants: Variant[] }) {
  const [values, setValues] = useState<string[]>(() => props.features.map((f) => String(f.defaultValue)));
  const [variant, setVariant] = useState<Variant>('original');
  const [environment, setEnvironment] = useState('');
  const [errors, setErrors] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const bundles = useRef(new Map<Variant, Promise<LoadedBundle>>());

  const base = `/api/v1/models/${encodeURIComponent(props.model)}/versions/${props.version}`;
  const bundleUrl = (v: Variant) => `${base}/edge-bundle${v === 'original' ? '' : `?variant=${v}`}`;

  function bundleFor(v: Variant) {
    let loading = bundles.current.get(v);
    if (!loading) {
      loading = loadBundle(bundleUrl(v));
      loading.catch(() => bundles.current.delete(v));
      bundles.current.set(v, loading);
    }
    return loading;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = values.map((text) => (text.trim() === '' ? Number.NaN : Number(text)));
    const invalid: Record<number, string> = {};
    parsed.forEach((value, i) => {
      if (!Number.isFinite(value)) invalid[i] = 'Enter a number.';
    });
    setErrors(invalid);
    if (Object.keys(invalid).length > 0) return;
    setBusy(true);
    try {
      let bundle: LoadedBundle | null = null;
      let browser: Outcome['browser'];
      try {
        bundle = await bundleFor(variant);
        const run = await runRow(bundle, parsed);
        browser = {
          label: `In this browser (${variant === 'original' ? 'original' : variant} model, onnxruntime-web)`,
          ...run,
          note: bundle.checked ? `model.onnx matched the signed manifest's sha256 · ${bundle.bytes.toLocaleString('en')} bytes` : 'sha256 not checked: this page is not served over https',
        };
      } catch (error) {
        browser = { error: error instanceof Error ? error.message : String(error) };
      }
      let endpoint: Outcome['endpoint'] = null;
      const target = props.environments?.find((e) => e.name === environment);
      if (target) {
        const pinned = target.live.includes(props.version) ? props.version : undefined;
        const input = bundle?.manifest.inputs[0]?.name ?? 'X';
        const response = await fetch(`/api/v1/models/${encodeURIComponent(props.model)}/environments/${encodeURIComponent(target.name)}/infer`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...(pinned ? { version: pinned } : {}), inputs: [{ name: input, datatype: 'FP32', shape: [1, parsed.length], data: parsed }] }),
        });
        const body = (await response.json().catch(() => null)) as
          | { latencyMs: number; response: { model_version?: string; outputs: { name: string; data: unknown[] }[] }; detail?: string }
          | null;
        if (!response.ok || !body?.response) {
          endpoint = { error: body?.detail ?? `The endpoint could not be asked (${response.status}).` };
        } else {
          const outputs: Answer = {};
          for (const output of body.response.outputs) outputs[output.name] = output.data.map(Number);
          endpoint = {
            label: `${target.name} (${target.backend}${body.response.model_version ? `, answered by v${body.response.model_version}` : ''})`,
            outputs,
            latencyMs: body.latencyMs,
            note: pinned ? `pinned to v${pinned}` : `v${props.version} is not live there: the live traffic split answered`,
          };
        }
      }
      setOutcome({ browser, endpoint, variant });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <form className="panel" onSubmit={submit} aria-label="Try the model" noValidate>
        <div className="try-grid">
          {props.features.map((feature, i) => {
            const id = `feature-${i}`;
            const describedBy = errors[i] ? `${id}-error` : undefined;
            const onChange = (value: string) => setValues((current) => current.map((v, j) => (j === i ? value : v)));
            return (
              <div className="field" key={feature.name}>
                <label htmlFor={id} className="mono">{feature.name}</label>
                {feature.options ? (
                  <select id={id} value={values[i]} onChange={(e) => onChange(e.target.value)} aria-describedby={describedBy}>
                    {feature.options.map((code) => (
                      <option key={code} value={String(code)}>{code}</option>
                    ))}
                  </select>
                ) : (
                  <input id={id} type="number" step="any" inputMode="decimal" value={values[i]} onChange={(e) => onChange(e.target.value)} aria-invalid={errors[i] ? true : undefined} aria-describedby={describedBy} />
                )}
                <span className="hint">{feature.type}</span>
                {errors[i] ? <span className="error" id={`${id}-error`}>{errors[i]}</span> : null}
              </div>
            );
          })}
        </div>
        <div className="try-actions">
          <div className="field">
            <label htmlFor="try-variant">Run in the browser</label>
            <select id="try-variant" value={variant} onChange={(e) => setVariant(e.target.value as Variant)}>
              <option value="original">Original model</option>
              {props.variants.filter((v) => v !== 'original').map((v) => (
                <option key={v} value={v}>{v} variant</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="try-environment">Also send to</label>
            {props.environments === null ? (
              <span className="hint">Engineers can also send the row to a live endpoint.</span>
            ) : props.environments.length === 0 ? (
              <span className="hint">No environment serves {props.model} through a backend yet.</span>
            ) : (
              <select id="try-environment" value={environment} onChange={(e) => setEnvironment(e.target.value)}>
                <option value="">Nowhere (browser only)</option>
                {props.environments.map((e) => (
                  <option key={e.name} value={e.name}>
                    {e.name} ({e.live.length ? `live: v${e.live.join(', v')}` : 'nothing live'})
                  </option>
                ))}
              </select>
            )}
          </div>
          <button className="btn primary" type="submit" disabled={busy} data-testid="try-run">
            {busy ? 'Running…' : 'Run'}
          </button>
        </div>
      </form>
      <div aria-live="polite">{outcome ? <TryOutcome outcome={outcome} /> : null}</div>
    </>
  );
}

function TryOutcome({ outcome }: { outcome: Outcome }) {
  const sides = [outcome.browser, outcome.endpoint].filter((side): side is Side | { error: string } => side !== null);
  const answered = sides.filter((side): side is Side => 'outputs' in side);
  const names = [...new Set(answered.flatMap((side) => Object.keys(side.outputs)))];
  const tolerance = AGREEMENT_TOLERANCE[outcome.variant];
  const both = answered.length === 2 ? (answered as [Side, Side]) : null;
  const agreement = both
    ? names.map((name) => {
        const [a, b] = [both[0].outputs[name], both[1].outputs[name]];
        if (!a || !b || a.length !== b.length) return { name, agree: false, diff: null };
        const diff = Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));
        return { name, agree: diff <= tolerance, diff };
      })
    : null;
  return (
    <section className="panel" aria-labelledby="try-result-heading" data-testid="try-result">
      <h2 id="try-result-heading">Answers</h2>
      {sides.filter((side): side is { error: string } => 'error' in side).map((side) => (
        <div key={side.error} className="notice danger" role="alert">{side.error}</div>
      ))}
      {answered.length > 0 ? (
        <div className="table-wrap">
          <table className="table compact min-medium">
            <thead>
              <tr>
                <th scope="col">Output</th>
                {answered.map((side) => <th scope="col" key={side.label}>{side.label}</th>)}
                {agreement ? <th scope="col">Same?</th> : null}
              </tr>
            </thead>
            <tbody>
              {names.map((name) => {
                const verdict = agreement?.find((a) => a.name === name);
                return (
                  <tr key={name}>
                    <td className="mono">{name}</td>
                    {answered.map((side, i) => (
                      <td key={side.label} className="mono" data-testid={i === 0 ? `browser-${name}` : `endpoint-${name}`} title={side.outputs[name]?.map(String).join(', ')}>
                        {side.outputs[name]?.map((x) => formatNumber(x)).join(', ') ?? '—'}
                      </td>
                    ))}
                    {verdict ? (
                      <td data-testid={`agree-${name}`}>
                        <span className={`badge ${verdict.agree ? 'ok' : 'danger'}`}>{verdict.agree ? 'agree' : 'differ'}</span>
                        {verdict.diff !== null ? <span className="muted small"> |Δ| {formatNumber(verdict.diff)}</span> : null}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
              <tr>
                <td className="mono">latency</td>
                {answered.map((side) => (
                  <td key={side.label} className="mono">{formatNumber(side.latencyMs)} ms</td>
                ))}
                {agreement ? <td /> : null}
              </tr>
            </tbody>
          </table>
        </div>
      ) : null}
      {answered.map((side) => (side.note ? <p key={side.label} className="muted small">{side.label}: {side.note}</p> : null))}
      {agreement ? (
        <p className="small muted">
          Answers agree when they differ by at most {tolerance} ({outcome.variant === 'original' ? 'the same graph, float32 rounding only' : `the ${outcome.variant} variant's stored weights are less precise`}). The
          browser's latency is the model call alone; the endpoint's is the round trip from the dashboard.
        </p>
      ) : null}
    </section>
  );
}
