/**
 * Numbers as people read them: at most 4 significant digits (0.03333333333333333 → 0.03333),
 * whole numbers as they are, very small or very large values in exponent form. The exact
 * value stays available in the title attribute (and in the API).
 */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  if (abs < 0.001 || abs >= 1e9) return value.toExponential(3).replace(/\.?0+e/, 'e');
  // Above 1000, 4 significant digits would round the integer part away (12345.6 → 12350).
  if (abs >= 1000) return String(Math.round(value));
  return String(Number(value.toPrecision(4)));
}

/** Any registered value (metric, parameter): numbers formatted, strings as they are, the rest as JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return formatNumber(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A formatted value whose exact form is one hover (or long-press) away when it was shortened. */
export function ValueText({ value }: { value: unknown }) {
  const shown = formatValue(value);
  const exact = typeof value === 'number' ? String(value) : shown;
  return <span title={exact !== shown ? exact : undefined}>{shown}</span>;
}
