import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { tickBatchSchedules } from '@/lib/server/batch/tick-batch-schedules';
import { stopBoss } from '@/lib/server/jobs/queue';
import { startWorkers } from '@/lib/server/jobs/start-workers';
import { classificationMetrics } from '@/lib/stats/performance';
import { batchApi, csvOf, expectedProbability, scorableVersion, waitForStatus } from '../batch-api';
import { createTestUser, rawQuery } from '../helpers';

let batchDir: string;
let artifactDir: string;
let inputDir: string;
let engineer: Awaited<ReturnType<typeof createTestUser>>;
let viewer: Awaited<ReturnType<typeof createTestUser>>;
let model: string;

const label = (i: number) => (i % 4 === 0 ? 0 : i % 2);

beforeAll(async () => {
  batchDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-runs-'));
  artifactDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-runs-artifacts-'));
  inputDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-runs-inputs-'));
  process.env.BATCH_DIR = batchDir;
  process.env.ARTIFACT_DIR = artifactDir;
  process.env.BATCH_INPUT_DIRS = inputDir;
  process.env.BATCH_CHUNK_ROWS = '40';
  [engineer, viewer] = await Promise.all([createTestUser(['engineer']), createTestUser(['viewer'])]);
  model = await scorableVersion(engineer.token, 'runs');
  await startWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopBoss();
  for (const key of ['BATCH_DIR', 'ARTIFACT_DIR', 'BATCH_INPUT_DIRS', 'BATCH_CHUNK_ROWS']) delete process.env[key];
  for (const dir of [batchDir, artifactDir, inputDir]) await rm(dir, { recursive: true, force: true });
});

describe('one-off runs', () => {
  it('records who, when, the input sha256, rows, output and the metrics of a labelled dataset', async () => {
    const rows = 150;
    const body = csvOf(rows, ['label'], (i) => [label(i)]);
    const created = await batchApi.createRun(engineer.token, model, body, { 'content-type': 'text/csv' });
    expect(created.status, created.text).toBe(202);
    const run = await waitForStatus(engineer.token, created.body.id, ['succeeded', 'failed']);
    const sha256 = (await import('node:crypto')).createHash('sha256').update(body).digest('hex');
    expect(run).toMatchObject({ kind: 'one_off', status: 'succeeded', rowsTotal: rows, inputSha256: sha256, createdBy: engineer.user.email, labelColumn: 'label' });
    expect(run.environment).toBeNull();

    // The same metrics lib/stats gives for the scores the run wrote (float32 from onnxruntime).
    const output = (await batchApi.output(viewer.token, created.body.id)).text.trimEnd().split('\n');
    expect(output[0]).toBe('tenure,spend,tickets,label,probability,predicted_label,error');
    const labels: number[] = [];
    const scores: number[] = [];
    output.slice(1).forEach((line, index) => {
      const i = index + 1;
      const cells = line.split(',');
      expect(Number(cells[3])).toBe(label(i));
      expect(Number(cells[4])).toBeCloseTo(expectedProbability(i % 13, (i % 7) * 0.5, i % 3), 5);
      labels.push(label(i));
      scores.push(Number(cells[4]));
    });
    const expected = classificationMetrics(labels, scores);
    expect(run.metrics).toMatchObject({ labelColumn: 'label', count: rows, positives: expected.positives, accuracy: expected.accuracy });
    expect(run.metrics.auc).toBeCloseTo(expected.auc!, 9);
    expect(run.metrics.f1).toBeCloseTo(expected.f1!, 9);

    const fetched = await batchApi.getRun(viewer.token, created.body.id);
    expect(fetched.status).toBe(200);
    expect(fetched.body.outputUrl).toBe(`/api/v1/batch-jobs/${created.body.id}/output`);
    const listed = await batchApi.listRuns(viewer.token, model);
    expect(listed.body.items.map((r: { id: string }) => r.id)).toEqual([created.body.id]);
    // A batch job is not a run, nor listed as one.
    const job = await batchApi.create(engineer.token, model, csvOf(3), { 'content-type': 'text/csv' });
    expect((await batchApi.getRun(viewer.token, job.body.id)).status).toBe(404);
    expect((await batchApi.listRuns(viewer.token, model)).body.items).toHaveLength(1);
    await waitForStatus(engineer.token, job.body.id, ['succeeded']);

    // Immutable once finished, even for someone with database access.
    await expect(rawQuery(`UPDATE batch_jobs SET "rowsDone" = 1 WHERE id = '${created.body.id}'`)).rejects.toThrow(/finished and immutable/);
    await expect(rawQuery(`DELETE FROM batch_jobs WHERE id = '${created.body.id}'`)).rejects.toThrow(/finished and immutable/);
    expect((await batchApi.cancel(engineer.token, created.body.id)).status).toBe(409);
    // A finished batch job is not a record in that sense.
    await rawQuery(`UPDATE batch_jobs SET "rowsDone" = "rowsDone" WHERE id = '${job.body.id}'`);
  });

  it('reads a dataset from an allowed file:// URI; refuses one outside BATCH_INPUT_DIRS', async () => {
    const file = path.join(inputDir, 'holdout.csv');
    await writeFile(file, csvOf(10, ['label'], (i) => [label(i)]));
    const created = await batchApi.createRun(engineer.token, model, JSON.stringify({ inputUri: pathToFileURL(file).href, format: 'csv' }), {
      'content-type': 'application/json',
    });
    expect(created.status, created.text).toBe(202);
    const run = await waitForStatus(engineer.token, created.body.id, ['succeeded', 'failed']);
    expect(run).toMatchObject({ status: 'succeeded', rowsTotal: 10, source: pathToFileURL(file).href });
    expect(run.metrics.count).toBe(10);

    const outside = await batchApi.createRun(engineer.token, model, JSON.stringify({ inputUri: 'file:///etc/passwd', format: 'csv' }), {
      'content-type': 'application/json',
    });
    expect(outside.status).toBe(422);
    expect(outside.body.detail).toContain('is not under BATCH_INPUT_DIRS');
    const forbidden = await batchApi.createRun(viewer.token, model, csvOf(2), { 'content-type': 'text/csv' });
    expect(forbidden.status).toBe(403);
  });
});

