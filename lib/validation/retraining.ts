import { z } from 'zod';
import { storable, ZText, ZUuid } from './common';

export const RETRAINING_STATUSES = ['requested', 'acknowledged', 'completed', 'failed'] as const;

export const ZRetrainingWebhook = z.strictObject({
  url: storable(z.url({ protocol: /^https?$/, error: 'Enter an http:// or https:// URL.' }).max(2000)).describe("The training pipeline's webhook."),
  secret: ZText.min(16, 'At least 16 characters.').max(500).describe('Shared with the pipeline: signs requests to it and its callbacks. Stored sealed, never returned.'),
});
export type RetrainingWebhookInput = z.infer<typeof ZRetrainingWebhook>;

export const ZRetrainingWebhookState = z
  .object({ environment: z.string(), url: z.string().nullable(), configured: z.boolean() })
  .meta({ id: 'RetrainingWebhook' });

export const ZRequestRetraining = z.strictObject({ comment: ZText.trim().max(2000).optional() }).optional();

export const ZRetrainingCallback = z.strictObject({
  status: z.literal('acknowledged', { error: 'status must be "acknowledged".' }),
  runId: ZText.trim().min(1).max(200).optional().describe("The pipeline's own id for the training run."),
  message: ZText.trim().max(2000).optional(),
});

export const ZRetrainingIdParams = z.object({ id: ZUuid });
export const ZListRetrainingQuery = z.object({ model: ZText.max(64).optional(), alert: ZUuid.optional() });

export const ZRetrainingRequest = z
  .object({
    id: z.string(),
    model: z.string(),
    environment: z.string(),
    liveVersion: z.number().int().nullable(),
    alertId: z.string().nullable(),
    status: z.enum(RETRAINING_STATUSES),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    acknowledgedAt: z.string().nullable(),
    pipelineRunId: z.string().nullable(),
    completedAt: z.string().nullable(),
    completedVersion: z.number().int().nullable().describe('The version registered with the live version as its parent.'),
    createdAt: z.string(),
  })
  .meta({ id: 'RetrainingRequest' });
export type RetrainingRequestView = z.infer<typeof ZRetrainingRequest>;
