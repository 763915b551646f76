import 'server-only';
import { findEnvironmentOrThrow, findModelOrThrow } from '@/lib/server/registry/find-model';
import { NOT_STREAMING, type StreamingLag } from '@/lib/validation/streaming';
import { resolveEnvironmentBackend } from './environment-backend';

/**
 * Consumer lag and broker connection of a model's streaming binding in one environment, asked
 * of the environment's backend (the model server reads its durable consumer's info from
 * JetStream). A backend that cannot be reached is an answer too: `reachable: false` with the
 * reason, so the model page says so rather than failing.
 */
export async function getStreamingStatus(modelName: string, environmentName: string): Promise<StreamingLag> {
  const [model, environment] = await Promise.all([findModelOrThrow(modelName), findEnvironmentOrThrow(environmentName)]);
  const resolved = await resolveEnvironmentBackend(environment.id);
  if (!resolved?.backend.streamingStatus) return { ...NOT_STREAMING };
  try {
    return await resolved.backend.streamingStatus({ environment: environment.name, model: model.name });
  } catch (error) {
    return { ...NOT_STREAMING, configured: true, lastError: error instanceof Error ? error.message : String(error) };
  }
}
