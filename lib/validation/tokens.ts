import { z } from 'zod';
import { ZText, ZUuid } from './common';

const ZExpiresInDays = z.number().int('Whole days only.').min(1, 'At least 1 day.').max(3650, 'At most 3650 days (10 years).');

export const ZCreateToken = z.strictObject({
  name: ZText.trim().min(1, 'Name the token, e.g. "training pipeline".').max(100),
  expiresInDays: ZExpiresInDays.optional(),
});
export type CreateTokenInput = z.infer<typeof ZCreateToken>;

/** The same fields as posted by the HTML form (numbers arrive as text). */
export const ZCreateTokenForm = ZCreateToken.extend({
  expiresInDays: ZText
    .regex(/^\d+$/, 'Whole days only.')
    .transform(Number)
    .pipe(ZExpiresInDays)
    .optional(),
});

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
