import { db } from '@/lib/db';
import { sealSecret } from '@/lib/crypto/secret-box';
import { artifactSourceFor } from '@/lib/server/deployments/artifact-source';
import { backendSecretContext, resolveEnvironmentBackend } from '@/lib/server/deployments/environment-backend';
import { recordProgress } from '@/lib/server/deployments/rollout-progress';

const DEMO_ENVIRONMENTS = ['development', 'staging', 'production'];

/**
 * Embedded mode: the demo environments deploy to the model server started beside the
 * dashboard. Environments an admin already configured are left as they are.
 */
export async function seedDeploymentBackends(server: { url: string; token: string }): Promise<number> {
  let configured = 0;
  for (const name of DEMO_ENVIRONMENTS) {
    const environment = await db().environment.findUnique({ where: { name } });
    if (!environment) continue;
    const existing = await db().environmentBackend.findUnique({ where: { environmentId: environment.id } });
    if (existing) continue;
    await db().environmentBackend.create({
      data: {
        environmentId: environment.id,
        type: 'local',
        config: { url: server.url, timeoutSeconds: 60 },
        secretSealed: sealSecret(server.token, backendSecretContext(environment.id)),
        // The demo shows a canary in minutes, not hours.
        canaryIntervalSeconds: name === 'production' ? 30 : 15,
      },
    });
    configured++;
  }
  return configured;
}

/**
 * Serves what is live now in every demo environment that has a backend: each live version
 * is loaded (the model server fetches it from the artifact store and checks its sha256) and
 * given 100 % of its model's traffic.
 *
 * The seed replays its six weeks of history as registry aliases and connects the backends
 * only afterwards, instead of deploying each historical release through the job queue: in
 * the story that history happened before this model server existed, so loading only what
 * is live today is the honest state, and it is one load per live version rather than a
 * load, switch and unload per release in the history. Models load concurrently.
 */
export async function serveLiveReleases(): Promise<{ loaded: number; failures: string[] }> {
  const live = await db().release.findMany({
    where: { status: 'live', slot: 'primary', environment: { backend: { isNot: null } } },
    include: { model: true, version: true, environment: { select: { name: true } } },
  });
  const results = await Promise.allSettled(
    live.map(async (release) => {
      const resolved = await resolveEnvironmentBackend(release.environmentId);
      if (!resolved) return;
      const { backend, row } = resolved;
      const target = { environment: release.environment.name, model: release.model.name };
      const version = release.version.version;
      await backend.deploy(target, version, artifactSourceFor(release.model, release.version));
      await backend.setTraffic(target, { routes: [{ version, percent: 100 }], shadow: null });
      await recordProgress(release.id, { backend: row.type, endpoint: backend.endpoint(target), phase: 'done' }, `v${version} loaded on the ${row.type} backend when it was connected`);
    }),
  );
  // The dashboard is still worth starting when a version fails to load: say which and why.
  const failures = results.flatMap((result, i) =>
    result.status === 'rejected' ? [`${live[i]!.model.name} v${live[i]!.version.version} in ${live[i]!.environment.name}: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`] : [],
  );
  return { loaded: live.length - failures.length, failures };
}
