import { z } from 'zod';
import { ZPage } from './common';

export const ZAuditQuery = ZPage.extend({
  actor: z.string().max(254).optional().describe('E-mail of the acting user (exact, case-insensitive).'),
  action: z.string().max(100).optional().describe('Action name, or a prefix ending in "." (e.g. "user.").'),
  targetType: z.string().max(100).optional(),
  targetId: z.string().max(200).optional(),
  from: z.iso.datetime({ offset: true, error: 'Use an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z.' }).optional(),
  to: z.iso.datetime({ offset: true, error: 'Use an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z.' }).optional(),
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
