import { defineEndpoint } from '../contract';
import {
  ZAnnotations,
  ZAnnotationsQuery,
  ZDistribution,
  ZDistributionQuery,
  ZMonitoringExportQuery,
  ZOverview,
  ZOverviewQuery,
  ZDriftQuery,
  ZDriftReport,
  ZDriftSeries,
  ZDriftSeriesQuery,
  ZIngestAccepted,
  ZPerformanceQuery,
  ZPerformanceSeries,
  ZDemoHistory,
  ZReferenceParams,
  ZReferenceStored,
  ZRetention,
  ZRetentionInput,
} from '@/lib/validation/monitoring';
import { ZModelParams } from '@/lib/validation/registry';

/*
 * These bodies are read by the monitoring service itself (NDJSON and gzip besides JSON, larger
 * references) and refused with 400 naming each bad record's index — the ingestion contract —
 * rather than the route wrapper's 422. So the endpoints declare no `body` schema for the
 * wrapper to parse; the formats are described here and in docs/api.md (schemas:
 * lib/validation/monitoring.ts).
 */

export const ingestPredictions = defineEndpoint({
  method: 'POST',
  path: '/api/v1/predictions',
  tag: 'Monitoring',
  summary: 'Send a batch of predictions (JSON or NDJSON, optionally gzip)',
  description:
    'Up to 10,000 records or 10 MB (after inflating) per call. 202 once the batch is committed. Idempotent on record `id`. ' +
    'NDJSON (`Content-Type: application/x-ndjson`): a first line `{model, environment, version?}`, then one record per line. ' +
    '`Content-Encoding: gzip` is accepted. Without `version`, each record goes to the version live in the environment at its timestamp. ' +
    'A batch with any invalid record is refused whole (400, `errors` keyed `records.<index>[.<field>]`).',
  auth: 'user',
  permission: 'monitoring:write',
  response: ZIngestAccepted,
  successStatus: 202,
  errors: [400, 404, 413, 415],
});

export const ingestLabels = defineEndpoint({
  method: 'POST',
  path: '/api/v1/labels',
  tag: 'Monitoring',
  summary: 'Send ground-truth labels by record id',
  description:
    'Labels join predictions by id whenever they arrive, before or after the prediction. The first label for an id is kept. ' +
    'Same formats and limits as POST /api/v1/predictions (NDJSON header line: `{model}`).',
  auth: 'user',
  permission: 'monitoring:write',
  response: ZIngestAccepted,
  successStatus: 202,
  errors: [400, 404, 413, 415],
});

export const uploadReference = defineEndpoint({
  method: 'POST',
  path: '/api/v1/models/{name}/versions/{version}/reference',
  tag: 'Monitoring',
  summary: "Set a version's reference distribution for drift",
  description:
    'Column-wise `{columns: {feature: [values…]}}` or row-wise `{rows: [{…}]}`, up to 100,000 rows and 50 MB (gzip accepted). ' +
    'Columns must be features of the version (or `prediction`). Replaces any previous reference.',
  auth: 'user',
  permission: 'models:write',
  params: ZReferenceParams,
  response: ZReferenceStored,
  successStatus: 201,
  errors: [400, 404, 413, 415],
});

export const getDrift = defineEndpoint({
  method: 'GET',
  path: '/api/v1/models/{name}/drift',
  tag: 'Monitoring',
  summary: "Drift of a version's features and prediction over a time window",
  description:
    'Compares records with from ≤ timestamp < to (default: the last 24 hours; at most 31 days) against the version’s reference, ' +
    'feature by feature (KS, PSI, Jensen–Shannon, Wasserstein for numeric; chi-square, PSI, Jensen–Shannon for categorical). ' +
    'An empty window answers with counts of 0 and no statistics.',
  auth: 'user',
  permission: 'monitoring:read',
  params: ZModelParams,
  query: ZDriftQuery,
  response: ZDriftReport,
  errors: [404],
});

export const getPerformance = defineEndpoint({
  method: 'GET',
  path: '/api/v1/models/{name}/performance',
  tag: 'Monitoring',
  summary: 'Performance, latency, throughput and error rate per version and bucket',
  description:
    'Read from the hourly rollups. Buckets of `1h` (window up to 31 days, default the last 24 hours) or `1d` (UTC days, up to 366, default 30). ' +
    'Every bucket of the window is listed; one without predictions has `count: 0` and null figures (a gap). ' +
    'Accuracy, precision, recall and F1 (binary, positive class "1"; accuracy alone for more classes) and MAE, MSE, RMSE, R² are exact; ' +
    'AUC and log loss are approximated from 20-bin score histograms; latency percentiles are within 5% (log buckets). ' +
    'Latency, throughput and error rate count all predictions, the quality metrics only labelled ones.',
  auth: 'user',
  permission: 'monitoring:read',
  params: ZModelParams,
  query: ZPerformanceQuery,
  response: ZPerformanceSeries,
  errors: [404],
});

