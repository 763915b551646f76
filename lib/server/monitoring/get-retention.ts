import 'server-only';
import { dayOf } from './partitions';
import { findModelTargetOrThrow } from './load-target';

const DAY = 86_400_000;

export function describeRetention(model: { name: string; retentionDays: number }, now = Date.now()) {
  return { model: model.name, days: model.retentionDays, keepsFrom: new Date(dayOf(now - model.retentionDays * DAY)).toISOString() };
}

/** `GET /api/v1/models/{name}/retention`. */
export async function getRetention(modelName: string) {
  return describeRetention(await findModelTargetOrThrow(modelName));
}
