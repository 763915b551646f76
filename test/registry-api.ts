import { GET as verifyAuditRoute } from '@/app/api/v1/audit/verify/route';
import { POST as moveEnvironmentRoute } from '@/app/api/v1/environments/[environment]/move/route';
import { PATCH as updateEnvironmentRoute } from '@/app/api/v1/environments/[environment]/route';
import { GET as listEnvironmentsRoute, POST as createEnvironmentRoute } from '@/app/api/v1/environments/route';
import { POST as rollbackRoute } from '@/app/api/v1/models/[name]/environments/[environment]/rollback/route';
import { GET as environmentStateRoute } from '@/app/api/v1/models/[name]/environments/[environment]/route';
import { GET as getModelRoute } from '@/app/api/v1/models/[name]/route';
import { POST as archiveRoute } from '@/app/api/v1/models/[name]/versions/[version]/archive/route';
import { GET as downloadRoute, PUT as uploadRoute } from '@/app/api/v1/models/[name]/versions/[version]/artifact/route';
import { POST as requestPromotionRoute } from '@/app/api/v1/models/[name]/versions/[version]/promotions/route';
import { GET as getVersionRoute } from '@/app/api/v1/models/[name]/versions/[version]/route';
import { POST as registerVersionRoute } from '@/app/api/v1/models/[name]/versions/route';
import { GET as listModelsRoute, POST as createModelRoute } from '@/app/api/v1/models/route';
import { POST as approveRoute } from '@/app/api/v1/promotions/[id]/approve/route';
import { POST as cancelRoute } from '@/app/api/v1/promotions/[id]/cancel/route';
import { POST as rejectRoute } from '@/app/api/v1/promotions/[id]/reject/route';
import { GET as getPromotionRoute } from '@/app/api/v1/promotions/[id]/route';
import { GET as listPromotionsRoute } from '@/app/api/v1/promotions/route';
import { call, waitFor } from './helpers';

/**
 * The registry and release REST endpoints, called through their route handlers (real
 * Requests, real auth, real parsing), one function per operation.
 */
export const api = {
  createModel: (token: string | undefined, json: unknown) => call(createModelRoute, { path: '/api/v1/models', token, json }),
  listModels: (token: string, query = '') => call(listModelsRoute, { path: `/api/v1/models${query}`, token }),
  getModel: (token: string, name: string) => call(getModelRoute, { path: `/api/v1/models/${name}`, token, params: { name } }),
  registerVersion: (token: string | undefined, name: string, json: unknown = {}) =>
    call(registerVersionRoute, { path: `/api/v1/models/${name}/versions`, token, json, params: { name } }),
  getVersion: (token: string, name: string, version: number) =>
    call(getVersionRoute, { path: `/api/v1/models/${name}/versions/${version}`, token, params: { name, version: String(version) } }),
  upload: (token: string | undefined, name: string, version: number, bytes: Uint8Array | string, headers: Record<string, string> = {}) =>
    call(uploadRoute, {
      path: `/api/v1/models/${name}/versions/${version}/artifact`,
      method: 'PUT',
      token,
      rawBody: bytes,
      headers: { 'content-type': 'application/octet-stream', ...headers },
      params: { name, version: String(version) },
    }),
  /** The download as bytes (call() would decode it as text). */
  download: async (token: string, name: string, version: number) => {
    const request = new Request(`http://localhost/api/v1/models/${name}/versions/${version}/artifact`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const response = await downloadRoute(request, { params: Promise.resolve({ name, version: String(version) }) });
    return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
  },
  archive: (token: string | undefined, name: string, version: number) =>
    call(archiveRoute, {
      path: `/api/v1/models/${name}/versions/${version}/archive`,
      method: 'POST',
      token,
      params: { name, version: String(version) },
    }),
  requestPromotion: (token: string | undefined, name: string, version: number, json: unknown) =>
    call(requestPromotionRoute, {
      path: `/api/v1/models/${name}/versions/${version}/promotions`,
      token,
      json,
      params: { name, version: String(version) },
    }),
  environmentState: (token: string, name: string, environment: string) =>
    call(environmentStateRoute, { path: `/api/v1/models/${name}/environments/${environment}`, token, params: { name, environment } }),
  rollback: (token: string | undefined, name: string, environment: string, json?: unknown) =>
    call(rollbackRoute, {
      path: `/api/v1/models/${name}/environments/${environment}/rollback`,
      method: 'POST',
      token,
      json,
      params: { name, environment },
    }),
  listPromotions: (token: string, query = '') => call(listPromotionsRoute, { path: `/api/v1/promotions${query}`, token }),
  getPromotion: (token: string, id: string) => call(getPromotionRoute, { path: `/api/v1/promotions/${id}`, token, params: { id } }),
  approve: (token: string | undefined, id: string, json?: unknown) =>
    call(approveRoute, { path: `/api/v1/promotions/${id}/approve`, method: 'POST', token, json, params: { id } }),
  reject: (token: string | undefined, id: string, json?: unknown) =>
    call(rejectRoute, { path: `/api/v1/promotions/${id}/reject`, method: 'POST', token, json, params: { id } }),
  cancel: (token: string | undefined, id: string) =>
    call(cancelRoute, { path: `/api/v1/promotions/${id}/cancel`, method: 'POST', token, params: { id } }),
  updateEnvironment: (token: string | undefined, environment: string, json: unknown) =>
    call(updateEnvironmentRoute, { path: `/api/v1/environments/${environment}`, method: 'PATCH', token, json, params: { environment } }),
  listEnvironments: (token: string) => call(listEnvironmentsRoute, { path: '/api/v1/environments', token }),
  createEnvironment: (token: string | undefined, json: unknown) => call(createEnvironmentRoute, { path: '/api/v1/environments', token, json }),
  moveEnvironment: (token: string | undefined, environment: string, json: unknown) =>
    call(moveEnvironmentRoute, { path: `/api/v1/environments/${environment}/move`, token, json, params: { environment } }),
  verifyAudit: (token: string) => call(verifyAuditRoute, { path: '/api/v1/audit/verify', token }),
};

/** Waits until the job worker has made `version` the live version of the environment. */
export async function waitUntilLive(token: string, name: string, environment: string, version: number, timeoutMs = 15_000) {
  return waitFor(async () => {
    const state = await api.environmentState(token, name, environment);
    return state.body.liveVersion === version ? state.body : null;
  }, timeoutMs);
}

/**
 * Requests a promotion, has `reviewerToken` approve it when the environment needs an
 * approval, and waits for the worker to make it live. Returns the release id.
 */
export async function promote(
  engineerToken: string,
  reviewerToken: string,
  name: string,
  version: number,
  environment: string,
): Promise<string> {
  const requested = await api.requestPromotion(engineerToken, name, version, { environment });
  if (requested.status !== 201) throw new Error(`promotion of ${name} v${version} to ${environment}: ${requested.status} ${requested.text}`);
  if (requested.body.status === 'pending_approval') {
    const approved = await api.approve(reviewerToken, requested.body.id);
    if (approved.status !== 200) throw new Error(`approval of ${requested.body.id}: ${approved.status} ${approved.text}`);
  }
  await waitUntilLive(engineerToken, name, environment, version);
  return requested.body.id as string;
}
