import { z } from 'zod';

/**
 * An environment's deployment backend. `config` is checked by the backend's own schema on
 * the server (lib/server/deployments/backends); `secret`: a new value replaces the stored
 * one, null removes it, leaving it out keeps it (the browser never sees the stored value).
 */
export const ZEnvironmentBackendInput = z.object({
  type: z.string().min(1, 'Choose a backend type.').max(40),
  config: z.record(z.string(), z.unknown()),
  secret: z.string().min(1, 'Enter the secret, or leave the field out to keep the stored one.').max(4096).nullable().optional(),
  canary: z
    .object({
      intervalSeconds: z.number().int().min(5, 'At least 5 seconds between canary steps.').max(86_400),
      maxErrorRateIncrease: z.number().min(0).max(100),
      maxLatencyRatio: z.number().min(1, 'A latency ratio below 1 would fail any canary as slow as the primary.').max(100),
      minRequests: z.number().int().min(1).max(1_000_000),
    })
    .partial()
    .optional(),
});
export type EnvironmentBackendInput = z.infer<typeof ZEnvironmentBackendInput>;

export const ZEnvironmentBackend = z.object({
  environment: z.string(),
  type: z.string(),
  label: z.string(),
  config: z.record(z.string(), z.unknown()),
  hasSecret: z.boolean(),
  canary: z.object({
    intervalSeconds: z.number(),
    maxErrorRateIncrease: z.number(),
    maxLatencyRatio: z.number(),
    minRequests: z.number(),
  }),
  updatedAt: z.string(),
});
export type EnvironmentBackendView = z.infer<typeof ZEnvironmentBackend>;

export const ZBackendHealth = z.object({ ok: z.boolean(), detail: z.string() });

const optionalNumber = (schema: z.ZodNumber) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? undefined : Number(value)))
    .pipe(schema.optional());

/** The KServe fields of the admin form; empty inputs are left out so the backend's defaults apply. */
function kserveConfig(form: { namespace?: string; ingressBaseUrl?: string; serviceAccountName?: string; cpu?: string; memory?: string; gpu?: number; timeoutSeconds?: number }) {
  const resources = { ...(form.cpu ? { cpu: form.cpu } : {}), ...(form.memory ? { memory: form.memory } : {}), ...(form.gpu !== undefined ? { gpu: form.gpu } : {}) };
  return {
    namespace: form.namespace ?? '',
    ...(form.ingressBaseUrl ? { ingressBaseUrl: form.ingressBaseUrl } : {}),
    ...(form.serviceAccountName ? { serviceAccountName: form.serviceAccountName } : {}),
    ...(Object.keys(resources).length ? { resources } : {}),
    ...(form.timeoutSeconds !== undefined ? { timeoutSeconds: form.timeoutSeconds } : {}),
  };
}

/** The webhook fields: deployment URL, where callbacks come back, how long to wait for them. */
function webhookConfig(form: { url?: string; callbackBaseUrl?: string; callbackTimeoutSeconds?: number }) {
  return {
    ...(form.url ? { url: form.url } : {}),
    ...(form.callbackBaseUrl ? { callbackBaseUrl: form.callbackBaseUrl } : {}),
    ...(form.callbackTimeoutSeconds !== undefined ? { callbackTimeoutSeconds: form.callbackTimeoutSeconds } : {}),
  };
}

/** The model server fields, with the streaming binding when its box is ticked (empty inputs take the defaults). */
function localConfig(form: { url?: string; publicUrl?: string; streaming?: 'true'; natsUrl?: string; stream?: string; subjectPrefix?: string }) {
  return {
    ...(form.url ? { url: form.url } : {}),
    ...(form.publicUrl ? { publicUrl: form.publicUrl } : {}),
    streaming: form.streaming
      ? { ...(form.natsUrl ? { natsUrl: form.natsUrl } : {}), ...(form.stream ? { stream: form.stream } : {}), ...(form.subjectPrefix ? { subjectPrefix: form.subjectPrefix } : {}) }
      : null,
  };
}

/**
 * The admin form: plain strings from FormData. `intent` is the clicked button: save,
 * remove (back to alias mode) or check (ask the backend whether it answers).
 */
export const ZEnvironmentBackendForm = z
  .object({
    environment: z.string().min(1),
    intent: z.enum(['save', 'remove', 'check']).default('save'),
    type: z.string().default('local'),
    url: z.string().trim().optional(),
    publicUrl: z.string().trim().optional(),
    namespace: z.string().trim().optional(),
    ingressBaseUrl: z.string().trim().optional(),
    serviceAccountName: z.string().trim().optional(),
    cpu: z.string().trim().optional(),
    memory: z.string().trim().optional(),
    gpu: optionalNumber(z.number({ error: 'A whole number of GPUs.' }).int('A whole number of GPUs.')),
    timeoutSeconds: optionalNumber(z.number({ error: 'A whole number of seconds.' }).int('A whole number of seconds.')),
    secret: z.string().optional(),
    clearSecret: z.literal('true').optional(),
    callbackBaseUrl: z.string().trim().optional(),
    callbackTimeoutSeconds: optionalNumber(z.number({ error: 'A whole number of seconds.' }).int('A whole number of seconds.')),
    streaming: z.literal('true').optional(),
    natsUrl: z.string().trim().optional(),
    stream: z.string().trim().optional(),
    subjectPrefix: z.string().trim().optional(),
    intervalSeconds: optionalNumber(z.number({ error: 'A whole number of seconds.' }).int('A whole number of seconds.')),
    maxErrorRateIncrease: optionalNumber(z.number({ error: 'A number of percentage points.' })),
    maxLatencyRatio: optionalNumber(z.number({ error: 'A number, e.g. 1.5.' })),
    minRequests: optionalNumber(z.number({ error: 'A whole number.' }).int('A whole number.')),
  })
  .transform((form) => ({
    environment: form.environment,
    intent: form.intent,
    input: {
      type: form.type,
      config: form.type === 'kserve' ? kserveConfig(form) : form.type === 'webhook' ? webhookConfig(form) : localConfig(form),
      ...(form.clearSecret ? { secret: null } : form.secret ? { secret: form.secret } : {}),
      canary: {
        ...(form.intervalSeconds !== undefined ? { intervalSeconds: form.intervalSeconds } : {}),
        ...(form.maxErrorRateIncrease !== undefined ? { maxErrorRateIncrease: form.maxErrorRateIncrease } : {}),
        ...(form.maxLatencyRatio !== undefined ? { maxLatencyRatio: form.maxLatencyRatio } : {}),
        ...(form.minRequests !== undefined ? { minRequests: form.minRequests } : {}),
      },
    } satisfies z.input<typeof ZEnvironmentBackendInput>,
  }));

/** A webhook backend's status callback (POST /api/v1/releases/{id}/callback), signed with the backend's secret. */
export const ZReleaseCallback = z.object({
  status: z.enum(['progressing', 'succeeded', 'failed'], { error: 'status must be "progressing", "succeeded" or "failed".' }),
  reason: z.string().trim().min(1).max(2000).optional(),
  traffic: z
    .array(z.object({ version: z.number().int().min(1), percent: z.number().int().min(0).max(100) }))
    .max(20)
    .optional(),
});
export type ReleaseCallback = z.infer<typeof ZReleaseCallback>;

export const ZReleaseCallbackAnswer = z.object({
  id: z.string(),
  status: z.string(),
  accepted: z.enum(['progressing', 'succeeded', 'failed']),
});
