import type { DecisionMatrix, DecisionOption } from '@/lib/validation/decisions';
import { optionLabel } from './matrix';

// Pure: the decision matrix as a design-review document (Markdown) or a spreadsheet (CSV).

const fmt = (value: number | null | undefined, digits = 2) => (value === null || value === undefined ? '' : Number(value.toFixed(digits)).toString());
const figure = (f: DecisionOption['p50Ms']) => (f.value === null ? (f.basis === 'not_measured' ? 'not measured' : 'n/a') : `${fmt(f.value)} (${f.basis})`);

function csvCell(value: string | number | boolean | null): string {
  const text = value === null ? '' : String(value);
  // Quote when needed; a leading =, +, - or @ would be run as a formula by spreadsheets.
  const safe = /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function decisionMatrixCsv(matrix: DecisionMatrix): string {
  const header = [
    'option', 'backend', 'mode',
    'p50_ms', 'p50_basis', 'p95_ms', 'p95_basis', 'throughput_rps', 'throughput_basis',
    'replicas', 'meets_latency', 'monthly_cost_total', 'monthly_cost_compute', 'monthly_cost_storage', 'monthly_cost_requests', 'currency', 'cost_basis',
    'recommended', 'residency', 'scaling',
  ];
  const rows = matrix.options.map((o) => [
    o.id, o.backend, o.mode,
    fmt(o.p50Ms.value, 4), o.p50Ms.basis, fmt(o.p95Ms.value, 4), o.p95Ms.basis, fmt(o.throughputRps.value, 2), o.throughputRps.basis,
    o.replicas, o.meetsLatency, fmt(o.monthlyCost?.total), fmt(o.monthlyCost?.compute), fmt(o.monthlyCost?.storage), fmt(o.monthlyCost?.requests), o.monthlyCost?.currency ?? '', o.monthlyCost?.basis ?? '',
    matrix.recommendation.option === o.id, o.residency, o.scaling,
  ]);
  return [header, ...rows].map((row) => row.map((cell) => csvCell(cell as string | number | boolean | null)).join(',')).join('\r\n') + '\r\n';
}

const mdCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function decisionMatrixMarkdown(matrix: DecisionMatrix): string {
  const t = matrix.traffic;
  const lines = [
    `# Deployment options: ${matrix.model} v${matrix.version}`,
    '',
    `Expected traffic: ${t.requestsPerMonth.toLocaleString('en')} requests a month, peak ${t.peakRps} req/s, p95 target ${t.latencyTargetMs} ms${t.offline ? ', must work offline' : ''}.`,
    matrix.prices.configured
      ? `Unit prices: ${matrix.prices.cpuHour} ${matrix.prices.currency} per CPU-hour, ${matrix.prices.gbMonth} per GB-month, ${matrix.prices.perMillionRequests} per million requests.`
      : 'Unit prices: not set, so no costs are estimated.',
    '',
    '| Option | Mode | p50 ms | p95 ms | Throughput req/s | Replicas | Meets target | Monthly cost |',
    '|---|---|---|---|---|---|---|---|',
    ...matrix.options.map((o) =>
      `| ${mdCell(optionLabel(o.id))}${matrix.recommendation.option === o.id ? ' **(recommended)**' : ''} | ${mdCell(o.mode)} | ${figure(o.p50Ms)} | ${figure(o.p95Ms)} | ${figure(o.throughputRps)} | ${o.replicas ?? ''} | ${o.meetsLatency === null ? 'unknown' : o.meetsLatency ? 'yes' : 'no'} | ${o.monthlyCost ? `${fmt(o.monthlyCost.total)} ${o.monthlyCost.currency}` : ''} |`,
    ),
    '',
    '## Recommendation',
    '',
    matrix.recommendation.option ? `**${optionLabel(matrix.recommendation.option)}**` : '**None of the options** (see why below)',
    '',
    ...matrix.recommendation.reasons.map((reason) => `- ${reason}`),
    '',
    '## Where the figures come from',
    '',
    ...matrix.options.map((o) => `- ${optionLabel(o.id)}: latency ${o.p95Ms.note}${o.monthlyCost ? `; cost: ${o.monthlyCost.basis}` : ''}.`),
    '',
    '## Data residency and scaling',
    '',
    ...matrix.options.map((o) => `- ${optionLabel(o.id)}: ${o.residency} ${o.scaling}`),
    '',
  ];
  return lines.join('\n');
}