export const getDriftSeries = defineEndpoint({
  method: 'GET',
  path: '/api/v1/models/{name}/drift/series',
  tag: 'Monitoring',
  summary: "Drift of a version's features and prediction per bucket",
  description:
    'Read from the hourly rollups, against the version’s reference: numeric columns get PSI (decides, ≥ 0.2) and Jensen–Shannon on the reference’s decile bins; ' +
    'categorical columns chi-square, PSI and Jensen–Shannon with lib/stats’ default method. KS and Wasserstein need raw values: GET /api/v1/models/{name}/drift. ' +
    'Same windows as /performance; an empty bucket is a gap (null). Series longer than 500 buckets are downsampled (min/max), `downsampled: true`.',
  auth: 'user',
  permission: 'monitoring:read',
  params: ZModelParams,
  query: ZDriftSeriesQuery,
  response: ZDriftSeries,
  errors: [404],
});

export const getRetention = defineEndpoint({
  method: 'GET',
  path: '/api/v1/models/{name}/retention',
  tag: 'Monitoring',
  summary: "How many days of a model's monitoring data are kept",
  description: '`days` (default 90) and `keepsFrom`, the oldest instant kept (the start of the UTC day `days` ago).',
  auth: 'user',
  permission: 'monitoring:read',
  params: ZModelParams,
  response: ZRetention,
  errors: [404],
});

export const putRetention = defineEndpoint({
  method: 'PUT',
  path: '/api/v1/models/{name}/retention',
  tag: 'Monitoring',
  summary: "Set how many days of a model's monitoring data are kept",
  description:
    '`{days}`, a whole number from 1 to 365. Audited. Raw records older than that go by dropping the model’s whole day tables ' +
    '(with their ids, labels and rollups); a shorter retention is applied within seconds, a longer one keeps what is still there. ' +
    'Records older than the retention are refused at ingestion.',
  auth: 'user',
  permission: 'models:write',
  params: ZModelParams,
  body: ZRetentionInput,
  response: ZRetention,
  errors: [404, 422],
});

export const getDemoHistory = defineEndpoint({
  method: 'GET',
  path: '/api/v1/demo/history',
  tag: 'Monitoring',
  summary: "Progress of the demo's generated monitoring history",
  description:
    'A new embedded demo database gets `MODELDECK_DEMO_HISTORY_DAYS` (default 30) days of monitoring history, generated by a background job after start. ' +
    '`status`: `none` (never queued), `queued`, `running` (`daysDone` of `days`), `done` or `failed` (`error`; the job is retried).',
  auth: 'user',
  permission: 'monitoring:read',
  response: ZDemoHistory,
});

export const getMonitoringOverview = defineEndpoint({
  method: 'GET',
  path: '/api/v1/monitoring/overview',
  tag: 'Monitoring',
  summary: 'Every model in every environment: health, trends, worst feature, open alerts',
  description:
    'Read from the hourly rollups only. Rows: each model in each environment it is live in or has predictions from (a model with neither: one row, `environment: null`). ' +
    '`health`: `no_data` (no prediction in the window), `degraded` (error rate ≥ 5 %, or accuracy down ≥ 0.05 / RMSE up ≥ 20 % against the previous window of the same length), ' +
    '`drifting` (not degraded; a feature or the prediction of the measured version drifted over the window), `healthy` otherwise. ' +
    '`worstFeature`: the highest drift figure relative to its threshold (value / threshold; threshold / p for tests).',
  auth: 'user',
  permission: 'monitoring:read',
  query: ZOverviewQuery,
  response: ZOverview,
});

export const getDistribution = defineEndpoint({
  method: 'GET',
  path: '/api/v1/models/{name}/monitoring/distribution',
  tag: 'Monitoring',
  summary: "A feature's (or the prediction's) reference and current distribution",
  description:
    'From the hourly rollups: numeric columns on the reference’s decile bins, categorical ones per category (the 30 most frequent, the rest summed). ' +
    'A sensitive feature keeps its name and shares; bin and category labels are masked (`•••`). Windows up to 366 days.',
  auth: 'user',
  permission: 'monitoring:read',
  params: ZModelParams,
  query: ZDistributionQuery,
  response: ZDistribution,
  errors: [404],
});

export const getReleaseAnnotations = defineEndpoint({
  method: 'GET',
  path: '/api/v1/models/{name}/monitoring/releases',
  tag: 'Monitoring',
  summary: 'Releases that went live in an environment within a window (chart annotations)',
  auth: 'user',
  permission: 'monitoring:read',
  params: ZModelParams,
  query: ZAnnotationsQuery,
  response: ZAnnotations,
  errors: [404],
});

export const exportMonitoring = defineEndpoint({
  method: 'GET',
  path: '/api/v1/models/{name}/monitoring/export',
  tag: 'Monitoring',
  summary: "One Monitoring chart's data as CSV",
  description:
    '`chart`: `drift` (per feature and bucket), `performance` (quality metrics per version and bucket), `operations` (throughput, error rate, latency per version and bucket), ' +
    '`distribution` (reference vs current per bin; needs `column`). The same data as the chart, from the same services: sensitive values are masked.',
  auth: 'user',
  permission: 'monitoring:read',
  params: ZModelParams,
  query: ZMonitoringExportQuery,
  produces: 'text/csv',
  errors: [404],
});
