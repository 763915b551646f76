import 'server-only';
import { db } from '@/lib/db';
import { notFound } from '@/lib/errors';
import { findEnvironmentOrThrow } from '@/lib/server/registry/find-model';
import type { BackendHealth } from './backends/types';
import { resolveEnvironmentBackend, serializeEnvironmentBackend } from './environment-backend';

/** An environment's backend settings (secret left out); 404 when it has none. */
export async function getEnvironmentBackend(name: string) {
  const environment = await findEnvironmentOrThrow(name);
  const row = await db().environmentBackend.findUnique({ where: { environmentId: environment.id } });
  if (!row) throw notFound(`Environment "${name}" has no deployment backend: going live moves the registry alias only.`);
  return serializeEnvironmentBackend(row, environment.name);
}

/** Asks the backend whether it is up and accepts its credentials. */
export async function checkEnvironmentBackend(name: string): Promise<BackendHealth> {
  const environment = await findEnvironmentOrThrow(name);
  const resolved = await resolveEnvironmentBackend(environment.id);
  if (!resolved) throw notFound(`Environment "${name}" has no deployment backend.`);
  return resolved.backend.health();
}
