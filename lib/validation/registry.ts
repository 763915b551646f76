import { z } from 'zod';
import { storable, ZInt32, ZText, ZVersionNumber, ZVersionText } from './common';

export const MODEL_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const ZModelName = ZText
  .regex(MODEL_NAME_PATTERN, 'Use 1–64 lower-case letters, digits and dashes, starting with a letter or digit (e.g. churn-predictor).');

export const ZModelTask = z.enum(['classification', 'regression', 'other']);
export const ARTIFACT_FORMATS = ['onnx', 'pickle', 'pytorch', 'tensorflow', 'sklearn', 'xgboost', 'lightgbm', 'other'] as const;

export const ZCreateModel = z.strictObject({
  name: ZModelName,
  description: ZText.max(2000).optional(),
  task: ZModelTask.optional(),
  team: ZText.trim().min(1).max(100).optional(),
  tags: z.array(ZText.trim().min(1).max(50)).max(20).optional(),
});
export type CreateModelInput = z.infer<typeof ZCreateModel>;

export const ZModelParams = z.object({ name: ZModelName });
export const ZVersionParams = z.object({ name: ZModelName, version: ZVersionText });

export const ZListModelsQuery = z.object({
  q: ZText.max(100).optional().describe('Matches name and description.'),
  tag: ZText.max(50).optional(),
  team: ZText.max(100).optional(),
  task: ZModelTask.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: ZText.max(100).optional(),
});
export type ListModelsQuery = z.infer<typeof ZListModelsQuery>;

const ZFeature = z.strictObject({
  name: ZText.trim().min(1).max(200),
  type: z.enum(['numeric', 'categorical']),
  sensitive: z
    .boolean()
    .optional()
    .describe('Masked in the UI and exports; a sensitive categorical feature is stored as salted hashes.'),
});

const ZSha256 = ZText.regex(/^[0-9a-f]{64}$/i, 'A sha256 is 64 hexadecimal characters.').transform((v) => v.toLowerCase());

export const ZRegisterVersion = z
  .strictObject({
    artifactUri: storable(z.url('artifactUri must be a URI, e.g. s3://bucket/model.onnx').max(2000)).optional(),
    artifactSha256: ZSha256.optional().describe('Declared sha256 of the artifact; an upload that does not match is refused.'),
    format: z.enum(ARTIFACT_FORMATS).optional(),
    metrics: z.record(ZText.min(1).max(100), z.number().finite()).optional(),
    params: z.record(ZText.min(1).max(100), z.union([ZText.max(10_000), z.number(), z.boolean(), z.null()])).optional(),
    gitCommit: ZText.regex(/^[0-9a-f]{7,64}$/i, 'gitCommit must be a hexadecimal commit id.').optional(),
    dataset: ZText.max(2000).optional(),
    features: z.array(ZFeature).max(5000).optional(),
    modelCard: ZText.max(200_000).optional(),
    parentVersion: ZVersionNumber.optional(),
  })
  .refine((v) => !v.features || new Set(v.features.map((f) => f.name)).size === v.features.length, {
    message: 'Feature names must be unique.',
    path: ['features'],
  });
export type RegisterVersionInput = z.infer<typeof ZRegisterVersion>;

export const ZMetricGate = z.strictObject({
  metric: ZText.min(1).max(100),
  comparator: z.enum(['>=', '<=']),
  tolerance: z.number().min(0),
  enabled: z.boolean(),
});
export type MetricGate = z.infer<typeof ZMetricGate>;

export const ZUpdateEnvironment = z.strictObject({
  description: ZText.max(500).optional(),
  requiredApprovals: ZInt32.min(0).max(10).optional(),
  requirePreviousEnvironment: z.boolean().optional(),
  soakGateEnabled: z.boolean().optional(),
  minSoakMinutes: ZInt32.min(0).max(60 * 24 * 90).optional(),
  metricGates: z.array(ZMetricGate).max(50).optional(),
  blockOnOpenDriftAlert: z.boolean().optional(),
  authorCannotApprove: z.boolean().optional(),
});
export type UpdateEnvironmentInput = z.infer<typeof ZUpdateEnvironment>;

export const ZEnvironmentName = ZText.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'Not an environment name.');
export const ZEnvironmentParams = z.object({ name: ZModelName, environment: ZEnvironmentName });

export const ZStrategy = z
  .strictObject({
    type: z.enum(['replace', 'canary', 'shadow']),
    steps: z.array(ZInt32.min(1).max(100)).min(1).max(10).optional(),
    /** Canary: seconds between steps; the environment's default when left out. */
    intervalSeconds: ZInt32.min(1).max(3600).optional(),
    /** Shadow: share of requests mirrored to the new version. */
    percent: ZInt32.min(1).max(100).optional(),
  })
  .refine((s) => s.type === 'canary' || !s.steps, { message: 'Only canary releases have traffic steps.', path: ['steps'] })
  .refine((s) => s.type === 'canary' || s.intervalSeconds === undefined, { message: 'Only canary releases have an interval between steps.', path: ['intervalSeconds'] })
  .refine((s) => s.type === 'shadow' || s.percent === undefined, { message: 'Only shadow releases mirror a share of requests.', path: ['percent'] })
  .refine((s) => !s.steps || s.steps.every((v, i, a) => i === 0 || v > a[i - 1]!), {
    message: 'Traffic steps must increase, e.g. [10, 50, 100].',
    path: ['steps'],
  })
  .refine((s) => !s.steps || s.steps.at(-1) === 100, { message: 'The last traffic step must be 100.', path: ['steps'] });

export const ZRequestPromotion = z.strictObject({
  environment: ZEnvironmentName,
  strategy: ZStrategy.optional(),
  note: ZText.max(5000).optional(),
});
export type RequestPromotionInput = z.infer<typeof ZRequestPromotion>;

export const ZReleaseParams = z.object({ id: z.uuid('Must be a UUID.') });
export const ZApprove = z.strictObject({ comment: ZText.max(5000).optional() });
export const ZReject = z.strictObject({ comment: ZText.trim().min(1, 'Say why you reject it.').max(5000) });

export const RELEASE_STATUSES = [
  'pending_approval',
  'approved',
  'deploying',
  'live',
  'rejected',
  'cancelled',
  'failed',
  'rolled_back',
  'superseded',
  'paused',
  'aborted',
] as const;
export const ZListReleasesQuery = z.object({
  status: z.enum(RELEASE_STATUSES).optional(),
  model: ZModelName.optional(),
  environment: ZEnvironmentName.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: ZText.max(100).optional(),
});
export type ListReleasesQuery = z.infer<typeof ZListReleasesQuery>;
