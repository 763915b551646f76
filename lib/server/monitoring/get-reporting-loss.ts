import 'server-only';
import { db } from '@/lib/db';
import type { ReportingLoss } from '@/lib/server/deployments/backends/types';
import { resolveEnvironmentBackend } from '@/lib/server/deployments/environment-backend';
import { logger } from '@/lib/server/logger';

/** A page render waits at most this long for a model server. */
const TIMEOUT_SECONDS = 3;

/**
 * Per environment name: the records its backend's reporter dropped, for backends that report
 * predictions themselves (the reference model server's GET /manage/reporting). Null when the
 * environment has no backend, the backend does not report, or it does not answer in time —
 * the Monitoring tab then shows nothing rather than failing.
 */
export async function getReportingLoss(environmentNames: string[]): Promise<Map<string, ReportingLoss | null>> {
  const environments = await db().environment.findMany({ where: { name: { in: environmentNames } }, select: { id: true, name: true } });
  const entries = await Promise.all(
    environments.map(async (environment): Promise<[string, ReportingLoss | null]> => {
      try {
        const resolved = await resolveEnvironmentBackend(environment.id);
        const loss = resolved?.backend.reportingLoss ? await resolved.backend.reportingLoss({ timeoutSeconds: TIMEOUT_SECONDS }) : null;
        return [environment.name, loss];
      } catch (error) {
        logger().warn({ environment: environment.name, error: error instanceof Error ? error.message : String(error) }, 'reporting status unavailable');
        return [environment.name, null];
      }
    }),
  );
  return new Map(entries);
}
