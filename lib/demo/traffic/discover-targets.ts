import { z } from 'zod';
import { createSampler, DEMO_DATASETS, type DemoDataset, type DemoRow } from '../datasets';
import { modelUrl } from './infer';
import type { TrafficShift } from './options';

/** The part of GET /manage/state this script reads (see docs/model-server.md). */
const ZManageState = z.object({
  environments: z.array(
    z.object({
      environment: z.string(),
      models: z.array(
        z.object({
          model: z.string(),
          routes: z.array(z.object({ version: z.union([z.string(), z.number()]), percent: z.number() })).default([]),
        }),
      ),
    }),
  ),
});

const ZModelMetadata = z.object({
  inputs: z.array(z.object({ name: z.string(), datatype: z.string().optional(), shape: z.array(z.number()) })),
});

export interface TrafficTarget {
  model: string;
  environment: string;
  url: string;
  featureNames: string[];
  /** The model's own seeded stream of rows and ground truth (shifts applied). */
  next: () => DemoRow;
}

export interface Discovery {
  targets: TrafficTarget[];
  /** Live models the script does not send to, with the reason. */
  skipped: { model: string; reason: string }[];
}

/** Models with traffic in `environment`, by name, from a /manage/state body. */
export function liveModels(state: unknown, environment: string): string[] {
  const parsed = ZManageState.safeParse(state);
  if (!parsed.success) throw new Error(`Unexpected /manage/state answer: ${parsed.error.issues[0]?.message ?? 'unexpected shape'}.`);
  const env = parsed.data.environments.find((e) => e.environment === environment);
  return (env?.models ?? []).filter((m) => m.routes.some((r) => r.percent > 0)).map((m) => m.model);
}

interface DiscoverOptions {
  server: string;
  token: string;
  environment: string;
  seed: number;
  shifts: readonly TrafficShift[];
  fetch: typeof fetch;
  /** Targets found earlier: kept as they are, so their data streams continue. */
  known?: ReadonlyMap<string, TrafficTarget>;
  /** Generators by model name (default: the demo models). */
  datasets?: Readonly<Record<string, DemoDataset>>;
}

async function getJson(fetchFn: typeof fetch, url: string, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetchFn(url, { headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(10_000) }).catch((error: unknown) => {
    // undici says only "fetch failed"; the cause names the problem (ECONNREFUSED, a timeout, …).
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new Error(`GET ${url} failed: ${cause}`);
  });
  const text = await response.text();
  if (!response.ok) {
    const hint = response.status === 401 ? ' (is MODEL_SERVER_TOKEN the server’s token?)' : '';
    throw new Error(`GET ${url} answered ${response.status}${hint}: ${text.slice(0, 200)}`);
  }
  return JSON.parse(text) as unknown;
}

/**
 * Finds the demo models live in the environment and checks each one's input signature
 * against its generator (X, [-1, F]), so a model registered with other features is skipped
 * with a reason instead of being sent requests it would refuse.
 */
export async function discoverTargets(options: DiscoverOptions): Promise<Discovery> {
  const state = await getJson(options.fetch, `${options.server}/manage/state`, { authorization: `Bearer ${options.token}` });
  const discovery: Discovery = { targets: [], skipped: [] };
  const datasets = options.datasets ?? DEMO_DATASETS;
  const demoNames = Object.keys(datasets);
  for (const model of liveModels(state, options.environment)) {
    const known = options.known?.get(model);
    if (known) {
      discovery.targets.push(known);
      continue;
    }
    const dataset = datasets[model];
    if (!dataset) {
      discovery.skipped.push({ model, reason: `no demo data generator (there are generators for ${demoNames.join(', ')})` });
      continue;
    }
    const metadata = ZModelMetadata.safeParse(await getJson(options.fetch, modelUrl(options.server, options.environment, model)).catch((error: Error) => error.message));
    const input = metadata.success ? metadata.data.inputs.find((i) => i.name === 'X') : undefined;
    const width = dataset.features.length;
    if (!input || input.shape.length !== 2 || input.shape[1] !== width) {
      const seen = metadata.success ? JSON.stringify(metadata.data.inputs.map((i) => ({ name: i.name, shape: i.shape }))) : 'no readable metadata';
      discovery.skipped.push({ model, reason: `expected an input X of shape [-1, ${width}] (${dataset.features.map((f) => f.name).join(', ')}), the server has ${seen}` });
      continue;
    }
    const shifts = options.shifts.filter((s) => (s.model ?? model) === model && dataset.features.some((f) => f.name === s.feature));
    discovery.targets.push({
      model,
      environment: options.environment,
      url: modelUrl(options.server, options.environment, model, '/infer'),
      featureNames: dataset.features.map((f) => f.name),
      // Each model gets its own stream, stable for a given --seed.
      next: createSampler(dataset, { seed: options.seed * 1000 + demoNames.indexOf(model), shifts }),
    });
  }
  return discovery;
}
