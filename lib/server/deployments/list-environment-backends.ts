import 'server-only';
import { db } from '@/lib/db';
import type { EnvironmentBackendView } from '@/lib/validation/deployments';
import { serializeEnvironmentBackend } from './environment-backend';

/** Every configured backend by environment name (secrets left out), for the admin page. */
export async function listEnvironmentBackends(): Promise<Map<string, EnvironmentBackendView>> {
  const rows = await db().environmentBackend.findMany({ include: { environment: { select: { name: true } } } });
  return new Map(rows.map((row) => [row.environment.name, serializeEnvironmentBackend(row, row.environment.name)]));
}