describe('batch schedules', () => {
  it('validates the cron and the URI, creates one job per tick (claimed once), and is deleted with an audit entry', async () => {
    const file = path.join(inputDir, 'nightly.csv');
    await writeFile(file, csvOf(7));
    const uri = pathToFileURL(file).href;

    const badCron = await batchApi.createSchedule(engineer.token, model, { cron: 'every night', inputUri: uri, format: 'csv' });
    expect(badCron.status).toBe(422);
    expect(badCron.body.errors.cron).toBeDefined();
    const badUri = await batchApi.createSchedule(engineer.token, model, { cron: '0 2 * * *', inputUri: 'ftp://x/y.csv', format: 'csv' });
    expect(badUri.status).toBe(422);
    expect(badUri.body.errors.inputUri[0]).toContain('not supported');
    expect((await batchApi.createSchedule(viewer.token, model, { cron: '0 2 * * *', inputUri: uri, format: 'csv' })).status).toBe(403);

    const created = await batchApi.createSchedule(engineer.token, model, { cron: '0 2 * * *', inputUri: uri, format: 'csv' });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ cron: '0 2 * * *', inputUri: uri, format: 'csv', lastJobId: null });
    expect(created.body.nextRunAt).toMatch(/T02:00:00.000Z$/);

    // Tomorrow 02:00:30 UTC: the tick is due; two workers ticking at once create one job.
    const tomorrow = new Date(Date.now() + 86_400_000);
    const at = new Date(Date.UTC(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth(), tomorrow.getUTCDate(), 2, 0, 30));
    const counts = await Promise.all([tickBatchSchedules(at), tickBatchSchedules(at)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await tickBatchSchedules(new Date(at.getTime() + 60_000))).toBe(0);

    const schedule = (await batchApi.listSchedules(viewer.token, model)).body.items[0];
    expect(schedule.lastError).toBeNull();
    const job = await waitForStatus(engineer.token, schedule.lastJobId, ['succeeded', 'failed']);
    expect(job).toMatchObject({ status: 'succeeded', kind: 'batch', rowsTotal: 7, source: uri, createdBy: engineer.user.email });

    expect((await batchApi.deleteSchedule(viewer.token, schedule.id)).status).toBe(403);
    expect((await batchApi.deleteSchedule(engineer.token, schedule.id)).status).toBe(204);
    expect((await batchApi.deleteSchedule(engineer.token, schedule.id)).status).toBe(404);
    expect((await batchApi.listSchedules(viewer.token, model)).body.items).toEqual([]);
    const actions = (await db().auditEntry.findMany({ where: { targetId: schedule.id } })).map((a) => a.action).sort();
    expect(actions).toEqual(['batch_schedule.create', 'batch_schedule.delete']);
    // The job outlives its schedule.
    expect((await batchApi.get(viewer.token, job.id)).status).toBe(200);
  });
});
