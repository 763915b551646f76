import 'server-only';
import { db } from '@/lib/db';
import { createBackend, isBackendType } from './backends';

export interface LaneDeployment {
  backend: string;
  /** Where this model answers in that environment (Open Inference Protocol v2 base URL). */
  endpoint: string;
  /** The backend's settings carry a streaming binding (NATS JetStream) for its models. */
  streaming: boolean;
}

/**
 * Per environment name, where a model is served; environments missing from the map have no
 * backend (registry alias mode). Endpoints come from the stored settings alone: no secret is
 * opened and no backend is called to render a page.
 */
export async function listModelEndpoints(model: string): Promise<Record<string, LaneDeployment>> {
  const rows = await db().environmentBackend.findMany({ include: { environment: { select: { name: true } } } });
  const out: Record<string, LaneDeployment> = {};
  for (const row of rows) {
    if (!isBackendType(row.type)) continue;
    out[row.environment.name] = {
      backend: row.type,
      endpoint: createBackend(row.type, row.config, null).endpoint({ environment: row.environment.name, model }),
      streaming: Boolean((row.config as { streaming?: unknown } | null)?.streaming),
    };
  }
  return out;
}
