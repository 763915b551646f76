import 'server-only';
import type { z } from 'zod';
import type { StreamingLag } from '@/lib/validation/streaming';

/**
 * The one interface every deployment backend implements (rule 9: a new backend is one file
 * plus a line in backends/index.ts; the rollout code never learns which one it drives).
 * Versions are the registry's version numbers; every call is idempotent, because a job that
 * died halfway runs again from the start.
 */
export interface DeploymentTarget {
  environment: string;
  model: string;
}

export interface ArtifactSource {
  /** file:///abs/path or http(s)://… (for the S3 artifact store, a presigned GET valid for minutes: never log its query). */
  url: string;
  /** s3://bucket/key when the artifact is in the S3 artifact store: for backends that fetch with their own credentials. */
  storageUri?: string;
  sha256: string;
  task?: 'classification' | 'regression' | 'other';
  /** Request headers the backend sends when it fetches the artifact (e.g. a signed token). */
  headers?: Record<string, string>;
}

export interface TrafficSplit {
  /** Integer percents summing to 100 over loaded versions. */
  routes: { version: number; percent: number }[];
  /** A share of requests mirrored to a version whose answers are never returned. */
  shadow: { version: number; percent: number } | null;
}

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
}

export interface VersionStats {
  version: number;
  role: 'primary' | 'canary' | 'shadow';
  requests: number;
  errors: number;
  errorRate: number;
  latencyMs: LatencySummary | null;
}

export interface DeploymentStatus {
  loaded: { version: number; sha256: string | null; status: string }[];
  traffic: TrafficSplit;
  /** Counted over the last `windowSeconds`. */
  windowSeconds: number;
  versions: VersionStats[];
  shadow: {
    version: number;
    compared: number;
    agreement: number | null;
    meanAbsoluteDifference: number | null;
    latencyMs: LatencySummary | null;
  } | null;
}

/** What a deploy is for: backends that hand the rollout to another system send it along. */
export interface DeployContext {
  releaseId: string;
  strategy: { type: string; steps: number[] };
  /** The split the release aims at once it is live. */
  traffic: { version: number; percent: number }[];
}

export interface BackendHealth {
  ok: boolean;
  detail: string;
}

/** Prediction records the backend's own reporter dropped (buffer full) since `since`. */
export interface ReportingLoss {
  dropped: number;
  since: string | null;
}

export interface DeploymentBackend {
  /** Base URL under which the target answers /v2/models/{model}/… (Open Inference Protocol v2). */
  endpoint(target: DeploymentTarget): string;
  /** Loads a version (download, sha256 check, warm-up) without sending it traffic. */
  deploy(target: DeploymentTarget, version: number, artifact: ArtifactSource, context?: DeployContext): Promise<void>;
  /**
   * Set by a backend whose `deploy` only hands the request over (webhook): the outcome arrives
   * later as a signed callback (POST /api/v1/releases/{id}/callback). The deploy job then does
   * not switch traffic itself: it waits for the callback, failing the release when none comes
   * within `callbackTimeoutSeconds` (lib/server/deployments/await-backend-callback.ts).
   */
  readonly asynchronous?: { callbackTimeoutSeconds: number };
  /** Replaces the whole split at once: every request is routed by the old split or the new one. */
  setTraffic(target: DeploymentTarget, split: TrafficSplit): Promise<void>;
  status(target: DeploymentTarget, options?: { windowSeconds?: number }): Promise<DeploymentStatus>;
  health(): Promise<BackendHealth>;
  /** Backends that can stream (local): consumer lag and broker connection of the target's binding. */
  streamingStatus?(target: DeploymentTarget): Promise<StreamingLag>;
  /** Stops routing to a version that has no traffic, lets its in-flight requests finish, frees it. Unknown versions are not an error. */
  undeploy(target: DeploymentTarget, version: number): Promise<void>;
  /**
   * Optional, for backends that report predictions to the dashboard themselves: what they had
   * to drop. Null when reporting is off. Monitoring shows it next to the charts, whose gaps
   * it explains.
   */
  reportingLoss?(options?: { timeoutSeconds?: number }): Promise<ReportingLoss | null>;
}

/**
 * One kind of backend. `config` is stored as JSON and shown to admins; `secret` (a token,
 * a password) is stored sealed and only ever handed to `create`.
 */
export interface BackendDefinition<C extends Record<string, unknown> = Record<string, unknown>> {
  type: string;
  label: string;
  description: string;
  configSchema: z.ZodType<C>;
  /** What the secret is, for the form ("Management token"); null when the backend takes none. */
  secretLabel: string | null;
  secretRequired: boolean;
  create(config: C, secret: string | null): DeploymentBackend;
}

/**
 * A backend call that failed. `retryable`: the backend was down, slow or answered 5xx, so the
 * job tries again later. Not retryable: the backend refused the request for good (corrupt
 * artifact, sha256 mismatch, a version it cannot load) and retrying cannot help.
 */
export class BackendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}
