import 'server-only';
import { AppError, conflict } from '@/lib/errors';
import { findEnvironmentOrThrow, findModelOrThrow } from '@/lib/server/registry/find-model';
import { ZTryInferenceResult, type TryInferenceBody, type TryInferenceResult } from '@/lib/validation/inference';
import { listModelEndpoints } from './list-model-endpoints';

const TIMEOUT_MS = 10_000;

/** Where a model answers OIP v2 inference in an environment, optionally pinned to one version. */
export async function inferenceUrl(model: string, environment: string, version?: number) {
  await Promise.all([findModelOrThrow(model), findEnvironmentOrThrow(environment)]);
  const lane = (await listModelEndpoints(model))[environment];
  if (!lane) throw conflict(`Environment "${environment}" has no deployment backend, so ${model} has no live endpoint there.`, 'no_backend');
  const pinned = version === undefined ? '' : `/versions/${version}`;
  return { backend: lane.backend, url: `${lane.endpoint}/v2/models/${encodeURIComponent(model)}${pinned}/infer` };
}

/**
 * One request to a model's live endpoint on the user's behalf (the Try-it page). The URL
 * comes from the admin's backend settings, never from the request, so this cannot be
 * pointed elsewhere. Nothing in ModelDeck changes, so nothing is audited; the model server
 * reports the prediction to monitoring like any other.
 */
export async function tryInference(input: { model: string; environment: string; body: TryInferenceBody }): Promise<TryInferenceResult> {
  const { backend, url } = await inferenceUrl(input.model, input.environment, input.body.version);
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: `try-${crypto.randomUUID()}`, inputs: input.body.inputs }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : error instanceof Error ? error.message : String(error);
    throw new AppError(502, 'endpoint_unreachable', `${input.model}'s endpoint in ${input.environment} could not be reached: ${reason}.`);
  }
  const text = await response.text();
  const latencyMs = performance.now() - started;
  const body = parseJson(text);
  if (!response.ok) {
    const message = body && typeof body === 'object' && 'error' in body ? String(body.error) : text.slice(0, 300);
    if (response.status >= 500) throw new AppError(502, 'endpoint_failed', `${input.model}'s endpoint in ${input.environment} failed (${response.status}): ${message}`);
    throw new AppError(422, 'inference_rejected', `${input.model}'s endpoint in ${input.environment} refused the request (${response.status}): ${message}`);
  }
  const parsed = ZTryInferenceResult.shape.response.safeParse(body);
  if (!parsed.success) throw new AppError(502, 'endpoint_failed', `${input.model}'s endpoint in ${input.environment} answered something that is not an OIP v2 response.`);
  return { environment: input.environment, backend, latencyMs, response: parsed.data };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
