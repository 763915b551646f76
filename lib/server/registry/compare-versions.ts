/** Side-by-side comparison of two versions' metrics and params (pure). */
export function compareVersions(
  base: { metrics: Record<string, number>; params: Record<string, unknown> },
  other: { metrics: Record<string, number>; params: Record<string, unknown> },
) {
  const metricNames = [...new Set([...Object.keys(base.metrics), ...Object.keys(other.metrics)])].sort();
  const metrics = metricNames.map((name) => {
    const a = base.metrics[name];
    const b = other.metrics[name];
    return { name, base: a ?? null, other: b ?? null, delta: a !== undefined && b !== undefined ? b - a : null };
  });
  const paramNames = [...new Set([...Object.keys(base.params), ...Object.keys(other.params)])].sort();
  const params = paramNames.map((name) => {
    const a = base.params[name];
    const b = other.params[name];
    const change = a === undefined ? 'added' : b === undefined ? 'removed' : JSON.stringify(a) === JSON.stringify(b) ? 'same' : 'changed';
    return { name, base: a ?? null, other: b ?? null, change };
  });
  return { metrics, params };
}
