import { z } from 'zod';
import { ROLES } from '@/lib/auth/permissions';

export const ZRole = z.enum(ROLES);
export const ZEmail = z
  .email('Enter a valid e-mail address.')
  .max(254)
  .transform((value) => value.toLowerCase());
export const ZUuid = z.uuid('Must be a UUID.');

/** Keyset paging: `limit` rows after `cursor` (an opaque value returned as nextCursor). */
export const ZPage = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(64).optional(),
});

export const ZProblem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    requestId: z.string(),
    errors: z.record(z.string(), z.array(z.string())).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json).' });
