import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { POST as cancelRoute } from '@/app/api/v1/batch-jobs/[id]/cancel/route';
import { GET as outputRoute } from '@/app/api/v1/batch-jobs/[id]/output/route';
import { GET as getJobRoute } from '@/app/api/v1/batch-jobs/[id]/route';
import { DELETE as deleteScheduleRoute } from '@/app/api/v1/batch-schedules/[id]/route';
import { GET as listJobsRoute, POST as createJobRoute } from '@/app/api/v1/models/[name]/versions/[version]/batch-jobs/route';
import { GET as listSchedulesRoute, POST as createScheduleRoute } from '@/app/api/v1/models/[name]/versions/[version]/batch-schedules/route';
import { GET as listRunsRoute, POST as createRunRoute } from '@/app/api/v1/models/[name]/versions/[version]/runs/route';
import { GET as getRunRoute } from '@/app/api/v1/runs/[id]/route';
import { writeLinearModel } from '@/lib/onnx/linear-model';
import { call, waitFor } from './helpers';
import { api } from './registry-api';

/** The churn-like demo model every batch test scores with: p = sigmoid(0.4·tenure − 0.2·spend + 0.9·tickets − 0.1). */
export const BATCH_MODEL = { featureNames: ['tenure', 'spend', 'tickets'], weights: [0.4, -0.2, 0.9], bias: -0.1 };

export function expectedProbability(tenure: number, spend: number, tickets: number): number {
  const z = BATCH_MODEL.weights[0]! * tenure + BATCH_MODEL.weights[1]! * spend + BATCH_MODEL.weights[2]! * tickets + BATCH_MODEL.bias;
  return 1 / (1 + Math.exp(-z));
}

/** A classification model with one ONNX version stored in ModelDeck; returns its name. */
export async function scorableVersion(token: string, prefix = 'batch'): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  expect((await api.createModel(token, { name, task: 'classification' })).status).toBe(201);
  const features = BATCH_MODEL.featureNames.map((feature) => ({ name: feature, type: 'numeric' }));
  const registered = await api.registerVersion(token, name, { format: 'onnx', features });
  expect(registered.status, registered.text).toBe(201);
  const uploaded = await api.upload(token, name, 1, writeLinearModel({ kind: 'logistic', ...BATCH_MODEL }));
  expect(uploaded.status, uploaded.text).toBe(200);
  return name;
}

const versionParams = (name: string) => ({ name, version: '1' });

export const batchApi = {
  create: (token: string | undefined, name: string, body: string | Uint8Array, headers: Record<string, string>, query = '') =>
    call(createJobRoute, { path: `/api/v1/models/${name}/versions/1/batch-jobs${query}`, method: 'POST', token, rawBody: body, headers, params: versionParams(name) }),
  list: (token: string, name: string) => call(listJobsRoute, { path: `/api/v1/models/${name}/versions/1/batch-jobs`, token, params: versionParams(name) }),
  get: (token: string | undefined, id: string) => call(getJobRoute, { path: `/api/v1/batch-jobs/${id}`, token, params: { id } }),
  output: (token: string, id: string) => call(outputRoute, { path: `/api/v1/batch-jobs/${id}/output`, token, params: { id } }),
  cancel: (token: string | undefined, id: string) => call(cancelRoute, { path: `/api/v1/batch-jobs/${id}/cancel`, method: 'POST', token, params: { id } }),
  createRun: (token: string | undefined, name: string, body: string | Uint8Array, headers: Record<string, string>, query = '') =>
    call(createRunRoute, { path: `/api/v1/models/${name}/versions/1/runs${query}`, method: 'POST', token, rawBody: body, headers, params: versionParams(name) }),
  listRuns: (token: string, name: string) => call(listRunsRoute, { path: `/api/v1/models/${name}/versions/1/runs`, token, params: versionParams(name) }),
  getRun: (token: string, id: string) => call(getRunRoute, { path: `/api/v1/runs/${id}`, token, params: { id } }),
  createSchedule: (token: string | undefined, name: string, json: unknown) =>
    call(createScheduleRoute, { path: `/api/v1/models/${name}/versions/1/batch-schedules`, token, json, params: versionParams(name) }),
  listSchedules: (token: string, name: string) =>
    call(listSchedulesRoute, { path: `/api/v1/models/${name}/versions/1/batch-schedules`, token, params: versionParams(name) }),
  deleteSchedule: (token: string | undefined, id: string) =>
    call(deleteScheduleRoute, { path: `/api/v1/batch-schedules/${id}`, method: 'DELETE', token, params: { id } }),
};

export async function waitForStatus(token: string, id: string, statuses: string[], timeoutMs = 20_000) {
  return waitFor(async () => {
    const job = await batchApi.get(token, id);
    return statuses.includes(job.body.status) ? job.body : null;
  }, timeoutMs);
}

/** A CSV of `rows` rows with deterministic feature values. */
export function csvOf(rows: number, extraColumns: string[] = [], extra: (row: number) => Array<string | number> = () => []): string {
  const lines = [['tenure', 'spend', 'tickets', ...extraColumns].join(',')];
  for (let i = 1; i <= rows; i++) lines.push([i % 13, (i % 7) * 0.5, i % 3, ...extra(i)].join(','));
  return lines.join('\n') + '\n';
}
