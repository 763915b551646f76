/**
 * What the server holds in memory: per environment and model, the loaded versions (an
 * onnxruntime session each) and the traffic table that routes requests to them.
 *
 * Invariants:
 * - A traffic table is immutable and replaced whole, so every request is routed by exactly
 *   one table, old or new.
 * - Picking a version and counting the request in flight happen in the same tick, so a
 *   version taken out of the table can wait for its in-flight count to reach zero before
 *   its session is released: no request is dropped by a switch or an unload.
 */
import { readFile, stat } from 'node:fs/promises';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { tensorMetadata, zeroFeeds, type TensorMetadata } from './oip';
import { SecondSeries } from './stats';
import type { Task } from './state-store';

export type VersionStatus = 'loading' | 'ready' | 'failed';

export class ModelVersion {
  status: VersionStatus = 'loading';
  error: string | null = null;
  session: ort.InferenceSession | null = null;
  inputs: TensorMetadata[] = [];
  outputs: TensorMetadata[] = [];
  /** Column names of the input from the ONNX metadata `feature_names` (lib/onnx writes it); null if absent. */
  featureNames: string[] | null = null;
  /** Requests (served and shadow) currently using the session. */
  inFlight = 0;
  readonly served = new SecondSeries();
  readonly shadowed = new SecondSeries();
  private idleWaiters: Array<() => void> = [];

  constructor(
    readonly version: string,
    readonly sha256: string,
    readonly task: Task,
    /** Absolute path of the cached artifact. */
    readonly artifactPath: string,
    readonly loadedAt: string,
  ) {}

  acquire(): void {
    this.inFlight += 1;
  }

  release(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Resolves once no request uses this version any more. */
  drained(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Creates the session from the verified artifact and warms it up before it may take traffic. */
  async open(): Promise<void> {
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(this.artifactPath);
    } catch (error) {
      throw new Error(`onnxruntime cannot load the artifact: ${(error as Error).message}`);
    }
    try {
      this.inputs = tensorMetadata(session.inputMetadata);
      this.outputs = tensorMetadata(session.outputMetadata);
      await session.run(zeroFeeds(this.inputs));
    } catch (error) {
      await session.release().catch(() => {});
      throw new Error(`warm-up inference failed: ${(error as Error).message}`);
    }
    this.featureNames = await readFeatureNames(this.artifactPath);
    this.session = session;
    this.status = 'ready';
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = null;
    if (session) await session.release();
  }
}

/** Larger graphs are not decoded a second time just for their names (onnxruntime-node does not expose metadata). */
const MAX_METADATA_SCAN_BYTES = 64 * 1024 * 1024;

async function readFeatureNames(file: string): Promise<string[] | null> {
  try {
    if ((await stat(file)).size > MAX_METADATA_SCAN_BYTES) return null;
    const model = onnxProto.onnx.ModelProto.decode(await readFile(file));
    const raw = model.metadataProps?.find((p) => p.key === 'feature_names')?.value;
    if (!raw) return null;
    const names: unknown = JSON.parse(raw);
    return Array.isArray(names) && names.every((n) => typeof n === 'string' && n.length > 0 && n.length <= 200) ? (names as string[]) : null;
  } catch {
    return null;
  }
}

export interface TrafficTable {
  readonly routes: ReadonlyArray<{ readonly version: ModelVersion; readonly percent: number }>;
  readonly shadow: { readonly version: ModelVersion; readonly percent: number } | null;
}

export const EMPTY_TABLE: TrafficTable = Object.freeze({ routes: Object.freeze([]), shadow: null });

export class ModelEntry {
  readonly versions = new Map<string, ModelVersion>();
  table: TrafficTable = EMPTY_TABLE;

  constructor(
    readonly environment: string,
    readonly model: string,
  ) {}

  /** A version by the table's weights; counted in flight before returning. */
  route(random: number = Math.random()): ModelVersion | null {
    const { routes } = this.table;
    let point = random * 100;
    for (const route of routes) {
      if (point < route.percent) {
        route.version.acquire();
        return route.version;
      }
      point -= route.percent;
    }
    return null;
  }

  /** The version with the most traffic (the first of equals): the "primary". */
  primary(): ModelVersion | null {
    let best: TrafficTable['routes'][number] | null = null;
    for (const route of this.table.routes) if (!best || route.percent > best.percent) best = route;
    return best?.version ?? null;
  }

  roleOf(version: ModelVersion): 'primary' | 'canary' | 'shadow' | null {
    if (this.table.shadow?.version === version) return 'shadow';
    if (!this.table.routes.some((r) => r.version === version)) return null;
    return this.primary() === version ? 'primary' : 'canary';
  }
}

export class Registry {
  /** False while the desired state is being reloaded at start: /v2/health/ready answers 503. */
  ready = false;
  private readonly environments = new Map<string, Map<string, ModelEntry>>();

  get(environment: string, model: string): ModelEntry | undefined {
    return this.environments.get(environment)?.get(model);
  }

  getOrCreate(environment: string, model: string): ModelEntry {
    let models = this.environments.get(environment);
    if (!models) {
      models = new Map();
      this.environments.set(environment, models);
    }
    let entry = models.get(model);
    if (!entry) {
      entry = new ModelEntry(environment, model);
      models.set(model, entry);
    }
    return entry;
  }

  /** Forgets a model with no versions and no traffic left (and its environment if empty). */
  prune(entry: ModelEntry): void {
    if (entry.versions.size > 0 || entry.table.routes.length > 0 || entry.table.shadow) return;
    const models = this.environments.get(entry.environment);
    models?.delete(entry.model);
    if (models?.size === 0) this.environments.delete(entry.environment);
  }

  entries(): ModelEntry[] {
    return [...this.environments.values()].flatMap((models) => [...models.values()]);
  }
}
