import { db } from '@/lib/db';
import { sealSecret } from '@/lib/crypto/secret-box';
import { backendSecretContext } from '@/lib/server/deployments/environment-backend';

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
