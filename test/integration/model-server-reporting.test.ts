/**
 * The model server reports its predictions to the dashboard: the real server (child process)
 * posts to a node:http server running the real ingestion route handler against this file's
 * database, and the records land in the monitoring tables. With the dashboard down, inference
 * still answers and what does not fit the buffer is dropped and counted.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as labelsRoute } from '@/app/api/v1/labels/route';
import { PUT as putBackendRoute } from '@/app/api/v1/environments/[environment]/backend/route';
import { POST as predictionsRoute } from '@/app/api/v1/predictions/route';
import { readInferResponse } from '@/lib/demo/traffic/infer';
import { LabelSender } from '@/lib/demo/traffic/label-sender';
import { db } from '@/lib/db';
import { getMonitoringTab } from '@/lib/server/monitoring/get-monitoring-tab';
import { closeMonitoringPool } from '@/lib/server/monitoring/pool';
import { serveRoutes } from '../http-adapter';
import { call, createTestUser, rawQuery, waitFor } from '../helpers';
import { api } from '../registry-api';
import {
  inferRows,
  loadVersion,
  request,
  setTraffic,
  startModelServer,
  waitUntilReady,
  writeModelArtifact,
  type RunningModelServer,
} from './model-server-harness';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const WEIGHTS = [0.5, -1];
const BIAS = 0.25;
const FEATURE_NAMES = ['age', 'income'];

let dir: string;
let artifact: Awaited<ReturnType<typeof writeModelArtifact>>;
const running: RunningModelServer[] = [];
const receivers: Array<{ close: () => Promise<void> }> = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'model-server-reporting-'));
  artifact = await writeModelArtifact(dir, 'v1.onnx', { kind: 'logistic', featureNames: FEATURE_NAMES, weights: WEIGHTS, bias: BIAS });
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  await Promise.all(receivers.map((r) => r.close()));
  await closeMonitoringPool();
});

async function serve(model: string, env: Record<string, string>) {
  const server = await startModelServer({ env });
  running.push(server);
  await waitUntilReady(server);
  expect((await loadVersion(server, 'production', model, '1', { artifactUrl: artifact.url, sha256: artifact.sha256, task: 'classification' })).status).toBe(200);
  expect((await setTraffic(server, 'production', model, { routes: [{ version: '1', percent: 100 }] })).status).toBe(200);
  return server;
}

describe('prediction reporting', () => {
  it('stores every row of every answer in the monitoring tables, with its features, probability, version and id', async () => {
    const engineer = await createTestUser(['engineer']);
    const model = `reported-${randomBytes(3).toString('hex')}`;
    expect((await api.createModel(engineer.token, { name: model, task: 'classification' })).status).toBe(201);
    const features = FEATURE_NAMES.map((name) => ({ name, type: 'numeric' }));
    expect((await api.registerVersion(engineer.token, model, { features })).status).toBe(201);
    const dashboard = await serveRoutes([['POST', '/api/v1/predictions', predictionsRoute]]);
    receivers.push(dashboard);
    const server = await serve(model, { MODEL_SERVER_REPORT_URL: dashboard.url, MODEL_SERVER_REPORT_TOKEN: engineer.token, MODEL_SERVER_REPORT_INTERVAL_MS: '50' });

    const batched = await inferRows(server, 'production', model, [[30, 2], [50, 1]], { id: 'req-1' });
    expect(batched.status).toBe(200);
    expect(batched.body.id).toBe('req-1');
    const single = await inferRows(server, 'production', model, [[20, 3]]);
    expect(single.status).toBe(200);
    const generated = single.body.id as string;
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);

    const { id: modelId, versions } = await db().model.findUniqueOrThrow({ where: { name: model }, include: { versions: true } });
    const rows = await waitFor(async () => {
      const result = await rawQuery(
        `SELECT record_id, num_values, pred_num, version_id, latency_ms, error FROM monitoring_predictions WHERE model_id = '${modelId}' ORDER BY record_id`,
      );
      return result.rows.length === 3 ? (result.rows as Array<{ record_id: string; num_values: number[]; pred_num: number; version_id: string; latency_ms: number; error: string | null }>) : null;
    });
    const byId = new Map(rows.map((r) => [r.record_id, r]));
    const expected: Array<[string, number[]]> = [
      ['req-1', [30, 2]],
      ['req-1#1', [50, 1]],
      [generated, [20, 3]],
    ];
    for (const [id, values] of expected) {
      const row = byId.get(id);
      expect(row, id).toBeDefined();
      expect(row!.num_values.map(Number)).toEqual(values);
      expect(row!.pred_num).toBeCloseTo(sigmoid(values[0]! * WEIGHTS[0]! + values[1]! * WEIGHTS[1]! + BIAS), 5);
      expect(row!.version_id).toBe(versions[0]!.id);
      expect(row!.latency_ms).toBeGreaterThanOrEqual(0);
      expect(row!.error).toBeNull();
    }

    const status = await request(server, 'GET', '/manage/reporting');
    expect(status.body).toMatchObject({ enabled: true, sent: 3, dropped: 0, rejected: 0, buffered: 0 });
  });

  it('reports shadow answers under the shadow version, and failed requests with their error', async () => {
    const engineer = await createTestUser(['engineer']);
    const model = `shadowed-${randomBytes(3).toString('hex')}`;
    expect((await api.createModel(engineer.token, { name: model, task: 'classification' })).status).toBe(201);
    for (let i = 0; i < 2; i++) {
      expect((await api.registerVersion(engineer.token, model, { features: FEATURE_NAMES.map((name) => ({ name, type: 'numeric' })) })).status).toBe(201);
    }
    const dashboard = await serveRoutes([['POST', '/api/v1/predictions', predictionsRoute]]);
    receivers.push(dashboard);
    const server = await serve(model, { MODEL_SERVER_REPORT_URL: dashboard.url, MODEL_SERVER_REPORT_TOKEN: engineer.token, MODEL_SERVER_REPORT_INTERVAL_MS: '50' });
    const v2 = await writeModelArtifact(dir, 'v2.onnx', { kind: 'logistic', featureNames: FEATURE_NAMES, weights: [-1, 1], bias: 0 });
    expect((await loadVersion(server, 'production', model, '2', { artifactUrl: v2.url, sha256: v2.sha256, task: 'classification' })).status).toBe(200);
    expect((await setTraffic(server, 'production', model, { routes: [{ version: '1', percent: 100 }], shadow: { version: '2', percent: 100 } })).status).toBe(200);

    expect((await inferRows(server, 'production', model, [[4, 5]], { id: 's-1' })).status).toBe(200);
    const bad = await inferRows(server, 'production', model, [[4, 5, 6]], { id: 'bad-1' });
    expect(bad.status).toBe(400);

    const { id: modelId, versions } = await db().model.findUniqueOrThrow({ where: { name: model }, include: { versions: { orderBy: { version: 'asc' } } } });
    const rows = await waitFor(async () => {
      const result = await rawQuery(`SELECT record_id, version_id, pred_num, error FROM monitoring_predictions WHERE model_id = '${modelId}' ORDER BY record_id`);
      return result.rows.length === 3 ? (result.rows as Array<{ record_id: string; version_id: string; pred_num: number; error: string | null }>) : null;
    });
    const byId = new Map(rows.map((r) => [r.record_id, r]));
    expect(byId.get('s-1')).toMatchObject({ version_id: versions[0]!.id, error: null });
    expect(byId.get('s-1')!.pred_num).toBeCloseTo(sigmoid(4 * WEIGHTS[0]! + 5 * WEIGHTS[1]! + BIAS), 5);
    expect(byId.get('s-1~shadow')).toMatchObject({ version_id: versions[1]!.id, error: null });
    expect(byId.get('s-1~shadow')!.pred_num).toBeCloseTo(sigmoid(-4 + 5), 5);
    expect(byId.get('bad-1')).toMatchObject({ version_id: versions[0]!.id });
    expect(byId.get('bad-1')!.error).toMatch(/shape \[1,3\], expected \[-1,2\]/);
  });

  it('joins the labels demo:traffic sends to the predictions the model server reported', async () => {
    const engineer = await createTestUser(['engineer']);
    const model = `labelled-${randomBytes(3).toString('hex')}`;
    expect((await api.createModel(engineer.token, { name: model, task: 'classification' })).status).toBe(201);
    expect((await api.registerVersion(engineer.token, model, { features: FEATURE_NAMES.map((name) => ({ name, type: 'numeric' })) })).status).toBe(201);
    const dashboard = await serveRoutes([
      ['POST', '/api/v1/predictions', predictionsRoute],
      ['POST', '/api/v1/labels', labelsRoute],
    ]);
    receivers.push(dashboard);
    const server = await serve(model, { MODEL_SERVER_REPORT_URL: dashboard.url, MODEL_SERVER_REPORT_TOKEN: engineer.token, MODEL_SERVER_REPORT_INTERVAL_MS: '50' });
    const labels = new LabelSender({ dashboard: dashboard.url, token: engineer.token, delayMs: 0, share: 1 }, { fetch, now: () => Date.now(), random: Math.random });

    const requests: Array<{ id?: string; rows: number[][]; truths: number[] }> = [
      { id: 'run-1', rows: [[30, 2], [50, 1]], truths: [1, 0] },
      { rows: [[20, 3]], truths: [0] },
    ];
    for (const sent of requests) {
      const answer = await inferRows(server, 'production', model, sent.rows, sent.id ? { id: sent.id } : {});
      expect(answer.status).toBe(200);
      const event = { id: sent.id ?? 'unused', model, environment: 'production', sentAt: new Date(), rows: sent.rows, truths: sent.truths, latencyMs: 1, ok: true, status: 200 };
      labels.schedule({ ...event, result: readInferResponse(answer.body) });
    }
    await labels.flush();
    expect(labels.sent).toBe(3);

    const { id: modelId } = await db().model.findUniqueOrThrow({ where: { name: model } });
    const joined = await waitFor(async () => {
      const result = await rawQuery(
        `SELECT l.record_id, l.label_num FROM monitoring_labels l JOIN monitoring_predictions p ON p.model_id = l.model_id AND p.record_id = l.record_id WHERE l.model_id = '${modelId}' ORDER BY l.record_id`,
      );
      return result.rows.length === 3 ? (result.rows as Array<{ record_id: string; label_num: number }>) : null;
    });
    expect(joined.filter((r) => r.record_id.startsWith('run-1'))).toEqual([
      { record_id: 'run-1', label_num: 1 },
      { record_id: 'run-1#1', label_num: 0 },
    ]);
  });

  it('keeps answering while the dashboard is down, and counts what the full buffer drops', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const server = await serve('unreported', { MODEL_SERVER_REPORT_URL: `http://127.0.0.1:${port}`, MODEL_SERVER_REPORT_BUFFER: '5', MODEL_SERVER_REPORT_INTERVAL_MS: '50' });
    for (let i = 0; i < 8; i++) {
      const answer = await inferRows(server, 'production', 'unreported', [[i, 1]]);
      expect(answer.status).toBe(200);
    }
    const status = await request(server, 'GET', '/manage/reporting');
    expect(status.body).toMatchObject({ enabled: true, buffered: 5, capacity: 5, dropped: 3, sent: 0 });
    await waitFor(async () => ((await request(server, 'GET', '/manage/reporting')).body.failedAttempts > 0 ? true : null));
    expect((await request(server, 'GET', '/manage/reporting')).body.lastError).toMatch(/^network/);
    const metrics = await request(server, 'GET', '/metrics');
    expect(metrics.body).toMatch(/^modeldeck_model_server_reports_dropped_total 3$/m);
  });

  it('shows the Monitoring tab what the model server dropped, for environments it serves, and nothing when it cannot tell', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const admin = await createTestUser(['admin']);
    const model = `dropping-${randomBytes(3).toString('hex')}`;
    expect((await api.createModel(admin.token, { name: model, task: 'classification' })).status).toBe(201);
    expect((await api.registerVersion(admin.token, model, { features: FEATURE_NAMES.map((name) => ({ name, type: 'numeric' })) })).status).toBe(201);
    const served = `served-${randomBytes(3).toString('hex')}`;
    const gone = `gone-${randomBytes(3).toString('hex')}`;
    for (const name of [served, gone]) expect((await api.createEnvironment(admin.token, { name })).status).toBe(201);

    const startedBefore = Date.now();
    const server = await startModelServer({ env: { MODEL_SERVER_REPORT_URL: `http://127.0.0.1:${port}`, MODEL_SERVER_REPORT_BUFFER: '2', MODEL_SERVER_REPORT_INTERVAL_MS: '50' } });
    running.push(server);
    await waitUntilReady(server);
    expect((await loadVersion(server, served, model, '1', { artifactUrl: artifact.url, sha256: artifact.sha256, task: 'classification' })).status).toBe(200);
    expect((await setTraffic(server, served, model, { routes: [{ version: '1', percent: 100 }] })).status).toBe(200);
    const putBackend = (environment: string, json: unknown) =>
      call(putBackendRoute, { path: `/api/v1/environments/${environment}/backend`, method: 'PUT', token: admin.token, json, params: { environment } });
    expect((await putBackend(served, { type: 'local', config: { url: server.url }, secret: server.token })).status).toBe(200);
    // A backend that does not answer: the tab still renders, without a count.
    expect((await putBackend(gone, { type: 'local', config: { url: `http://127.0.0.1:${port}` } })).status).toBe(200);

    const before = await getMonitoringTab(model);
    expect(before.environments.find((e) => e.name === served)?.reportsDropped).toMatchObject({ dropped: 0 });

    for (let i = 0; i < 5; i++) expect((await inferRows(server, served, model, [[i, 1]])).status).toBe(200);
    const tab = await getMonitoringTab(model);
    const lane = tab.environments.find((e) => e.name === served)!;
    expect(lane.reportsDropped?.dropped).toBe(3);
    const since = Date.parse(lane.reportsDropped!.since!);
    expect(since).toBeGreaterThanOrEqual(startedBefore - 1000);
    expect(since).toBeLessThanOrEqual(Date.now());
    expect(tab.environments.find((e) => e.name === gone)?.reportsDropped).toBeNull();
    expect(tab.environments.find((e) => e.name === 'staging')?.reportsDropped).toBeNull();
  });
});
