import { z } from 'zod';
import { storable, ZText, ZUuid } from './common';
import { CLASSIFICATION_METRICS, COMPARATORS, DRIFT_STATISTICS, REGRESSION_METRICS, SEVERITIES } from './form-options';

export { CLASSIFICATION_METRICS, COMPARATORS, DRIFT_STATISTICS, metricsForTask, REGRESSION_METRICS, SEVERITIES, STATISTICS_BY_TYPE } from './form-options';

export const CHANNEL_KINDS = ['webhook', 'slack', 'email'] as const;
export const ALERT_STATUSES = ['firing', 'acknowledged', 'resolved'] as const;
export const RULE_ACTIONS = ['request_retraining'] as const;

const ZName = ZText.trim().min(1, 'Enter a name.').max(120);

const ZHttpUrl = storable(z.url({ protocol: /^https?$/, error: 'Enter an http:// or https:// URL.' }).max(2000));

const ZEmailList = z.array(z.email().max(254)).min(1).max(50);

/**
 * One flat shape for every kind (the OpenAPI document and the admin form stay simple); what
 * `target` must be depends on `kind` and is checked here, naming `target`.
 */
export const ZCreateChannel = z
  .strictObject({
    kind: z.enum(CHANNEL_KINDS, { error: `kind must be one of: ${CHANNEL_KINDS.join(', ')}.` }),
    name: ZName,
    target: ZText.trim()
      .min(1, 'Enter where messages go.')
      .max(2000)
      .describe('webhook: the URL to POST to. slack: the incoming-webhook URL (stored encrypted, never returned). email: recipients, comma-separated.'),
  })
  .superRefine((value, context) => {
    if (value.kind === 'email') {
      if (!ZEmailList.safeParse(splitRecipients(value.target)).success) {
        context.addIssue({ code: 'custom', path: ['target'], message: 'Enter one to 50 e-mail addresses, comma-separated.' });
      }
    } else if (!ZHttpUrl.safeParse(value.target).success) {
      context.addIssue({ code: 'custom', path: ['target'], message: 'Enter an http:// or https:// URL.' });
    }
  });

export function splitRecipients(target: string): string[] {
  return target
    .split(/[,;\s]+/)
    .map((address) => address.trim())
    .filter(Boolean);
}
export type CreateChannelInput = z.infer<typeof ZCreateChannel>;

export const ZChannelIdParams = z.object({ id: ZUuid });

export const ZChannel = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(CHANNEL_KINDS),
    target: z.string().describe('Where messages go, without secrets: the webhook URL, "Slack incoming webhook", or the recipients.'),
    createdAt: z.string(),
  })
  .meta({ id: 'AlertChannel' });

export const ZCreatedChannel = z
  .object({
    channel: ZChannel,
    secret: z.string().nullable().describe('Webhook channels: the HMAC-SHA256 key of x-modeldeck-signature. Shown once.'),
  })
  .meta({ id: 'CreatedAlertChannel' });

export const NOTIFICATION_STATUSES = ['pending', 'delivered', 'failed'] as const;

export const ZNotification = z
  .object({
    id: z.string(),
    channelId: z.string(),
    channelName: z.string(),
    alertId: z.string().nullable(),
    event: z.string(),
    status: z.enum(NOTIFICATION_STATUSES),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    lastAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
  })
  .meta({ id: 'AlertNotification' });

export const ZSignal = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('feature_drift'), feature: ZText.min(1).max(200), statistic: z.enum(DRIFT_STATISTICS).optional() }),
    z.strictObject({ type: z.literal('dataset_drift') }),
    z.strictObject({ type: z.literal('prediction_drift') }),
    z.strictObject({ type: z.literal('performance'), metric: z.enum([...CLASSIFICATION_METRICS, ...REGRESSION_METRICS]) }),
    z.strictObject({ type: z.literal('latency'), percentile: z.union([z.literal(50), z.literal(95), z.literal(99)]) }),
    z.strictObject({ type: z.literal('error_rate') }),
    z.strictObject({
      type: z.literal('traffic_drop'),
      percent: z.number().gt(0, 'percent must be above 0.').max(100, 'percent is at most 100.').describe('Fires when throughput fell by at least this much.'),
      against: z.enum(['day', 'week']).optional().describe('Compare with the same hours a day (default) or a week before.'),
    }),
  ],
  { error: 'signal.type must be one of: feature_drift, dataset_drift, prediction_drift, performance, latency, error_rate, traffic_drop.' },
);
export type Signal = z.infer<typeof ZSignal>;

const ZRuleFields = {
  name: ZName,
  model: ZText.min(1).max(64).describe('Model name.'),
  environment: ZText.min(1).max(64).describe('Environment name.'),
  version: z.number().int().min(1).max(2_147_483_647).optional().describe('Only this version; absent: whatever is live.'),
  signal: ZSignal,
  comparator: z.enum(COMPARATORS),
  threshold: z.number().refine(Number.isFinite, 'Must be a finite number.'),
  windowMinutes: z.number().int('Whole minutes.').min(1, 'The window must be at least one minute.').max(43_200, 'At most 30 days.'),
  minSamples: z.number().int().min(1).max(1_000_000_000).default(1),
  severity: z.enum(SEVERITIES),
  channels: z.array(ZUuid).max(20).default([]),
  actions: z.array(z.enum(RULE_ACTIONS)).max(1).default([]),
};

