import 'server-only';
import { kserve } from './kserve';
import { local } from './local';
import type { BackendDefinition, DeploymentBackend } from './types';
import { webhook } from './webhook';

/** Every deployment backend ModelDeck can drive, by the `type` stored on an environment. */
export const BACKENDS = { local, kserve, webhook } as const;

export type BackendType = keyof typeof BACKENDS;

export const BACKEND_TYPES = Object.keys(BACKENDS) as BackendType[];

export function isBackendType(value: string): value is BackendType {
  return Object.hasOwn(BACKENDS, value);
}

function definition(type: BackendType): BackendDefinition<Record<string, unknown>> {
  return BACKENDS[type] as unknown as BackendDefinition<Record<string, unknown>>;
}

/** Validates a backend's non-secret settings with its own schema (zod issues on failure). */
export function parseBackendConfig(type: BackendType, config: unknown) {
  return definition(type).configSchema.safeParse(config);
}

export function backendDefinition(type: BackendType) {
  const { label, description, secretLabel, secretRequired } = definition(type);
  return { type, label, description, secretLabel, secretRequired };
}

/** A client for a stored configuration (already validated when it was saved). */
export function createBackend(type: BackendType, config: unknown, secret: string | null): DeploymentBackend {
  const def = definition(type);
  return def.create(def.configSchema.parse(config), secret);
}
