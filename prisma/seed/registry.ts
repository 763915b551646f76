import { randomBytes } from 'node:crypto';
import { buildDemoModels } from '@/lib/demo/build-demo-models';
import { db } from '@/lib/db';
import type { RequestContext } from '@/lib/server/context';
import { deployRelease } from '@/lib/server/promotions/deploy-release';
import { requestPromotion } from '@/lib/server/promotions/request-promotion';
import { approveRelease } from '@/lib/server/promotions/review-release';
import { createModel } from '@/lib/server/registry/create-model';
import { registerVersion } from '@/lib/server/registry/register-version';
import { uploadArtifact } from '@/lib/server/registry/upload-artifact';
import type { CreateModelInput } from '@/lib/validation/registry';
import { mulberry32 } from '@/lib/demo/random';
import { afterWorkingTime, DAY, HOUR, historyWindow, workingTimeBetween } from './timeline';

interface DemoVersion {
  description: string;
  metrics: Record<string, number>;
  params: Record<string, string | number | boolean>;
  /** The ONNX bytes uploaded to the artifact store; null for a registry-only model. */
  artifact: { bytes: Uint8Array; sha256: string } | null;
  /** Where a registry-only version's artifact lives (outside ModelDeck). */
  externalUri?: string;
}

interface DemoModel {
  model: CreateModelInput;
  features: { name: string; type: 'numeric' | 'categorical' }[];
  /** Oldest first. */
  versions: DemoVersion[];
  /** Version live in each environment (development, staging, production). */
  live: { development?: number; staging?: number; production?: number };
  pendingProduction?: number;
  productionLive?: Record<number, number>;
}

interface ServedPlan {
  model: CreateModelInput;
  live: DemoModel['live'];
  pendingProduction?: number;
  /**
   * Days ago each listed version went live in production. The demo's 30 days of monitoring
   * history (lib/server/demo) then show one version per model, except fraud-detector, whose
   * v2 goes live in the middle of it.
   */
  productionLive?: Record<number, number>;
}

/**
 * Models lib/demo trains: their versions carry real ONNX artifacts, the features in the
 * artifacts' input order and metrics measured on held-out rows, so whatever is live answers
 * inference. fraud-detector v4 (the bad canary) is registered but live nowhere: it is there
 * to be rolled out and caught.
 */
const SERVED: ServedPlan[] = [
  {
    model: { name: 'churn-predictor', description: 'Monthly churn risk per subscriber.', task: 'classification', team: 'growth', tags: ['tabular', 'customer'] },
    live: { development: 5, staging: 4, production: 3 },
    pendingProduction: 4,
    productionLive: { 2: 38, 3: 32 },
  },
  {
    model: { name: 'fraud-detector', description: 'Card-not-present fraud scoring, real time.', task: 'classification', team: 'risk', tags: ['realtime', 'payments'] },
    live: { development: 3, staging: 3, production: 2 },
    // The release in the middle of the demo's monitoring history (lib/server/demo).
    productionLive: { 1: 31, 2: 10 },
  },
  {
    model: { name: 'demand-forecast', description: 'Daily units per store and product, 14 days ahead.', task: 'regression', team: 'supply-chain', tags: ['timeseries', 'tabular'] },
    live: { development: 4, staging: 3, production: 3 },
    productionLive: { 2: 36, 3: 32 },
  },
];

/**
 * Registry-only models: another team's pipeline trains and serves them, ModelDeck records
 * their versions. They have no artifact here, no made-up metrics, and are live nowhere, so
 * no environment with a deployment backend is ever asked to serve them.
 */
