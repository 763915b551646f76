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
