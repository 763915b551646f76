import { z } from 'zod';
import { ZText, ZUuid, ZVersionText } from './common';
import {
  RELEASE_STATUSES,
  ZApprove,
  ZEnvironmentName,
  ZListReleasesQuery,
  ZMetricGate,
  ZModelName,
  ZReject,
  ZRequestPromotion,
  ZStrategy,
  ZUpdateEnvironment,
  type MetricGate,
  type RequestPromotionInput,
  type UpdateEnvironmentInput,
} from './registry';

/**
 * Form-shaped variants of the registry and release schemas: the HTML forms post text
 * (numbers, comma lists, checkboxes), which these turn into the REST inputs.
 */

/** "10,50,100" (commas and/or spaces) → [10, 50, 100]. */
const ZStepsText = ZText
  .trim()
  .regex(/^\d+(?:\s*[,\s]\s*\d+)*$/, 'Write whole percentages separated by commas, e.g. 10,50,100.')
  .transform((text) => text.split(/[\s,]+/).map(Number));

/** An optional whole number typed in a form field ("" = not given). */
const ZWholeText = ZText.trim()
  .regex(/^\d*$/, 'Write a whole number.')
  .transform((text) => (text === '' ? undefined : Number(text)));

export const ZRequestPromotionForm = z
  .object({
    name: ZModelName,
    version: ZVersionText,
    environment: ZEnvironmentName,
    strategy: ZStrategy.shape.type.default('replace'),
    // Only read for canary releases: the field may still hold text after switching strategy.
    steps: ZStepsText.optional(),
    // Only read for canary (interval) and shadow (mirrored share) releases; empty means the default.
    intervalSeconds: ZWholeText.optional(),
    percent: ZWholeText.optional(),
    note: ZRequestPromotion.shape.note,
  })
  .transform((form, ctx) => {
    const strategy = ZStrategy.safeParse(
      form.strategy === 'canary'
        ? { type: 'canary', ...(form.steps ? { steps: form.steps } : {}), ...(form.intervalSeconds !== undefined ? { intervalSeconds: form.intervalSeconds } : {}) }
        : form.strategy === 'shadow'
          ? { type: 'shadow', ...(form.percent !== undefined ? { percent: form.percent } : {}) }
          : { type: form.strategy },
    );
    if (!strategy.success) {
      for (const issue of strategy.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      return z.NEVER;
    }
    const input: RequestPromotionInput = {
      environment: form.environment,
      strategy: strategy.data,
      ...(form.note ? { note: form.note } : {}),
    };
    return { model: form.name, version: form.version, input };
  });

export const ZRollbackForm = z.object({
  name: ZModelName,
  environment: ZEnvironmentName,
  expectedReleaseId: ZUuid,
});

export const ZArchiveVersionForm = z.object({ name: ZModelName, version: ZVersionText });

/** One form, two buttons: the clicked button posts `decision`. Rejecting needs a comment. */
export const ZReviewForm = z.discriminatedUnion('decision', [
  z.object({ id: ZUuid, decision: z.literal('approve'), comment: ZApprove.shape.comment }),
  z.object({
    id: ZUuid,
    decision: z.literal('reject'),
    comment: z.string({ error: 'Say why you reject it.' }).pipe(ZReject.shape.comment),
  }),
]);

export const ZCancelReleaseForm = z.object({ id: ZUuid });
export const ZControlReleaseForm = z.object({ id: ZUuid, control: z.enum(['pause', 'resume', 'abort', 'promote-now'], 'Choose pause, resume, abort or promote-now.') });

/** The reviewers' queue: a status tab (pending approval unless chosen) and optional filters. */
export const RELEASE_QUEUE_TABS = [...RELEASE_STATUSES, 'all'] as const;
export const ZReleaseQueueQuery = z.object({
  status: z.enum(RELEASE_QUEUE_TABS).default('pending_approval'),
  model: ZListReleasesQuery.shape.model,
  environment: ZListReleasesQuery.shape.environment,
  cursor: ZListReleasesQuery.shape.cursor,
});

export const ZCompareQuery = z.object({ compare: ZVersionText.optional() });

/** A checkbox posts its value when ticked and nothing otherwise. */
const ZCheckbox = z
  .literal('true')
  .optional()
  .transform((value) => value === 'true');

const wholeNumber = <S extends z.ZodType<number, number>>(schema: S) =>
  ZText.trim().regex(/^\d+$/, 'Whole numbers only.').transform(Number).pipe(schema);

/**
 * The environment rules form. Metric gates arrive as parallel arrays (one entry per row,
 * every row must be a valid gate); `gateEnabled[]` carries the indexes of ticked rows.
 */
export const ZUpdateEnvironmentForm = z
  .object({
    name: ZEnvironmentName,
    description: ZUpdateEnvironment.shape.description.unwrap().default(''),
    requiredApprovals: wholeNumber(ZUpdateEnvironment.shape.requiredApprovals.unwrap()),
    requirePreviousEnvironment: ZCheckbox,
    soakGateEnabled: ZCheckbox,
    minSoakMinutes: wholeNumber(ZUpdateEnvironment.shape.minSoakMinutes.unwrap()),
    blockOnOpenDriftAlert: ZCheckbox,
    authorCannotApprove: ZCheckbox,
    gateMetric: z.array(ZText.max(100)).max(200).default([]),
    gateComparator: z.array(ZText.max(10)).max(200).default([]),
    gateTolerance: z.array(ZText.max(50)).max(200).default([]),
    gateEnabled: z.array(ZText.max(10)).max(200).default([]),
  })
  .transform((form, ctx) => {
    const metricGates: MetricGate[] = [];
    const seen = new Set<string>();
    form.gateMetric.forEach((rawMetric, index) => {
      const metric = rawMetric.trim();
      const toleranceText = form.gateTolerance[index]?.trim() ?? '';
      // A row without a metric is refused rather than dropped: dropping it saved "the rules"
      // while the gate the admin was typing silently vanished.
      if (!metric) {
        ctx.addIssue({ code: 'custom', message: 'Name the metric (e.g. accuracy), or remove this row.', path: ['metricGates', index, 'metric'] });
      }
      const gate = ZMetricGate.safeParse({
        metric,
        comparator: form.gateComparator[index],
        tolerance: toleranceText === '' ? Number.NaN : Number(toleranceText),
        enabled: form.gateEnabled.includes(String(index)),
      });
      if (!gate.success) {
        for (const issue of gate.error.issues) {
          const field = issue.path[0];
          if (field === 'metric' && !metric) continue;
          const message =
            field === 'tolerance' ? 'Tolerance is a number of at least 0, e.g. 0.01.' : field === 'comparator' ? 'Choose >= or <=.' : issue.message;
          ctx.addIssue({ code: 'custom', message, path: ['metricGates', index, ...issue.path] });
        }
        return;
      }
      if (seen.has(metric)) {
        ctx.addIssue({ code: 'custom', message: `There is already a gate on ${metric}.`, path: ['metricGates', index, 'metric'] });
        return;
      }
      seen.add(metric);
      metricGates.push(gate.data);
    });
    if (metricGates.length > 50) ctx.addIssue({ code: 'custom', message: 'At most 50 metric gates.', path: ['metricGates'] });
    const input: UpdateEnvironmentInput = {
      description: form.description,
      requiredApprovals: form.requiredApprovals,
      requirePreviousEnvironment: form.requirePreviousEnvironment,
      soakGateEnabled: form.soakGateEnabled,
      minSoakMinutes: form.minSoakMinutes,
      blockOnOpenDriftAlert: form.blockOnOpenDriftAlert,
      authorCannotApprove: form.authorCannotApprove,
      metricGates,
    };
    return { name: form.name, input };
  });
