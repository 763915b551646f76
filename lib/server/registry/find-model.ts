import 'server-only';
import type { Tx } from '@/lib/db';
import { db } from '@/lib/db';
import { notFound } from '@/lib/errors';

export async function findModelOrThrow(name: string, client: Tx | ReturnType<typeof db> = db()) {
  const model = await client.model.findUnique({ where: { name } });
  if (!model) throw notFound(`Model "${name}" not found.`);
  return model;
}

export async function findVersionOrThrow(name: string, version: number, client: Tx | ReturnType<typeof db> = db()) {
  const found = await client.modelVersion.findFirst({ where: { version, model: { name } }, include: { model: true } });
  if (!found) {
    await findModelOrThrow(name, client);
    throw notFound(`Model "${name}" has no version ${version}.`);
  }
  return found;
}

export async function findEnvironmentOrThrow(name: string, client: Tx | ReturnType<typeof db> = db()) {
  const environment = await client.environment.findUnique({ where: { name } });
  if (!environment) throw notFound(`Environment "${name}" not found.`);
  return environment;
}
