import { z } from 'zod';
import { ZUuid } from './common';

export const ZCreateToken = z.strictObject({
  name: z.string().trim().min(1, 'Name the token, e.g. "training pipeline".').max(100),
  expiresInDays: z.coerce.number().int().min(1).max(3650).optional(),
});
export type CreateTokenInput = z.infer<typeof ZCreateToken>;

export const ZTokenIdParams = z.object({ id: ZUuid });

export const ZApiToken = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });

export const ZCreatedToken = z
  .object({ token: z.string().describe('The secret. Shown once; store it now.'), apiToken: ZApiToken })
  .meta({ id: 'CreatedApiToken' });
