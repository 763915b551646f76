import { z } from 'zod';
import { ZEnvironmentName } from './registry';

const money = (what: string) => z.coerce.number().finite().min(0, `${what} cannot be negative.`).max(1_000_000, `${what} is implausibly large.`);

export const ZUnitPricesInput = z.object({
  currency: z.string().trim().regex(/^[A-Z]{3}$/, 'Use a three-letter ISO 4217 code such as USD or EUR.').default('USD'),
  cpuHour: money('The CPU-hour price').describe('Price of one CPU core for one hour.'),
  gbMonth: money('The GB-month price').describe('Price of storing one GB for a month.'),
  perMillionRequests: money('The price per million requests').describe('Price of one million requests through a gateway or load balancer.'),
});
export type UnitPricesInput = z.infer<typeof ZUnitPricesInput>;

export const ZUnitPrices = z.object({
  currency: z.string(),
  cpuHour: z.number(),
  gbMonth: z.number(),
  perMillionRequests: z.number(),
  updatedAt: z.iso.datetime().nullable(),
  configured: z.boolean().describe('False until an admin saves prices; costs are then left out.'),
});
export type UnitPrices = z.infer<typeof ZUnitPrices>;

export const PROBE_OPTIONS = ['local_realtime', 'edge'] as const;
export const ZProbeOption = z.enum(PROBE_OPTIONS);
export type ProbeOption = z.infer<typeof ZProbeOption>;

/** Bounds that keep a probe from turning into a load test of production. */
export const PROBE_LIMITS = { maxRate: 1_000, maxStepSeconds: 10, maxSteps: 30, maxSeconds: 120 } as const;

export const ZStartLoadProbe = z
  .object({
    option: ZProbeOption.describe('`local_realtime`: the version on an environment\'s reference model server; `edge`: onnxruntime-node in the dashboard\'s process, as on a device.'),
    environment: ZEnvironmentName.optional().describe('Required for local_realtime: an environment whose model server has the version loaded.'),
    targetP95Ms: z.number().positive().max(60_000).default(50),
    startRate: z.number().int().min(1).max(PROBE_LIMITS.maxRate).default(10),
    rateStep: z.number().int().min(1).max(PROBE_LIMITS.maxRate).default(20),
    maxRate: z.number().int().min(1).max(PROBE_LIMITS.maxRate).default(200),
    stepSeconds: z.number().int().min(1).max(PROBE_LIMITS.maxStepSeconds).default(2),
  })
  .superRefine((probe, ctx) => {
    if (probe.option === 'local_realtime' && !probe.environment) {
      ctx.addIssue({ code: 'custom', path: ['environment'], message: 'Name the environment whose model server to probe.' });
    }
    if (probe.maxRate < probe.startRate) ctx.addIssue({ code: 'custom', path: ['maxRate'], message: 'The maximum rate must be at least the start rate.' });
    const steps = Math.floor((probe.maxRate - probe.startRate) / probe.rateStep) + 1;
    if (steps > PROBE_LIMITS.maxSteps) {
      ctx.addIssue({ code: 'custom', path: ['rateStep'], message: `That is ${steps} steps; at most ${PROBE_LIMITS.maxSteps} are allowed: raise the step or lower the maximum rate.` });
    } else if (steps * probe.stepSeconds > PROBE_LIMITS.maxSeconds) {
      ctx.addIssue({ code: 'custom', path: ['stepSeconds'], message: `That probe could run ${steps * probe.stepSeconds} s; at most ${PROBE_LIMITS.maxSeconds} s are allowed.` });
    }
  });
export type StartLoadProbe = z.infer<typeof ZStartLoadProbe>;

export const ZProbeStep = z.object({
  rate: z.number().describe('Requests per second sent.'),
  sent: z.number().int(),
  ok: z.number().int(),
  errors: z.number().int(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  throughput: z.number().describe('Successful answers per second.'),
});
export type ProbeStep = z.infer<typeof ZProbeStep>;

export const ZLoadProbe = z.object({
  id: z.uuid(),
  model: z.string(),
  version: z.number().int(),
  option: ZProbeOption,
  environment: z.string().nullable(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  targetP95Ms: z.number(),
  startRate: z.number().int(),
  rateStep: z.number().int(),
  maxRate: z.number().int(),
  stepSeconds: z.number().int(),
  plannedSteps: z.number().int(),
  steps: z.array(ZProbeStep),
  stopReason: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
});
export type LoadProbeView = z.infer<typeof ZLoadProbe>;

export const ZDecisionQuery = z.object({
  requestsPerMonth: z.coerce.number().finite().min(0).max(1e12).default(1_000_000).describe('Expected requests (or rows) a month.'),
  peakRps: z.coerce.number().finite().min(0).max(1e6).default(10).describe('Expected peak requests per second.'),
  latencyTargetMs: z.coerce.number().finite().positive().max(86_400_000).default(100).describe('The p95 latency callers can accept.'),
  offline: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe('Must predictions work without a network connection?'),
});
export type DecisionQuery = z.infer<typeof ZDecisionQuery>;

export const ZExportQuery = ZDecisionQuery.extend({ format: z.enum(['markdown', 'csv']).default('markdown') });

const ZFigure = z.object({
  value: z.number().nullable(),
  basis: z.enum(['measured', 'estimated', 'not_measured']),
  note: z.string(),
});

export const ZDecisionOption = z.object({
  id: z.enum(['local_realtime', 'kserve_realtime', 'batch', 'streaming', 'edge']),
  backend: z.string(),
  mode: z.string(),
  p50Ms: ZFigure,
  p95Ms: ZFigure,
  throughputRps: ZFigure.describe('Sustained answers per second of one replica while p95 stays within the target.'),
  replicas: z.number().int().nullable(),
  monthlyCost: z
    .object({ total: z.number(), compute: z.number(), storage: z.number(), requests: z.number(), currency: z.string(), basis: z.string() })
    .nullable(),
  meetsLatency: z.boolean().nullable(),
  residency: z.string(),
  scaling: z.string(),
});
export type DecisionOption = z.infer<typeof ZDecisionOption>;

export const ZDecisionMatrix = z.object({
  model: z.string(),
  version: z.number().int(),
  modelBytes: z.number().int().nullable(),
  traffic: z.object({ requestsPerMonth: z.number(), peakRps: z.number(), latencyTargetMs: z.number(), offline: z.boolean() }),
  prices: ZUnitPrices,
  options: z.array(ZDecisionOption),
  recommendation: z.object({ option: ZDecisionOption.shape.id.nullable(), reasons: z.array(z.string()) }),
  probes: z.array(ZLoadProbe).describe('The latest probe of each option the figures come from.'),
});
export type DecisionMatrix = z.infer<typeof ZDecisionMatrix>;