const REGISTRY_ONLY: DemoModel[] = [
  {
    model: { name: 'ticket-router', description: 'Routes support tickets to the right queue. Registry only: trained and served by the support team’s own pipeline.', task: 'classification', team: 'support', tags: ['nlp', 'registry-only'] },
    features: [
      { name: 'subject_length', type: 'numeric' },
      { name: 'language', type: 'categorical' },
      { name: 'product_area', type: 'categorical' },
    ],
    versions: [1, 2].map((version) => ({
      description: 'Trained and served outside ModelDeck.',
      metrics: {},
      params: {},
      artifact: null,
      externalUri: `s3://support-ml/ticket-router/v${version}/model.onnx`,
    })),
    live: {},
  },
  {
    model: { name: 'price-elasticity', description: 'Elasticity estimates for pricing experiments. Registry only: trained and served by the pricing team’s own pipeline.', task: 'regression', team: 'pricing', tags: ['tabular', 'experiment', 'registry-only'] },
    features: [
      { name: 'category', type: 'categorical' },
      { name: 'base_price', type: 'numeric' },
    ],
    versions: [{ description: 'Trained and served outside ModelDeck.', metrics: {}, params: {}, artifact: null, externalUri: 's3://pricing-ml/price-elasticity/v1/model.onnx' }],
    live: {},
  },
];

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

function demoModels(): DemoModel[] {
  const trained = new Map(buildDemoModels().map((m) => [m.model, m]));
  const served = SERVED.map((plan): DemoModel => {
    const demo = trained.get(plan.model.name);
    if (!demo || demo.task !== plan.model.task) throw new Error(`lib/demo trains no ${plan.model.task} model named ${plan.model.name}.`);
    return {
      ...plan,
      features: demo.features,
      versions: demo.versions.map((v) => ({ description: v.description, metrics: v.metrics, params: v.params, artifact: { bytes: v.onnx, sha256: v.sha256 } })),
    };
  });
  return [...served, ...REGISTRY_ONLY];
}

const ENVIRONMENTS = ['development', 'staging', 'production'] as const;

async function contextFor(email: string): Promise<RequestContext> {
  const user = await db().user.findUniqueOrThrow({ where: { email } });
  return { actor: { id: user.id, email: user.email, name: user.name, roles: user.roles }, requestId: 'seed' };
}

/** One thing a person did, `gapHours` (roughly) after their previous step on the same model. */
interface Step {
  gapHours: number;
  run: (at: Date) => Promise<void>;
  /** Set on the step that makes a version live in production. */
  liveInProduction?: number;
}

/**
 * A model's history in the order it happened: registered, then each version built and walked
 * through the environments as far as it got (the current and the previous live version of
 * every environment, so each lane has history to roll back to). Development and staging go
 * live on request; production waits for the reviewer.
 */
function historyOf(demo: DemoModel, engineer: RequestContext, reviewer: RequestContext): Step[] {
  const name = demo.model.name;
  const steps: Step[] = [{ gapHours: 0, run: async (at) => void (await createModel({ ...engineer, at }, demo.model)) }];
  for (const [index, demoVersion] of demo.versions.entries()) {
    const version = index + 1;
    const { artifact } = demoVersion;
    steps.push({
      gapHours: 40,
      run: async (at) => {
        await registerVersion({ ...engineer, at }, name, {
          format: 'onnx',
          ...(artifact ? { artifactSha256: artifact.sha256 } : { artifactUri: demoVersion.externalUri }),
          metrics: demoVersion.metrics,
          params: demoVersion.params,
          gitCommit: randomBytes(20).toString('hex'),
          dataset: `s3://datasets/${name}/2026-${String(index + 6).padStart(2, '0')}.parquet`,
          features: demo.features,
          modelCard: `# ${name} v${version}\n\n${demo.model.description}\n\n${demoVersion.description}\n\n## Intended use\n\nInternal decision support.\n`,
          ...(version > 1 ? { parentVersion: version - 1 } : {}),
        });
        // Uploaded through the registry like any artifact: checked against the declared sha256.
        if (artifact) await uploadArtifact({ ...engineer, at }, { model: name, version, body: streamOf(artifact.bytes) });
      },
    });
    const reached = ENVIRONMENTS.filter((env) => {
      const target = demo.live[env];
      return target !== undefined && (version === target || version === target - 1);
    });
    const highest = Math.max(-1, ...reached.map((env) => ENVIRONMENTS.indexOf(env)));
    for (const environment of ENVIRONMENTS.slice(0, highest + 1)) {
      let release: { id: string; status: string } | undefined;
      steps.push({
        gapHours: environment === 'development' ? 3 : environment === 'staging' ? 30 : 70,
        run: async (at) => {
          ({ release } = await requestPromotion({ ...engineer, at }, { model: name, version, input: { environment, note: `Promote v${version} to ${environment}.` } }));
        },
      });
      steps.push({
        gapHours: 4,
        run: async (at) => {
          if (release?.status === 'pending_approval') await approveRelease({ ...reviewer, at }, release.id, 'Metrics and soak look good.');
        },
      });
      steps.push({
        gapHours: 0.3,
        run: async (at) => release && (await deployRelease(release.id, { at })),
        ...(environment === 'production' ? { liveInProduction: version } : {}),
      });
    }
  }
  return steps;
}