export const ZCreateRule = z.strictObject(ZRuleFields);
export type CreateRuleInput = z.infer<typeof ZCreateRule>;

export const ZUpdateRule = z.strictObject({
  name: ZName.optional(),
  signal: ZSignal.optional(),
  comparator: z.enum(COMPARATORS).optional(),
  threshold: ZRuleFields.threshold.optional(),
  windowMinutes: ZRuleFields.windowMinutes.optional(),
  minSamples: z.number().int().min(1).max(1_000_000_000).optional(),
  severity: z.enum(SEVERITIES).optional(),
  channels: z.array(ZUuid).max(20).optional(),
  actions: z.array(z.enum(RULE_ACTIONS)).max(1).optional(),
  enabled: z.boolean().optional(),
  snoozeMinutes: z.number().int().min(0).max(43_200).optional().describe('Silence the rule for this many minutes from now; 0 ends a snooze.'),
});
export type UpdateRuleInput = z.infer<typeof ZUpdateRule>;

export const ZRuleIdParams = z.object({ id: ZUuid });

/** A draft rule to preview: what decides firing, without name, channels or actions. */
export const ZPreviewRule = z.strictObject({
  model: ZRuleFields.model,
  environment: ZRuleFields.environment,
  version: ZRuleFields.version,
  signal: ZSignal,
  comparator: ZRuleFields.comparator,
  threshold: ZRuleFields.threshold,
  windowMinutes: ZRuleFields.windowMinutes,
  minSamples: ZRuleFields.minSamples,
});
export type PreviewRuleInput = z.infer<typeof ZPreviewRule>;

export const ZSeriesPoint = z
  .object({
    at: z.string().describe('End of the window measured.'),
    value: z.number().nullable().describe('null: no data in the window.'),
    samples: z.number().int(),
    breached: z.boolean().nullable().describe('null: fewer than minSamples samples, or a drift distance past the threshold that its chi-square test does not back (neither fires nor resolves).'),
  })
  .meta({ id: 'AlertSeriesPoint' });

export const ZFiringSpan = z
  .object({ from: z.string(), to: z.string().nullable().describe('null: still open at the end.') })
  .meta({ id: 'AlertFiringSpan' });

export const ZRulePreview = z
  .object({
    from: z.string(),
    to: z.string(),
    stepMinutes: z.number().int(),
    comparator: z.string().describe('What fires (traffic_drop: ">=" its percent).'),
    threshold: z.number(),
    firings: z.number().int().describe('How many alerts the rule would have opened.'),
    points: z.array(ZSeriesPoint),
    spans: z.array(ZFiringSpan),
  })
  .meta({ id: 'AlertRulePreview' });
export type RulePreview = z.infer<typeof ZRulePreview>;

export const ZAlertRule = z
  .object({
    id: z.string(),
    name: z.string(),
    model: z.string(),
    environment: z.string(),
    version: z.number().int().nullable(),
    signal: z.unknown(),
    comparator: z.enum(COMPARATORS),
    threshold: z.number(),
    windowMinutes: z.number().int(),
    minSamples: z.number().int(),
    severity: z.enum(SEVERITIES),
    channels: z.array(z.string()),
    actions: z.array(z.string()),
    enabled: z.boolean(),
    snoozedUntil: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'AlertRule' });

export const ZListAlertsQuery = z.object({
  status: z.enum([...ALERT_STATUSES, 'open']).optional().describe('`open` means firing or acknowledged.'),
  model: ZText.max(64).optional(),
  severity: z.enum(SEVERITIES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: ZText.max(100).optional().describe('The nextCursor of the previous page.'),
});
export type ListAlertsQuery = z.infer<typeof ZListAlertsQuery>;

export const ZAlertIdParams = z.object({ id: ZUuid });

export const ZAcknowledgeAlert = z.strictObject({ comment: ZText.trim().max(2000).optional() }).optional();
export const ZResolveAlert = z.strictObject({ comment: ZText.trim().max(2000).optional() }).optional();

export const ZAlertEvent = z
  .object({ kind: z.string(), at: z.string(), actor: z.string().nullable(), comment: z.string().nullable(), detail: z.unknown() })
  .meta({ id: 'AlertEvent' });

export const ZAlert = z
  .object({
    id: z.string(),
    ruleId: z.string(),
    ruleName: z.string(),
    status: z.enum(ALERT_STATUSES),
    severity: z.enum(SEVERITIES),
    model: z.string(),
    environment: z.string(),
    signal: z.unknown(),
    value: z.number(),
    threshold: z.number(),
    comparator: z.string(),
    samples: z.number().int(),
    firedAt: z.string(),
    acknowledgedAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    resolvedReason: z.string().nullable(),
  })
  .meta({ id: 'Alert' });

export const ZAlertDetail = ZAlert.extend({ events: z.array(ZAlertEvent), notifications: z.array(ZNotification) }).meta({ id: 'AlertDetail' });

export const ZAlertPage = z.object({ items: z.array(ZAlert), nextCursor: z.string().nullable() }).meta({ id: 'AlertPage' });

/** What the rule editor offers (loaded on the server, typed for the client). */
export interface RuleEditorOptions {
  models: { name: string; task: string; versions: { version: number; features: { name: string; type: 'numeric' | 'categorical' }[] }[] }[];
  environments: string[];
  channels: { id: string; name: string; kind: string }[];
}
