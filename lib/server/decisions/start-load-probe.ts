import 'server-only';
import { db } from '@/lib/db';
import { AppError, conflict, unprocessable } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { inferenceUrl } from '@/lib/server/deployments/try-inference';
import { enqueue, QUEUES } from '@/lib/server/jobs/queue';
import { findVersionOrThrow } from '@/lib/server/registry/find-model';
import type { StartLoadProbe } from '@/lib/validation/decisions';
import { serializeProbe } from './serialize-probe';

/**
 * Queues a load probe of one option of a version (engineers). The bounds are in the
 * schema (rate, step length, total duration); here: the option must be runnable (a stored
 * ONNX artifact; for local real-time an environment whose backend serves the model), and
 * one probe per version and option runs at a time — decided under the version's row lock,
 * so two requests at once cannot both start one. The row, its job and the audit entry
 * commit together.
 */
export async function startLoadProbe(ctx: RequestContext, input: { model: string; version: number; probe: StartLoadProbe }) {
  const version = await findVersionOrThrow(input.model, input.version);
  const label = `${version.model.name} v${version.version}`;
  if (!version.artifactKey || (version.format && version.format !== 'onnx')) {
    throw conflict(`${label} has no ONNX artifact stored in ModelDeck, so there is nothing to probe.`, 'no_stored_artifact');
  }
  if (!Array.isArray(version.features) || version.features.length === 0) {
    throw unprocessable(`${label} has no feature schema, so a probe cannot build its requests.`, undefined, 'no_feature_schema');
  }
  const environment = input.probe.option === 'local_realtime' ? (input.probe.environment ?? null) : null;
  if (environment) await checkServed(label, environment, (await inferenceUrl(input.model, environment, input.version)).url);

  return db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM model_versions WHERE id = ${version.id}::uuid FOR UPDATE`;
    const running = await tx.loadProbe.findFirst({ where: { versionId: version.id, option: input.probe.option, status: { in: ['queued', 'running'] } }, select: { id: true } });
    if (running) throw conflict(`A ${input.probe.option} probe of ${label} is already running (${running.id}); wait for it to finish.`, 'probe_running');
    const row = await tx.loadProbe.create({
      data: {
        versionId: version.id,
        option: input.probe.option,
        environment,
        targetP95Ms: input.probe.targetP95Ms,
        startRate: input.probe.startRate,
        rateStep: input.probe.rateStep,
        maxRate: input.probe.maxRate,
        stepSeconds: input.probe.stepSeconds,
        createdById: ctx.actor.id,
      },
    });
    await enqueue(tx, QUEUES.loadProbe, { probeId: row.id });
    const view = serializeProbe(row, version.model.name, version.version);
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'load_probe.start',
      targetType: 'model_version',
      targetId: `${version.model.name}@${version.version}`,
      after: { id: row.id, option: view.option, environment, targetP95Ms: view.targetP95Ms, startRate: view.startRate, rateStep: view.rateStep, maxRate: view.maxRate, stepSeconds: view.stepSeconds },
      requestId: ctx.requestId,
    });
    return view;
  });
}

/** OIP v2 readiness of the pinned version, so a probe of a version that is not loaded there is refused now rather than failing in its job. */
async function checkServed(label: string, environment: string, inferUrl: string) {
  const readyUrl = `${inferUrl.slice(0, -'/infer'.length)}/ready`;
  let response: Response;
  try {
    response = await fetch(readyUrl, { signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    throw new AppError(502, 'endpoint_unreachable', `The model server of ${environment} could not be reached to probe ${label}: ${cause}.`);
  }
  if (!response.ok) throw conflict(`${label} is not ready on ${environment}'s endpoint (${response.status}): deploy it there before probing it.`, 'version_not_served');
}
