import { z } from 'zod';
import { ZEnvironmentName, ZModelName, ZVersionParams } from './registry';

/** Largest batch per call (413 above); the byte limit is MAX_INGEST_BYTES in lib/server/monitoring. */
export const MAX_RECORDS_PER_BATCH = 10_000;
/** Largest reference per version (rows, or values per column). */
export const MAX_REFERENCE_ROWS = 100_000;
/** Timestamps may run this far ahead of the server's clock (clock skew), no further. */
export const MAX_FUTURE_SKEW_MS = 60 * 60 * 1000;

const ZRecordId = z.string().min(1, 'A record id cannot be empty.').max(200, 'A record id has at most 200 characters.');
const ZFeatureValue = z.union([z.number(), z.string().max(1000), z.null()]);

export const ZFeatureName = z.string().min(1).max(200);

export const ZPredictionValue = z.union([
  z.number().finite(),
  z.string().min(1).max(200),
  z
    .strictObject({
      label: z.union([z.string().min(1).max(200), z.number().finite()]),
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
  error: z.string().max(2000).optional(),
});
export type PredictionRecordInput = z.infer<typeof ZPredictionRecord>;

/** The batch header: the JSON body without `records`, or the first line of an NDJSON body. */
export const ZPredictionHeader = z.strictObject({
  model: ZModelName,
  environment: ZEnvironmentName,
  version: z.number().int().min(1).optional().describe('Omitted: the version live in the environment at each record’s timestamp.'),
});
export type PredictionHeader = z.infer<typeof ZPredictionHeader>;

export const ZLabelValue = z.union([z.number().finite(), z.string().min(1).max(200), z.boolean()]);
export const ZLabelRecord = z.strictObject({ id: ZRecordId, label: ZLabelValue });
export const ZLabelHeader = z.strictObject({ model: ZModelName });
export type LabelRecordInput = z.infer<typeof ZLabelRecord>;

export const ZIngestAccepted = z.object({
  accepted: z.number().int().describe('Records in the batch, all durably stored when this is returned.'),
  duplicates: z.number().int().describe('Of those, records whose id was already stored (a retry): stored once.'),
});

const ZReferenceValue = z.union([z.number(), z.string().max(1000), z.null()]);
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

/** Longest drift window: the query reads the window's raw rows (exact statistics, Wasserstein included). */
export const MAX_DRIFT_WINDOW_DAYS = 31;

export const ZDriftQuery = z
  .object({
    environment: ZEnvironmentName,
    version: z.coerce.number().int().min(1).optional().describe('Defaults to the version live in the environment now.'),
    from: z.iso.datetime({ offset: true, message: 'from must be an ISO 8601 date-time with a time zone.' }).optional().describe('Inclusive; defaults to 24 hours before `to`.'),
    to: z.iso.datetime({ offset: true, message: 'to must be an ISO 8601 date-time with a time zone.' }).optional().describe('Exclusive; defaults to now.'),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to.', path: ['from'] })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= MAX_DRIFT_WINDOW_DAYS * 86_400_000, {
    message: `A drift window spans at most ${MAX_DRIFT_WINDOW_DAYS} days.`,
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
