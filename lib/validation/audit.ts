import { z } from 'zod';
import { ZPage, ZText, ZTimestamp } from './common';

export const ZAuditQuery = ZPage.extend({
  actor: ZText.max(254).optional().describe('E-mail of the acting user (exact, case-insensitive).'),
  action: ZText.max(100).optional().describe('Action name, or a prefix ending in "." (e.g. "user.").'),
  targetType: ZText.max(100).optional(),
  targetId: ZText.max(200).optional(),
  from: ZTimestamp.optional(),
  to: ZTimestamp.optional(),
});
export type AuditQuery = z.infer<typeof ZAuditQuery>;
export type AuditFilter = Omit<AuditQuery, 'limit' | 'cursor'>;

export const ZAuditEntry = z
  .object({
    seq: z.string(),
    at: z.string(),
    actorId: z.string().nullable(),
    actorEmail: z.string().nullable(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    requestId: z.string().nullable(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEntry' });

export const ZAuditPage = z.object({ items: z.array(ZAuditEntry), nextCursor: z.string().nullable() }).meta({ id: 'AuditPage' });

export const ZAuditVerification = z
  .union([
    z.object({ valid: z.literal(true), entries: z.number().int() }),
    z.object({
      valid: z.literal(false),
      entries: z.number().int().describe('Entries verified before the broken one.'),
      brokenAt: z.object({ seq: z.string(), reason: z.string() }),
    }),
  ])
  .meta({ id: 'AuditVerification' });
