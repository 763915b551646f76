import { z } from 'zod';

/** Response shapes of the registry and release endpoints (documented in OpenAPI). */
export const ZLiveEntry = z.object({
  environment: z.string(),
  version: z.number().int(),
  since: z.string(),
  releaseId: z.string(),
  slot: z.enum(['primary', 'secondary']),
  strategy: z.string(),
});

export const ZModelSummary = z
  .object({
    name: z.string(),
    description: z.string(),
    task: z.string(),
    team: z.string().nullable(),
    tags: z.array(z.string()),
    createdAt: z.string(),
    latestVersion: z.number().int().nullable(),
  })
  .meta({ id: 'Model' });

export const ZModelListPage = z
  .object({
    items: z.array(ZModelSummary.extend({ versionCount: z.number().int(), live: z.array(ZLiveEntry) })),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'ModelPage' });

export const ZModelDetail = ZModelSummary.extend({
  environments: z.array(
    z.object({
      environment: z.string(),
      liveVersion: z.number().int().nullable(),
      since: z.string().nullable(),
      releaseId: z.string().nullable(),
      rollbackTo: z.number().int().nullable().meta({ description: 'The version a rollback would put back; null when there is nothing to roll back to.' }),
      secondary: ZLiveEntry.nullable(),
      pending: z.object({ id: z.string(), version: z.number().int(), status: z.string() }).nullable(),
    }),
  ),
  versions: z.array(z.object({ version: z.number().int(), status: z.string(), format: z.string().nullable(), metrics: z.record(z.string(), z.number()), parentVersion: z.number().int().nullable(), createdAt: z.string(), live: z.array(z.string()), requested: z.array(z.string()).meta({ description: 'Environments with an open request for this version.' }) })),
  history: z.array(z.object({ id: z.string(), environment: z.string(), version: z.number().int(), status: z.string(), strategy: z.string(), isRollback: z.boolean(), requestedAt: z.string(), liveAt: z.string().nullable(), endedAt: z.string().nullable() })),
}).meta({ id: 'ModelDetail' });

export const ZVersion = z
  .object({
    model: z.string(),
    version: z.number().int(),
    status: z.enum(['active', 'archived']),
    format: z.string().nullable(),
    artifact: z.object({ uri: z.string().nullable(), sha256: z.string().nullable(), size: z.number().nullable(), stored: z.boolean() }),
    metrics: z.record(z.string(), z.number()),
    params: z.record(z.string(), z.unknown()),
    gitCommit: z.string().nullable(),
    dataset: z.string().nullable(),
    features: z.array(z.object({ name: z.string(), type: z.enum(['numeric', 'categorical']) })),
    modelCard: z.string(),
    parentVersion: z.number().int().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'ModelVersion' });

export const ZVersionDetail = ZVersion.extend({
  liveHistory: z.array(z.object({ environment: z.string(), releaseId: z.string(), status: z.string(), liveAt: z.string(), endedAt: z.string().nullable() })),
}).meta({ id: 'ModelVersionDetail' });

export const ZGateResult = z
  .object({
    gate: z.string(),
    status: z.enum(['passed', 'failed', 'skipped']),
    detail: z.string(),
    actual: z.number().nullable().optional(),
    expected: z.number().nullable().optional(),
    alerts: z
      .array(z.object({ id: z.string(), name: z.string(), status: z.string() }))
      .optional()
      .describe('drift_alert: the open alerts that block the promotion.'),
  })
  .meta({ id: 'GateResult' });

const ZVersionFigures = z.object({
  version: z.number().int(),
  requests: z.number().int(),
  errors: z.number().int(),
  errorRate: z.number().describe('0..1'),
  p95Ms: z.number().nullable(),
});

export const ZCanaryAnalysis = z
  .object({
    at: z.string(),
    windowSeconds: z.number().int(),
    verdict: z.enum(['pass', 'fail', 'insufficient']).describe('insufficient: too few canary requests to judge; the step waits another interval.'),
    canary: ZVersionFigures,
    primary: ZVersionFigures,
    thresholds: z.object({ maxErrorRateIncrease: z.number(), maxLatencyRatio: z.number(), minRequests: z.number().int() }),
    checks: z.array(z.object({ name: z.enum(['requests', 'errorRate', 'latency']), passed: z.boolean(), detail: z.string() })),
  })
  .meta({ id: 'CanaryAnalysis' });

const ZCanaryProgress = z
  .object({
    primaryVersion: z.number().int(),
    intervalSeconds: z.number().int(),
    current: z.number().int().describe('Index of the step taking traffic now.'),
    intervalStartedAt: z.string(),
    extensions: z.number().int(),
    promoteNow: z.boolean(),
    steps: z.array(
      z.object({
        percent: z.number().int(),
        startedAt: z.string(),
        outcome: z.enum(['pass', 'fail', 'promoted', 'aborted']).nullable(),
        analyses: z.array(ZCanaryAnalysis),
      }),
    ),
  })
  .meta({ id: 'CanaryProgress' });

