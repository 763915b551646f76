import { defineEndpoint } from '../contract';
import { ZAuditPage, ZAuditQuery, ZAuditVerification } from '@/lib/validation/audit';

export const listAudit = defineEndpoint({
  method: 'GET',
  path: '/api/v1/audit',
  tag: 'Audit',
  summary: 'Audit entries, newest first',
  description: 'Filter by actor, action (or prefix ending in "."), target and time range; page with `cursor`.',
  auth: 'user',
  permission: 'audit:read',
  query: ZAuditQuery,
  response: ZAuditPage,
  errors: [400, 422],
});

export const exportAudit = defineEndpoint({
  method: 'GET',
  path: '/api/v1/audit/export',
  tag: 'Audit',
  summary: 'Matching audit entries as CSV, oldest first (streamed)',
  auth: 'user',
  permission: 'audit:read',
  query: ZAuditQuery.omit({ limit: true, cursor: true }),
  produces: 'text/csv',
  errors: [422],
});

export const verifyAudit = defineEndpoint({
  method: 'GET',
  path: '/api/v1/audit/verify',
  tag: 'Audit',
  summary: 'Verify the hash chain',
  description: 'Recomputes every entry\'s hash; reports the first broken entry, if any.',
  auth: 'user',
  permission: 'audit:read',
  response: ZAuditVerification,
});