/**
 * A lived-in registry: several models with version histories over the last six weeks,
 * versions live in each environment, earlier releases superseded, and one production request
 * waiting for a reviewer (a few hours old). Every step goes through the same services as the
 * app, backdated, and all models' steps run in time order so the audit chain reads as the
 * timeline. Skipped when any model exists.
 */
export async function seedRegistry(): Promise<{ models: number }> {
  if ((await db().model.count()) > 0) return { models: 0 };
  const engineer = await contextFor('engineer@example.com');
  const reviewer = await contextFor('reviewer@example.com');
  const { start, end } = await historyWindow();
  // Laid out in working time (weekdays, office hours), unless the window is too short for that.
  const working = workingTimeBetween(start, end);
  const inOfficeHours = working >= 5 * 9 * HOUR;
  const span = inOfficeHours ? working : end.getTime() - start.getTime();
  const toDate = (offset: number) => (inOfficeHours ? afterWorkingTime(start, offset) : new Date(start.getTime() + offset));
  // Deterministic: the same demo history on every machine.
  const random = mulberry32(20_261_121);

  const models = demoModels();
  const planned: { at: number; run: () => Promise<void> }[] = [];
  for (const [index, demo] of models.entries()) {
    // Models arrive one after another over the first weeks; each history ends in the last days.
    const first = span * 0.05 * index;
    const last = span * (1 - 0.05 * random());
    const steps = historyOf(demo, engineer, reviewer);
    const gaps = steps.map((step) => step.gapHours * (0.5 + random()));
    // Anchored steps land on their day; the steps between two anchors share the time between.
    const anchors: { index: number; offset: number }[] = [{ index: -1, offset: first }];
    for (const [i, step] of steps.entries()) {
      const daysAgo = step.liveInProduction === undefined ? undefined : demo.productionLive?.[step.liveInProduction];
      if (daysAgo === undefined) continue;
      const target = new Date(Date.now() - daysAgo * DAY);
      const offset = inOfficeHours ? workingTimeBetween(start, target) : target.getTime() - start.getTime();
      if (offset > anchors.at(-1)!.offset && offset < last) anchors.push({ index: i, offset });
    }
    anchors.push({ index: steps.length - 1, offset: last });
    for (let a = 1; a < anchors.length; a++) {
      const from = anchors[a - 1]!;
      const to = anchors[a]!;
      const segment = gaps.slice(from.index + 1, to.index + 1);
      const scale = (to.offset - from.offset) / Math.max(1e-9, segment.reduce((sum, gap) => sum + gap, 0));
      let offset = from.offset;
      for (let i = from.index + 1; i <= to.index; i++) {
        offset += gaps[i]! * scale;
        const when = toDate(Math.round(i === to.index ? to.offset : offset));
        const step = steps[i]!;
        planned.push({ at: when.getTime(), run: () => step.run(when) });
      }
    }
  }
  planned.sort((a, b) => a.at - b.at);
  for (const step of planned) await step.run();

  const pendingAt = new Date(Math.min(Date.now(), end.getTime() + HOUR));
  for (const demo of models) {
    if (!demo.pendingProduction) continue;
    await requestPromotion(
      { ...engineer, at: pendingAt },
      {
        model: demo.model.name,
        version: demo.pendingProduction,
        input: { environment: 'production', note: 'Better F1 on the August holdout; soaked a week in staging.' },
      },
    );
  }
  return { models: models.length };
}
