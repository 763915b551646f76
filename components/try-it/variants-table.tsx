'use client';

import { useQuery } from '@tanstack/react-query';
import { formatNumber } from '@/components/ui/number-text';
import type { ModelVariants } from '@/lib/validation/edge';

async function fetchVariants(url: string): Promise<ModelVariants> {
  const response = await fetch(url, { cache: 'no-store' });
  const body = (await response.json().catch(() => null)) as (ModelVariants & { detail?: string }) | null;
  if (!response.ok || !body?.variants) throw new Error(body?.detail ?? `The variants could not be measured (${response.status}).`);
  return body;
}

/** Sizes and measured differences of the quantized variants; measuring runs onnxruntime on the server, so it is fetched after first paint. */
export function VariantsTable({ model, version }: { model: string; version: number }) {
  const base = `/api/v1/models/${encodeURIComponent(model)}/versions/${version}`;
  const { data, error, isPending } = useQuery({ queryKey: ['variants', model, version], queryFn: () => fetchVariants(`${base}/variants`), staleTime: Infinity });
  if (isPending) return <p className="muted" role="status">Measuring the variants…</p>;
  if (error) return <div className="notice danger" role="alert">{error.message}</div>;
  return (
    <>
      <p className="small muted" data-testid="variants-evaluation">
        {data.evaluation.source ? `Measured against the original on ${data.evaluation.description}` : data.evaluation.description}
      </p>
      <div className="table-wrap">
        <table className="table compact min-medium" aria-label="Model variants" data-testid="variants-table">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Size</th>
              <th scope="col">Largest |Δ| from the original</th>
              <th scope="col">Mean |Δ|</th>
              <th scope="col">Same label</th>
              <th scope="col"><span className="visually-hidden">Download</span></th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>original (float32)</td>
              <td className="mono">{data.originalBytes.toLocaleString('en')} B</td>
              <td>—</td>
              <td>—</td>
              <td>—</td>
              <td><a href={`${base}/edge-bundle`} download>Edge bundle</a></td>
            </tr>
            {data.variants.map((variant) => {
              const score = variant.outputs?.find((o) => o.name !== 'label') ?? null;
              const label = variant.outputs?.find((o) => o.name === 'label') ?? null;
              return (
                <tr key={variant.variant} data-testid={`variant-${variant.variant}`}>
                  <td>{variant.variant}</td>
                  {variant.available ? (
                    <>
                      <td className="mono">
                        {variant.bytes?.toLocaleString('en')} B
                        {variant.bytes !== null ? <span className="muted small"> ({variant.bytes >= data.originalBytes ? '+' : ''}{formatNumber(((variant.bytes - data.originalBytes) / data.originalBytes) * 100)} %)</span> : null}
                      </td>
                      <td className="mono">{score ? `${formatNumber(score.maxAbsDiff)} (${score.name})` : <span className="muted">{variant.reason ?? 'not measured'}</span>}</td>
                      <td className="mono">{score ? formatNumber(score.meanAbsDiff) : '—'}</td>
                      <td className="mono">{label ? `${formatNumber(label.agreement * 100)} %` : '—'}</td>
                      <td><a href={`${base}/edge-bundle?variant=${variant.variant}`} download>Edge bundle</a></td>
                    </>
                  ) : (
                    <td colSpan={5} className="muted">{variant.reason}</td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="small muted">
        Small graphs can grow: each shrunk weight tensor adds a Cast or DequantizeLinear node, which outweighs the bytes saved on a handful of weights.
      </p>
    </>
  );
}
