import 'server-only';
import { csvField } from '@/lib/server/audit/export-audit-csv';
import type { MonitoringExportQuery } from '@/lib/validation/monitoring';
import { getDistribution } from './get-distribution';
import { getDriftSeries } from './get-drift-series';
import { getPerformance } from './get-performance';

type Cell = string | number | boolean | null;

/** Numbers go out as numbers (a negative one must not be read as a formula guard); text is quoted. */
const field = (value: Cell) => (value === null ? '' : typeof value === 'string' ? csvField(value) : String(value));
const csv = (header: string[], rows: Cell[][]) => [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';

/**
 * One chart of the Monitoring tab as CSV, from the same services (and so the same rollups,
 * downsampling and masking) as the chart: a sensitive column's bins and categories come out
 * masked here exactly as on screen.
 */
export async function exportMonitoringCsv(modelName: string, query: MonitoringExportQuery): Promise<{ filename: string; body: string }> {
  const window = { environment: query.environment, version: query.version, from: query.from, to: query.to };
  const stamp = (iso: string) => iso.slice(0, 16).replace(/[:T]/g, '-');
  const name = (suffix: string, from: string) => `${modelName}-${query.environment}-${suffix}-${stamp(from)}.csv`;
  switch (query.chart) {
    case 'drift': {
      const series = await getDriftSeries(modelName, { ...window, bucket: query.bucket });
      const columns = [...series.features, ...(series.prediction ? [series.prediction] : [])];
      const rows = columns.flatMap((column) =>
        column.points.map((p): Cell[] => [p.t, series.version, column.name, column.type, p.method, p.value, column.threshold, p.drifted, p.nCurrent, p.nNull, p.psi, p.jensenShannon, p.chiSquarePValue]),
      );
      return {
        filename: name('drift', series.from),
        body: csv(['bucket_start', 'version', 'feature', 'type', 'method', 'value', 'threshold', 'drifted', 'n_current', 'n_null', 'psi', 'jensen_shannon', 'chi_square_p_value'], rows),
      };
    }
    case 'performance':
    case 'operations': {
      const performance = await getPerformance(modelName, { ...window, bucket: query.bucket });
      const points = performance.versions.flatMap((v) => v.points.map((p) => ({ version: v.version, ...p })));
      if (query.chart === 'operations') {
        return {
          filename: name('operations', performance.from),
          body: csv(
            ['bucket_start', 'version', 'predictions', 'throughput_per_minute', 'error_rate', 'latency_p50_ms', 'latency_p95_ms', 'latency_p99_ms'],
            points.map((p) => [p.t, p.version, p.count, p.throughputPerMinute, p.errorRate, p.latencyP50Ms, p.latencyP95Ms, p.latencyP99Ms]),
          ),
        };
      }
      return {
        filename: name('performance', performance.from),
        body: csv(
          ['bucket_start', 'version', 'labeled', 'accuracy', 'precision', 'recall', 'f1', 'auc', 'log_loss', 'mae', 'rmse', 'r2'],
          points.map((p) => [p.t, p.version, p.labeled, p.accuracy, p.precision, p.recall, p.f1, p.auc, p.logLoss, p.mae, p.rmse, p.r2]),
        ),
      };
    }
    case 'distribution': {
      const distribution = await getDistribution(modelName, { ...window, column: query.column! });
      return {
        filename: name(`distribution-${distribution.column}`, distribution.from),
        body: csv(
          ['feature', 'version', 'bin', 'reference_share', 'current_share', 'reference_count', 'current_count'],
          distribution.bins.map((b) => [distribution.column, distribution.version, b.label, b.reference, b.current, b.referenceCount, b.currentCount]),
        ),
      };
    }
  }
}
