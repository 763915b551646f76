import { z } from 'zod';
import { INT32_MAX, ZTimestamp } from './common';
import { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from './form-options';
import { ZEnvironmentName, ZModelName, ZVersionParams } from './registry';

/** Largest batch per call (413 above); the byte limit is MAX_INGEST_BYTES in lib/server/monitoring. */
export const MAX_RECORDS_PER_BATCH = 10_000;
/** Largest reference per version (rows, or values per column). */
export const MAX_REFERENCE_ROWS = 100_000;
/** Timestamps may run this far ahead of the server's clock (clock skew), no further. */
export const MAX_FUTURE_SKEW_MS = 60 * 60 * 1000;

/** A string that is stored: PostgreSQL text cannot hold the NUL character, so it is refused here, by name. */
const stored = <S extends z.ZodString>(schema: S) => schema.refine((value) => !value.includes('\u0000'), 'cannot contain the NUL character (\\u0000).');

const ZRecordId = stored(z.string().min(1, 'A record id cannot be empty.').max(200, 'A record id has at most 200 characters.'));
const ZFeatureValue = z.union([z.number(), stored(z.string().max(1000)), z.null()]);

export const ZFeatureName = stored(z.string().min(1).max(200));

export const ZPredictionValue = z.union([
  z.number().finite(),
  stored(z.string().min(1).max(200)),
  z
    .strictObject({
      label: z.union([stored(z.string().min(1).max(200)), z.number().finite()]),
      score: z.number().min(0).max(1).optional(),
    })
    .describe("A classifier's label and, optionally, its positive-class score in [0, 1]."),
]);
export type PredictionValue = z.infer<typeof ZPredictionValue>;

export const ZPredictionRecord = z.strictObject({
  id: ZRecordId.optional().describe('Send one to make retries idempotent and to join labels.'),
  timestamp: z.iso
    .datetime({ offset: true, message: 'timestamp must be an ISO 8601 date-time with a time zone, e.g. 2026-11-21T08:00:00Z.' })
    .optional(),
  features: z.record(ZFeatureName, ZFeatureValue),
  prediction: ZPredictionValue,
  latencyMs: z.number().min(0).max(86_400_000).optional(),
  error: stored(z.string().max(2000)).optional(),
});
export type PredictionRecordInput = z.infer<typeof ZPredictionRecord>;

/** The batch header: the JSON body without `records`, or the first line of an NDJSON body. */
export const ZPredictionHeader = z.strictObject({
  model: ZModelName,
  environment: ZEnvironmentName,
  version: z.number().int().min(1).optional().describe('Omitted: the version live in the environment at each record’s timestamp.'),
});
export type PredictionHeader = z.infer<typeof ZPredictionHeader>;

export const ZLabelValue = z.union([z.number().finite(), stored(z.string().min(1).max(200)), z.boolean()]);
export const ZLabelRecord = z.strictObject({ id: ZRecordId, label: ZLabelValue });
export const ZLabelHeader = z.strictObject({ model: ZModelName });
export type LabelRecordInput = z.infer<typeof ZLabelRecord>;

export const ZIngestAccepted = z.object({
  accepted: z.number().int().describe('Records in the batch, all durably stored when this is returned.'),
  duplicates: z.number().int().describe('Of those, records whose id was already stored (a retry): stored once.'),
});

const ZReferenceValue = z.union([z.number(), stored(z.string().max(1000)), z.null()]);
export const ZReferenceUpload = z
  .union([
    z.strictObject({ columns: z.record(ZFeatureName, z.array(ZReferenceValue).max(MAX_REFERENCE_ROWS)) }),
    z.strictObject({ rows: z.array(z.record(ZFeatureName, ZReferenceValue)).min(1).max(MAX_REFERENCE_ROWS) }),
  ])
  .meta({ id: 'ReferenceUpload' });
export type ReferenceUploadInput = z.infer<typeof ZReferenceUpload>;

export const ZReferenceParams = ZVersionParams;

export const ZReferenceStored = z.object({
  model: z.string(),
  version: z.number().int(),
  rows: z.number().int(),
  columns: z.array(
    z.object({
      name: z.string(),
      type: z.enum(['numeric', 'categorical']),
      n: z.number().int(),
      nNull: z.number().int(),
      distinct: z.number().int(),
    }),
  ),
});

/** `to` as the service reads it: now when omitted, so `from` alone is bounded too. */
const windowEnd = (q: { to?: string }) => (q.to ? Date.parse(q.to) : Date.now());

/** Longest drift window: the query reads the window's raw rows (exact statistics, Wasserstein included). */
export const MAX_DRIFT_WINDOW_DAYS = 31;

export const ZDriftQuery = z
  .object({
    environment: ZEnvironmentName,
    version: z.coerce.number().int().min(1).optional().describe('Defaults to the version live in the environment now.'),
    from: z.iso.datetime({ offset: true, message: 'from must be an ISO 8601 date-time with a time zone.' }).optional().describe('Inclusive; defaults to 24 hours before `to`.'),
    to: z.iso.datetime({ offset: true, message: 'to must be an ISO 8601 date-time with a time zone.' }).optional().describe('Exclusive; defaults to now.'),
  })
  // `to` is read as now when omitted (windowEnd), so `from` alone is capped like a full window;
  // `to` alone spans the default 24 hours.
  .refine((q) => !q.from || Date.parse(q.from) < windowEnd(q), { message: 'from must be before to (now when to is omitted).', path: ['from'] })
  .refine((q) => !q.from || windowEnd(q) - Date.parse(q.from) <= MAX_DRIFT_WINDOW_DAYS * 86_400_000, {
    message: `A drift window spans at most ${MAX_DRIFT_WINDOW_DAYS} days (to defaults to now).`,
    path: ['to'],
  });
export type DriftQuery = z.infer<typeof ZDriftQuery>;

const ZTestResult = z.object({ statistic: z.number(), pValue: z.number() });
export const ZFeatureDrift = z
  .object({
    name: z.string(),
    type: z.enum(['numeric', 'categorical']),
    method: z.enum(['ks', 'wasserstein', 'psi', 'jensen_shannon', 'chi_square']),
    threshold: z.number(),
    drifted: z.boolean(),
    nReference: z.number().int(),
    nCurrent: z.number().int(),
    nNull: z.number().int(),
    nNullReference: z.number().int(),
    ks: ZTestResult.optional(),
    psi: z.number().optional(),
    jensenShannon: z.number().optional(),
    wasserstein: z.number().optional(),
    wassersteinNormed: z.number().optional(),
    chiSquare: ZTestResult.optional(),
  })
  .meta({ id: 'FeatureDrift' });

export const ZDriftReport = z.object({
  model: z.string(),
  environment: z.string(),
  version: z.number().int(),
  from: z.string(),
  to: z.string(),
  hasReference: z.boolean(),
  features: z.array(ZFeatureDrift),
  prediction: ZFeatureDrift.optional(),
  datasetDrift: z.object({ share: z.number(), drifted: z.boolean() }),
});

export const SERIES_BUCKETS = { '1h': 3_600_000, '1d': 86_400_000 } as const;
export type SeriesBucket = keyof typeof SERIES_BUCKETS;
/** Longest window per bucket width: a month of hours, a year of days. */
export const MAX_SERIES_WINDOW_DAYS: Readonly<Record<SeriesBucket, number>> = { '1h': 31, '1d': 366 };

const ZSeriesQuery = z.object({
  environment: ZEnvironmentName,
  version: z.coerce.number().int().min(1).max(INT32_MAX).optional(),
  from: ZTimestamp.optional().describe('Inclusive, rounded down to the bucket; defaults to 24 hours (1h) or 30 days (1d) before `to`.'),
  to: ZTimestamp.optional().describe('Exclusive; defaults to now.'),
  bucket: z.enum(['1h', '1d'], { error: 'bucket must be 1h or 1d.' }).default('1h'),
});


function boundedWindow<S extends typeof ZSeriesQuery>(schema: S) {
  return schema
    .refine((q) => !q.from || Date.parse(q.from) < windowEnd(q), { message: 'from must be before to (now when to is omitted).', path: ['from'] })
    .refine((q) => !q.from || windowEnd(q) - Date.parse(q.from) <= MAX_SERIES_WINDOW_DAYS[q.bucket] * 86_400_000, {
      message: `A window spans at most ${MAX_SERIES_WINDOW_DAYS['1h']} days with bucket=1h, ${MAX_SERIES_WINDOW_DAYS['1d']} days with bucket=1d.`,
      path: ['to'],
    });
}

export const ZPerformanceQuery = boundedWindow(
  ZSeriesQuery.extend({ version: ZSeriesQuery.shape.version.describe('Only this version; every version with data when omitted.') }),
);
export type PerformanceQuery = z.infer<typeof ZPerformanceQuery>;

export const ZDriftSeriesQuery = boundedWindow(
  ZSeriesQuery.extend({ version: ZSeriesQuery.shape.version.describe('Defaults to the version live in the environment now.') }),
);
export type DriftSeriesQuery = z.infer<typeof ZDriftSeriesQuery>;

const nullable = () => z.number().nullable();

export const ZPerformancePoint = z
  .object({
    t: z.string().describe('Start of the bucket.'),
    count: z.number().int().describe('Predictions in the bucket (0: a gap, every figure null).'),
    throughputPerMinute: nullable(),
    errorRate: nullable(),
    latencyP50Ms: nullable(),
    latencyP95Ms: nullable(),
    latencyP99Ms: nullable(),
    labeled: z.number().int().describe('Predictions of the bucket with a joined label.'),
    accuracy: nullable(),
    precision: nullable(),
    recall: nullable(),
    f1: nullable(),
    auc: nullable().describe('Approximated from 20-bin score histograms.'),
    logLoss: nullable().describe('Approximated from 20-bin score histograms.'),
    mae: nullable(),
    mse: nullable(),
    rmse: nullable(),
    r2: nullable(),
  })
  .meta({ id: 'PerformancePoint' });

export const ZPerformanceSeries = z.object({
  model: z.string(),
  environment: z.string(),
  task: z.enum(['classification', 'regression', 'other']),
  from: z.string(),
  to: z.string(),
  bucket: z.enum(['1h', '1d']),
  versions: z.array(z.object({ version: z.number().int(), points: z.array(ZPerformancePoint) })),
});

export const ZDriftPoint = z
  .object({
    t: z.string(),
    nCurrent: z.number().int(),
    nNull: z.number().int(),
    method: z.enum(['psi', 'jensen_shannon', 'chi_square']),
    value: nullable().describe('The figure `drifted` is decided on (PSI, Jensen–Shannon, or the chi-square p-value); null in an empty bucket.'),
    drifted: z
      .boolean()
      .nullable()
      .describe('null: an empty bucket, or fewer than 30 non-null values (no verdict; the figures stand). A distance drifts only when chiSquarePValue < 0.05 too.'),
    psi: nullable(),
    jensenShannon: nullable(),
    chiSquarePValue: nullable().describe('The chi-square test on the bucket’s counts: the categorical test, or the guard behind a distance’s verdict.'),
  })
  .meta({ id: 'DriftPoint' });

const ZColumnDriftSeries = z.object({ name: z.string(), type: z.enum(['numeric', 'categorical']), threshold: z.number(), points: z.array(ZDriftPoint) });

export const ZDriftSeries = z.object({
  model: z.string(),
  environment: z.string(),
  version: z.number().int(),
  from: z.string(),
  to: z.string(),
  bucket: z.enum(['1h', '1d']),
  hasReference: z.boolean(),
  downsampled: z.boolean().describe('True when buckets were left out (min/max per chart pixel) to keep each series under 500 points.'),
  features: z.array(ZColumnDriftSeries),
  prediction: ZColumnDriftSeries.optional(),
  datasetDrift: z.array(z.object({ t: z.string(), share: nullable(), drifted: z.boolean().nullable() })),
});

export { DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from './form-options';

export const ZRetentionInput = z.strictObject({
  days: z
    .number({ error: 'days must be a whole number of days.' })
    .int('days must be a whole number of days.')
    .min(MIN_RETENTION_DAYS, `days must be at least ${MIN_RETENTION_DAYS}.`)
    .max(MAX_RETENTION_DAYS, `days must be at most ${MAX_RETENTION_DAYS}.`),
});
export type RetentionInput = z.infer<typeof ZRetentionInput>;

export const ZRetention = z.object({
  model: z.string(),
  days: z.number().int(),
  /** The oldest instant a record may have: the start of the UTC day `days` ago. */
  keepsFrom: z.string(),
});

export const ZDemoHistory = z.union([
  z.object({ status: z.literal('none') }),
  z.object({
    status: z.enum(['queued', 'running', 'done', 'failed']),
    days: z.number().int(),
    daysDone: z.number().int(),
    predictions: z.number().int(),
    labels: z.number().int(),
    error: z.string().nullable(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  }),
]);

/** The model page's retention form: the same bounds, from a text field. */
export const ZRetentionForm = z.object({
  name: ZModelName,
  days: z.preprocess((value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value), ZRetentionInput.shape.days),
});

/** A chart window on the Monitoring tab: the series windows' rules, without the bucket. */
const ZChartWindowQuery = z.object({
  environment: ZEnvironmentName,
  version: ZSeriesQuery.shape.version.describe('Defaults to the version live in the environment now.'),
  from: ZSeriesQuery.shape.from.describe('Inclusive; defaults to 24 hours before `to`.'),
  to: ZSeriesQuery.shape.to,
});

function boundedChartWindow<S extends z.ZodType<{ from?: string; to?: string }>>(schema: S) {
  return schema
    .refine((q) => !q.from || Date.parse(q.from) < windowEnd(q), { message: 'from must be before to (now when to is omitted).', path: ['from'] })
    .refine((q) => !q.from || windowEnd(q) - Date.parse(q.from) <= MAX_SERIES_WINDOW_DAYS['1d'] * 86_400_000, {
      message: `A window spans at most ${MAX_SERIES_WINDOW_DAYS['1d']} days.`,
      path: ['to'],
    });
}

export const ZDistributionQuery = boundedChartWindow(
  ZChartWindowQuery.extend({
    column: ZFeatureName.describe('A feature of the version, or `prediction`.'),
  }),
);
export type DistributionQuery = z.infer<typeof ZDistributionQuery>;

export const ZDistribution = z.object({
  model: z.string(),
  environment: z.string(),
  version: z.number().int(),
  column: z.string(),
  type: z.enum(['numeric', 'categorical']),
  sensitive: z.boolean().describe('True: bin and category labels are masked (`•••`), the shares are kept.'),
  from: z.string(),
  to: z.string(),
  hasReference: z.boolean(),
  nReference: z.number().int(),
  nCurrent: z.number().int(),
  nNull: z.number().int(),
  bins: z.array(
    z.object({
      label: z.string().describe('`[a, b)` for a reference decile bin, the category otherwise.'),
      reference: z.number().nullable().describe('Share of the reference in the bin (null without a reference).'),
      current: z.number().nullable().describe('Share of the window in the bin (null when the window is empty).'),
      referenceCount: z.number().int(),
      currentCount: z.number().int(),
    }),
  ),
});

export const ZAnnotationsQuery = boundedChartWindow(ZChartWindowQuery.omit({ version: true }));
export type AnnotationsQuery = z.infer<typeof ZAnnotationsQuery>;

export const ZAnnotations = z.object({
  model: z.string(),
  environment: z.string(),
  from: z.string(),
  to: z.string(),
  releases: z.array(
    z.object({
      id: z.string(),
      version: z.number().int(),
      strategy: z.string(),
      at: z.string().describe('When the release went live.'),
      endedAt: z.string().nullable(),
    }),
  ),
});

export const EXPORT_CHARTS = ['drift', 'performance', 'operations', 'distribution'] as const;
export type ExportChart = (typeof EXPORT_CHARTS)[number];

export const ZMonitoringExportQuery = boundedChartWindow(
  ZChartWindowQuery.extend({
    chart: z.enum(EXPORT_CHARTS, { error: `chart must be one of ${EXPORT_CHARTS.join(', ')}.` }),
    bucket: z.enum(['1h', '1d'], { error: 'bucket must be 1h or 1d.' }).default('1h'),
    column: ZFeatureName.optional().describe('chart=distribution: the feature (or `prediction`).'),
  }),
)
  .refine((q) => q.chart !== 'distribution' || q.column !== undefined, { message: 'chart=distribution needs column.', path: ['column'] })
  .refine((q) => !q.from || windowEnd(q) - Date.parse(q.from) <= MAX_SERIES_WINDOW_DAYS[q.bucket] * 86_400_000, {
    message: `A window spans at most ${MAX_SERIES_WINDOW_DAYS['1h']} days with bucket=1h, ${MAX_SERIES_WINDOW_DAYS['1d']} days with bucket=1d.`,
    path: ['to'],
  });
export type MonitoringExportQuery = z.infer<typeof ZMonitoringExportQuery>;

export const OVERVIEW_WINDOWS = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type OverviewWindow = keyof typeof OVERVIEW_WINDOWS;

export const ZOverviewQuery = z.object({
  window: z.enum(['24h', '7d', '30d'], { error: 'window must be 24h, 7d or 30d.' }).default('24h').describe('The window health, drift and the sparklines cover.'),
});

export const HEALTH_STATES = ['healthy', 'drifting', 'degraded', 'no_data'] as const;
export type Health = (typeof HEALTH_STATES)[number];

export const ZOverview = z.object({
  from: z.string(),
  to: z.string(),
  window: z.enum(['24h', '7d', '30d']),
  thresholds: z.object({
    errorRate: z.number().describe('Degraded at or above this error rate.'),
    accuracyDrop: z.number().describe('Degraded when accuracy falls this much (absolute) below the previous window.'),
    rmseRise: z.number().describe('Degraded when RMSE rises this much (relative) above the previous window.'),
  }),
  rows: z.array(
    z.object({
      model: z.string(),
      task: z.enum(['classification', 'regression', 'other']),
      environment: z.string().nullable(),
      version: z.number().int().nullable().describe('The version drift is measured on: live now, else the one with most predictions.'),
      health: z.enum(HEALTH_STATES),
      reasons: z.array(z.string()).describe('Why the health is what it is, in words.'),
      predictions: z.number().int(),
      errorRate: z.number().nullable(),
      metric: z.object({ name: z.string(), value: z.number().nullable(), previous: z.number().nullable() }).nullable(),
      worstFeature: z
        .object({ name: z.string(), method: z.string(), value: z.number(), threshold: z.number(), ratio: z.number(), drifted: z.boolean() })
        .nullable(),
      driftedFeatures: z.number().int(),
      features: z.number().int(),
      openAlerts: z.number().int(),
      sparklines: z.object({
        t: z.array(z.string()),
        throughput: z.array(z.number().nullable()).describe('Predictions per minute per bucket.'),
        metric: z.array(z.number().nullable()),
      }),
    }),
  ),
});
export type Overview = z.infer<typeof ZOverview>;