export const ZRelease = z
  .object({
    id: z.string(),
    model: z.string(),
    version: z.number().int(),
    environment: z.string(),
    status: z.string(),
    strategy: z.object({
      type: z.enum(['replace', 'canary', 'shadow']),
      steps: z.array(z.number().int()).optional(),
      intervalSeconds: z.number().int().nullable().optional(),
      percent: z.number().int().nullable().optional(),
    }),
    note: z.string(),
    isRollback: z.boolean(),
    requestedBy: z.string().nullable(),
    requestedAt: z.string(),
    approvals: z.number().int(),
    requiredApprovals: z.number().int(),
    gates: z.array(ZGateResult),
    approvedAt: z.string().nullable(),
    liveAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    statusReason: z.string().nullable(),
    /** Progress on the environment's deployment backend; null in alias mode or before the rollout starts. */
    rollout: z
      .object({
        backend: z.string().nullable(),
        endpoint: z.string().nullable(),
        phase: z.enum(['loading', 'switching', 'canary', 'shadow', 'aborting', 'unloading', 'done', 'failed', 'aborted', 'awaiting_callback']).nullable(),
        attempts: z.number().int(),
        lastError: z.string().nullable(),
        events: z.array(z.object({ at: z.string(), message: z.string() })),
        canary: ZCanaryProgress.nullable(),
        shadow: z.object({ primaryVersion: z.number().int(), percent: z.number().int(), promotedReleaseId: z.string().nullable() }).nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'Release' });

export const ZReleasePage = z.object({ items: z.array(ZRelease), nextCursor: z.string().nullable() }).meta({ id: 'ReleasePage' });

const ZMetricDiff = z.object({ name: z.string(), base: z.number().nullable(), other: z.number().nullable(), delta: z.number().nullable() });
const ZParamDiff = z.object({ name: z.string(), base: z.unknown(), other: z.unknown(), change: z.string() });

export const ZReleaseEvidence = z
  .object({
    kind: z.enum(['request', 'approval']).meta({ description: 'Taken when the release was requested, or at one approval.' }),
    takenAt: z.string(),
    takenBy: z.string().nullable().meta({ description: 'E-mail of the requester or the approving reviewer.' }),
    baselineVersion: z.number().int().nullable().meta({ description: 'The version live in the environment then (the one this release would replace).' }),
    metrics: z.array(ZMetricDiff).meta({ description: 'Metrics: base = baseline version, other = this version, delta = other − base.' }),
    params: z.array(ZParamDiff),
    gates: z.array(ZGateResult),
  })
  .meta({ id: 'ReleaseEvidence' });

const ZLatency = z.object({ p50: z.number(), p95: z.number(), p99: z.number() });

export const ZShadowStats = z
  .object({
    windowSeconds: z.number().int(),
    version: z.number().int(),
    compared: z.number().int().describe('Mirrored requests whose answer was compared with the primary\'s.'),
    agreement: z.number().nullable().describe('Classifiers: share of equal labels (0..1).'),
    meanAbsoluteDifference: z.number().nullable().describe('Regressors: mean absolute difference of the predictions.'),
    latencyMs: ZLatency.nullable(),
    primaryLatencyMs: ZLatency.nullable(),
  })
  .meta({ id: 'ShadowStats' });

export const ZReleaseDetail = ZRelease.extend({
  versionAuthor: z.string().nullable(),
  liveVersion: z.object({ version: z.number().int(), since: z.string().nullable() }).nullable(),
  comparison: z.object({
    metrics: z.array(ZMetricDiff),
    params: z.array(ZParamDiff),
  }),
  evidence: z.array(ZReleaseEvidence).meta({
    description: 'What the release was requested and approved on, recorded at the time, oldest first. Empty for releases from before evidence was recorded.',
  }),
  reviews: z.array(z.object({ reviewer: z.string().nullable(), decision: z.string(), comment: z.string(), at: z.string() })),
  shadowStats: ZShadowStats.nullable().meta({ description: 'While a shadow mirrors requests: how it compares with the primary, read live from the backend (null when it cannot be reached).' }),
}).meta({ id: 'ReleaseDetail' });

export const ZEnvironmentState = z
  .object({
    model: z.string(),
    environment: z.string(),
    liveVersion: z.number().int().nullable(),
    since: z.string().nullable(),
    release: z.object({ id: z.string(), strategy: z.string(), isRollback: z.boolean() }).nullable(),
    /** The environment's deployment backend type; null: going live moves the registry alias only. */
    backend: z.string().nullable(),
    /** Base URL under which this environment answers /v2/models/{name}/… (Open Inference Protocol v2); null without a backend. */
    endpoint: z.string().nullable(),
    /** Who answers requests, as committed by the last traffic switch; empty without a backend or with nothing live. */
    traffic: z.array(z.object({ version: z.number().int(), percent: z.number().int(), slot: z.enum(['primary', 'canary', 'shadow']) })),
    /** A release being rolled out here, with its phase (see the release for its timeline). */
    rollingOut: z
      .object({ releaseId: z.string(), version: z.number().int(), phase: z.string().nullable(), isRollback: z.boolean(), strategy: z.string(), status: z.string() })
      .nullable(),
  })
  .meta({ id: 'EnvironmentState' });

export const ZEnvironment = z
  .object({
    name: z.string(),
    position: z.number().int(),
    description: z.string(),
    requiredApprovals: z.number().int(),
    requirePreviousEnvironment: z.boolean(),
    soakGateEnabled: z.boolean(),
    minSoakMinutes: z.number().int(),
    metricGates: z.unknown(),
    blockOnOpenDriftAlert: z.boolean(),
    authorCannotApprove: z.boolean(),
    archivedAt: z.string().nullable().describe('When the environment was archived; `null` while it is in use.'),
    backend: z.null(),
  })
  .meta({ id: 'Environment' });

export const ZArtifactStored = z.object({ sha256: z.string(), size: z.number().int() }).meta({ id: 'ArtifactStored' });
