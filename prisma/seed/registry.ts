import { randomBytes } from 'node:crypto';
import { db } from '@/lib/db';
import type { RequestContext } from '@/lib/server/context';
import { deployRelease } from '@/lib/server/promotions/deploy-release';
import { requestPromotion } from '@/lib/server/promotions/request-promotion';
import { approveRelease } from '@/lib/server/promotions/review-release';
import { createModel } from '@/lib/server/registry/create-model';
import { registerVersion } from '@/lib/server/registry/register-version';
import type { CreateModelInput } from '@/lib/validation/registry';
import { afterWorkingTime, HOUR, historyWindow, jitter, workingTimeBetween } from './timeline';

interface DemoModel {
  model: CreateModelInput;
  features: { name: string; type: 'numeric' | 'categorical' }[];
  /** Headline metric per version, oldest first. */
  versions: Record<string, number>[];
  /** Version live in each environment (development, staging, production). */
  live: { development?: number; staging?: number; production?: number };
  pendingProduction?: number;
}

const MODELS: DemoModel[] = [
  {
    model: { name: 'churn-predictor', description: 'Monthly churn risk per subscriber.', task: 'classification', team: 'growth', tags: ['tabular', 'customer'] },
    features: [
      { name: 'tenure_months', type: 'numeric' },
      { name: 'monthly_charges', type: 'numeric' },
      { name: 'contract_type', type: 'categorical' },
      { name: 'support_tickets_90d', type: 'numeric' },
    ],
    versions: [
      { accuracy: 0.842, f1: 0.71, auc: 0.861 },
      { accuracy: 0.857, f1: 0.733, auc: 0.874 },
      { accuracy: 0.861, f1: 0.742, auc: 0.882 },
      { accuracy: 0.868, f1: 0.751, auc: 0.889 },
      { accuracy: 0.866, f1: 0.757, auc: 0.891 },
    ],
    live: { development: 5, staging: 4, production: 3 },
    pendingProduction: 4,
  },
  {
    model: { name: 'fraud-detector', description: 'Card-not-present fraud scoring, real time.', task: 'classification', team: 'risk', tags: ['realtime', 'payments'] },
    features: [
      { name: 'amount', type: 'numeric' },
      { name: 'merchant_category', type: 'categorical' },
      { name: 'country_mismatch', type: 'categorical' },
      { name: 'txn_count_1h', type: 'numeric' },
    ],
    versions: [
      { accuracy: 0.981, precision: 0.62, recall: 0.71, auc: 0.951 },
      { accuracy: 0.984, precision: 0.66, recall: 0.74, auc: 0.958 },
      { accuracy: 0.986, precision: 0.69, recall: 0.77, auc: 0.963 },
    ],
    live: { development: 3, staging: 3, production: 2 },
  },
  {
    model: { name: 'demand-forecast', description: 'Daily units per store and product, 14 days ahead.', task: 'regression', team: 'supply-chain', tags: ['timeseries', 'tabular'] },
    features: [
      { name: 'store_id', type: 'categorical' },
      { name: 'price', type: 'numeric' },
      { name: 'promo', type: 'categorical' },
      { name: 'lag_7', type: 'numeric' },
    ],
    versions: [{ mae: 4.21, rmse: 6.8 }, { mae: 3.95, rmse: 6.31 }, { mae: 3.88, rmse: 6.2 }, { mae: 3.91, rmse: 6.12 }],
    live: { development: 4, staging: 3, production: 3 },
  },
  {
    model: { name: 'ticket-router', description: 'Routes support tickets to the right queue.', task: 'classification', team: 'support', tags: ['nlp'] },
    features: [
      { name: 'subject_length', type: 'numeric' },
      { name: 'language', type: 'categorical' },
      { name: 'product_area', type: 'categorical' },
    ],
    versions: [{ accuracy: 0.78, f1: 0.74 }, { accuracy: 0.81, f1: 0.77 }],
    live: { development: 2, staging: 1 },
  },
  {
    model: { name: 'price-elasticity', description: 'Elasticity estimates for pricing experiments.', task: 'regression', team: 'pricing', tags: ['tabular', 'experiment'] },
    features: [
      { name: 'category', type: 'categorical' },
      { name: 'base_price', type: 'numeric' },
    ],
    versions: [{ mae: 0.118, rmse: 0.164 }],
    live: { development: 1 },
  },
];

const ENVIRONMENTS = ['development', 'staging', 'production'] as const;

async function contextFor(email: string): Promise<RequestContext> {
  const user = await db().user.findUniqueOrThrow({ where: { email } });
  return { actor: { id: user.id, email: user.email, name: user.name, roles: user.roles }, requestId: 'seed' };
}

/** One thing a person did, `gapHours` (roughly) after their previous step on the same model. */
interface Step {
  gapHours: number;
  run: (at: Date) => Promise<void>;
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
  for (const [index, metrics] of demo.versions.entries()) {
    const version = index + 1;
    steps.push({
      gapHours: 40,
      run: async (at) =>
        void (await registerVersion({ ...engineer, at }, name, {
          format: 'onnx',
          artifactUri: `s3://models/${name}/v${version}/model.onnx`,
          metrics,
          params: { learning_rate: 0.1 / version, max_depth: 4 + version, n_estimators: 100 * version },
          gitCommit: randomBytes(20).toString('hex'),
          dataset: `s3://datasets/${name}/2026-${String(index + 6).padStart(2, '0')}.parquet`,
          features: demo.features,
          modelCard: `# ${name} v${version}\n\n${demo.model.description}\n\n## Intended use\n\nInternal decision support.\n`,
          ...(version > 1 ? { parentVersion: version - 1 } : {}),
        })),
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
      steps.push({ gapHours: 0.3, run: async (at) => release && (await deployRelease(release.id, { at })) });
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
  const random = jitter(20_261_121);

  const planned: { at: number; run: () => Promise<void> }[] = [];
  for (const [index, demo] of MODELS.entries()) {
    // Models arrive one after another over the first weeks; each history ends in the last days.
    const first = span * 0.1 * index;
    const last = span * (1 - 0.05 * random());
    const steps = historyOf(demo, engineer, reviewer);
    const gaps = steps.map((step) => step.gapHours * (0.5 + random()));
    const scale = (last - first) / Math.max(1, gaps.reduce((sum, gap) => sum + gap, 0));
    let offset = first;
    for (const [i, step] of steps.entries()) {
      offset += gaps[i]! * scale;
      const when = toDate(Math.round(offset));
      planned.push({ at: when.getTime(), run: () => step.run(when) });
    }
  }
  planned.sort((a, b) => a.at - b.at);
  for (const step of planned) await step.run();

  const pendingAt = new Date(Math.min(Date.now(), end.getTime() + HOUR));
  for (const demo of MODELS) {
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
  return { models: MODELS.length };
}
