'use client';

import { useEffect, useRef } from 'react';
import { GUARD_ALPHA, MIN_BUCKET_VALUES } from '@/lib/stats/bucket-verdict';

export interface HeatmapPoint {
  t: string;
  value: number | null;
  drifted: boolean | null;
  method: string;
  nCurrent: number;
  /** The chi-square test behind a distance's verdict (or the categorical test itself). */
  chiSquarePValue?: number | null;
}

export interface HeatmapRow {
  name: string;
  type: 'numeric' | 'categorical';
  threshold: number;
  points: HeatmapPoint[];
}

const P_VALUE_METHODS = new Set(['chi_square', 'ks']);
const METHOD_NAMES: Record<string, string> = { psi: 'PSI', jensen_shannon: 'Jensen–Shannon', chi_square: 'chi-square p', ks: 'KS p', wasserstein: 'Wasserstein' };

/** How far a cell is towards (< 1) or past (≥ 1) its threshold: value / threshold, threshold / p for tests. */
export function cellRatio(value: number, threshold: number, method: string): number {
  if (P_VALUE_METHODS.has(method)) return threshold / Math.max(value, 1e-12);
  return threshold > 0 ? value / threshold : value > 0 ? 3 : 0;
}

/** Theme colours mixed into the panel colour: pale below the threshold, strong past it. */
function cellColour(ratio: number): string {
  if (ratio < 1) return `color-mix(in srgb, var(--heat-low) ${Math.round(12 + 48 * ratio)}%, var(--panel))`;
  return `color-mix(in srgb, var(--heat-high) ${Math.round(55 + 45 * Math.min(1, (ratio - 1) / 2))}%, var(--panel))`;
}

const format = (x: number) => (Math.abs(x) >= 0.01 || x === 0 ? x.toFixed(3) : x.toExponential(1));

/**
 * What a cell shows: no data (empty bucket), too few values for a verdict (figures without
 * `drifted` — neither healthy nor drifted), drifted, or not drifted.
 */
export function cellState(point: HeatmapPoint): 'gap' | 'few' | 'drifted' | 'clear' {
  if (point.value === null) return 'gap';
  if (point.drifted === null) return 'few';
  return point.drifted ? 'drifted' : 'clear';
}

/**
 * The ratio a cell is coloured by: none without a verdict (gap, too few values); a cell that is
 * not drifted stays on the pale side even when its distance is past the threshold (within the
 * noise of its values), so only drifted cells read as drifted.
 */
export function shadeRatio(point: HeatmapPoint, threshold: number): number | null {
  const state = cellState(point);
  if (state === 'gap' || state === 'few') return null;
  const ratio = cellRatio(point.value!, threshold, point.method);
  return state === 'clear' ? Math.min(ratio, 0.99) : ratio;
}

/** The cell's tooltip: the figure against its threshold, and why a bucket past it is not drifted. */
export function cellTitle(row: Pick<HeatmapRow, 'name' | 'threshold'>, point: HeatmapPoint, when: string): string {
  const state = cellState(point);
  if (state === 'gap') return `${row.name}, ${when}: no data`;
  const figure = `${METHOD_NAMES[point.method] ?? point.method} ${format(point.value!)} (threshold ${row.threshold})`;
  if (state === 'few') return `${row.name}, ${when}: too few values for a verdict (n=${point.nCurrent}, needs ${MIN_BUCKET_VALUES}) — ${figure}`;
  const test = P_VALUE_METHODS.has(point.method) || point.chiSquarePValue == null ? '' : `, chi-square p ${format(point.chiSquarePValue)}`;
  const noise = state === 'clear' && test && cellRatio(point.value!, row.threshold, point.method) >= 1 ? ` — within the noise of ${point.nCurrent} values (p ≥ ${GUARD_ALPHA})` : '';
  return `${row.name}, ${when}: ${figure}${test}${state === 'drifted' ? ' — drifted' : noise}, n=${point.nCurrent}`;
}

/**
 * Features × time buckets, each cell coloured by the feature's drift figure relative to its
 * threshold; drifted cells carry a mark (not colour alone), empty buckets stay blank, buckets
 * with too few values for a verdict are dotted. A row's
 * name is a button: it selects the feature whose histograms are shown below.
 */
export function DriftHeatmap(props: { rows: HeatmapRow[]; sensitive: ReadonlySet<string>; selected: string | null; onSelect: (name: string) => void }) {
  const columns = props.rows[0]?.points.length ?? 0;
  const wrap = useRef<HTMLDivElement>(null);
  // On a narrow screen the grid scrolls sideways: start at the latest buckets.
  useEffect(() => {
    if (wrap.current) wrap.current.scrollLeft = wrap.current.scrollWidth;
  }, [columns]);
  return (
    <div className="heatmap-wrap">
      <div className="heatmap-scroll" ref={wrap}>
      <div className="heatmap" style={{ gridTemplateColumns: `minmax(7rem, max-content) repeat(${columns}, minmax(5px, 1fr))` }} role="table" aria-label="Drift per feature and time bucket">
        {props.rows.map((row) => {
          const drifted = row.points.filter((p) => p.drifted).length;
          const few = row.points.filter((p) => cellState(p) === 'few').length;
          return (
            <div className="heatmap-row" role="row" key={row.name} data-testid={`heatmap-row-${row.name}`}>
              <div role="rowheader" className="heatmap-name">
                <button
                  type="button"
                  className={`link-button${props.selected === row.name ? ' selected' : ''}`}
                  aria-pressed={props.selected === row.name}
                  onClick={() => props.onSelect(row.name)}
                  title={`Show ${row.name}'s distributions`}
                >
                  {row.name}
                </button>
                {props.sensitive.has(row.name) ? <span className="badge" title="Sensitive: values are masked">sensitive</span> : null}
                {drifted > 0 ? <span className="visually-hidden">, drifted in {drifted} buckets</span> : null}
                {few > 0 ? <span className="visually-hidden">, too few values in {few} buckets</span> : null}
              </div>
              {row.points.map((point) => {
                const state = cellState(point);
                const ratio = shadeRatio(point, row.threshold);
                return (
                  <div
                    role="cell"
                    key={point.t}
                    className={`heatmap-cell${state === 'clear' ? '' : ` ${state}`}`}
                    style={ratio === null ? undefined : { background: cellColour(ratio) }}
                    title={cellTitle(row, point, new Date(point.t).toLocaleString())}
                  />
                );
              })}
            </div>
          );
        })}
      </div>
      </div>
      <div className="heatmap-legend" aria-label="Legend">
        <span>below threshold</span>
        <span className="heatmap-scale" aria-hidden="true" />
        <span>3× past it</span>
        <span className="heatmap-key">
          <span className="heatmap-cell drifted" aria-hidden="true" style={{ background: cellColour(1.5) }} /> drifted
        </span>
        <span className="heatmap-key">
          <span className="heatmap-cell few" aria-hidden="true" /> too few values (under {MIN_BUCKET_VALUES}): no verdict
        </span>
        <span className="heatmap-key">
          <span className="heatmap-cell gap" aria-hidden="true" /> no data
        </span>
        <span className="muted">
          PSI (numeric, ≥ 0.2) or chi-square / Jensen–Shannon (categorical); a distance past its threshold counts as drifted only when the chi-square test on
          the same bins agrees (p &lt; {GUARD_ALPHA}) — otherwise it is shaded as below it
        </span>
      </div>
    </div>
  );
}
