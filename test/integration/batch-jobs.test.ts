import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { stopBoss } from '@/lib/server/jobs/queue';
import { startWorkers } from '@/lib/server/jobs/start-workers';
import { createEnvironment } from '@/lib/server/environments/create-environment';
import { batchApi, csvOf, expectedProbability, scorableVersion, waitForStatus } from '../batch-api';
import { createTestUser, rawQuery } from '../helpers';
import { splitCsvRecord } from '@/lib/server/batch/formats/csv';

let batchDir: string;
let artifactDir: string;
let engineer: Awaited<ReturnType<typeof createTestUser>>;
let viewer: Awaited<ReturnType<typeof createTestUser>>;
let admin: Awaited<ReturnType<typeof createTestUser>>;
let model: string;

const CSV = { 'content-type': 'text/csv' };

beforeAll(async () => {
  batchDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-batch-'));
  artifactDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-batch-artifacts-'));
  process.env.BATCH_DIR = batchDir;
  process.env.ARTIFACT_DIR = artifactDir;
  process.env.BATCH_CHUNK_ROWS = '5';
  [engineer, viewer, admin] = await Promise.all([createTestUser(['engineer']), createTestUser(['viewer']), createTestUser(['admin'])]);
  await createEnvironment(admin.ctx, { name: 'batch' } as never);
  model = await scorableVersion(engineer.token);
  await startWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopBoss();
  delete process.env.BATCH_DIR;
  delete process.env.ARTIFACT_DIR;
  delete process.env.BATCH_CHUNK_ROWS;
  delete process.env.BATCH_MAX_INPUT_BYTES;
  await rm(batchDir, { recursive: true, force: true });
  await rm(artifactDir, { recursive: true, force: true });
});

/** Job folders in the batch directory (the model cache aside). */
async function jobFolders() {
  return (await readdir(batchDir).catch(() => [])).filter((name) => !name.startsWith('.'));
}

describe('a CSV batch job', () => {
  it('scores every valid row, reports bad rows by number and reason, and writes input plus predictions', async () => {
    const body = [
      'customer,tenure,spend,tickets',
      'a,1,2,3',
      'b,4,0.5,1',
      'c,2,,1', // missing spend
      'd,3,lots,0', // not a number
      '"e, inc.",0,1,2',
      'f,5,1,1',
      'g,1,1,1',
    ].join('\r\n');
    const created = await batchApi.create(engineer.token, model, body, CSV);
    expect(created.status, created.text).toBe(202);
    const { id } = created.body;

    const job = await waitForStatus(engineer.token, id, ['succeeded', 'failed']);
    expect(job).toMatchObject({
      status: 'succeeded',
      kind: 'batch',
      model,
      version: 1,
      format: 'csv',
      environment: 'batch',
      rowsTotal: 7,
      rowsDone: 7,
      rowsFailed: 2,
      errors: [
        { row: 3, reason: 'missing feature "spend"' },
        { row: 4, reason: 'feature "spend" must be a number, got "lots"' },
      ],
      outputUrl: `/api/v1/batch-jobs/${id}/output`,
      createdBy: engineer.user.email,
    });
    expect(job.startedAt).not.toBeNull();
    expect(job.finishedAt).not.toBeNull();
    expect(job.rowsPerSecond).toBeGreaterThan(0);

    const output = await batchApi.output(viewer.token, id);
    expect(output.status).toBe(200);
    expect(output.headers.get('content-type')).toContain('text/csv');
    const lines = output.text.trimEnd().split('\n');
    expect(lines[0]).toBe('customer,tenure,spend,tickets,probability,label,error');
    expect(lines).toHaveLength(8);
    const rows = lines.slice(1).map((line) => splitCsvRecord(line)!);
    expect(rows.map((r) => r[0])).toEqual(['a', 'b', 'c', 'd', 'e, inc.', 'f', 'g']);
    for (const row of [rows[0]!, rows[1]!, rows[4]!, rows[5]!]) {
      const p = expectedProbability(Number(row[1]), Number(row[2]), Number(row[3]));
      expect(Number(row[4])).toBeCloseTo(p, 5);
      expect(row[5]).toBe(p >= 0.5 ? '1' : '0');
      expect(row[6]).toBe('');
    }
    expect(rows[2]!.slice(4)).toEqual(['', '', 'missing feature "spend"']);
    expect(rows[3]![6]).toBe('feature "spend" must be a number, got "lots"');

    // The five scored rows reached monitoring under idempotent ids.
    const stored = await rawQuery(`SELECT record_id FROM monitoring_record_ids WHERE record_id LIKE '${id}:%' ORDER BY record_id`);
    expect(stored.rows.map((r) => r.record_id)).toEqual([`${id}:1`, `${id}:2`, `${id}:5`, `${id}:6`, `${id}:7`]);

    const audit = await db().auditEntry.findMany({ where: { targetId: id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['batch_job.create', 'batch_job.complete']);

    const listed = await batchApi.list(viewer.token, model);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((j: { id: string }) => j.id)).toContain(id);
  });

  it('takes gzip-encoded NDJSON and answers NDJSON with the prediction fields added', async () => {
    const lines = [
      { id: 'x1', tenure: 1, spend: 2, tickets: 3 },
      { id: 'x2', tenure: 2, spend: 'two', tickets: 0 },
      { id: 'x3', tenure: 0, tickets: 1 },
    ].map((o) => JSON.stringify(o));
    lines.splice(2, 0, '{not json');
    const created = await batchApi.create(engineer.token, model, gzipSync(lines.join('\n') + '\n'), {
      'content-type': 'application/x-ndjson',
      'content-encoding': 'gzip',
    });
    expect(created.status, created.text).toBe(202);
    const job = await waitForStatus(engineer.token, created.body.id, ['succeeded', 'failed']);
    expect(job).toMatchObject({ status: 'succeeded', format: 'ndjson', rowsTotal: 4, rowsFailed: 3 });
    expect(job.errors).toEqual([
      { row: 2, reason: 'feature "spend" must be a number, got "two"' },
      { row: 3, reason: 'Not valid JSON.' },
      { row: 4, reason: 'missing feature "spend"' },
    ]);
    const output = await batchApi.output(engineer.token, created.body.id);
    expect(output.headers.get('content-type')).toBe('application/x-ndjson');
    const rows = output.text.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(rows[0]).toMatchObject({ id: 'x1', tenure: 1, label: 1 });
    expect(rows[0].probability).toBeCloseTo(expectedProbability(1, 2, 3), 5);
    expect(rows[1]).toEqual({ id: 'x2', tenure: 2, spend: 'two', tickets: 0, error: 'feature "spend" must be a number, got "two"' });
    expect(rows[2]).toEqual({ input: '{not json', error: 'Not valid JSON.' });
  });
});

describe('a model the runner cannot score', () => {
  it('fails the job with the reason when the artifact is not a loadable ONNX graph, audited', async () => {
    const { api } = await import('../registry-api');
    const name = `batch-bad-${randomBytes(3).toString('hex')}`;
    expect((await api.createModel(engineer.token, { name })).status).toBe(201);
    expect((await api.registerVersion(engineer.token, name, { format: 'onnx', features: [{ name: 'a', type: 'numeric' }, { name: 'b', type: 'numeric' }] })).status).toBe(201);
    expect((await api.upload(engineer.token, name, 1, 'these bytes are not an ONNX graph')).status).toBe(200);
    const created = await batchApi.create(engineer.token, name, 'a,b\n1,2\n', CSV);
    expect(created.status, created.text).toBe(202);
    const job = await waitForStatus(engineer.token, created.body.id, ['succeeded', 'failed']);
    expect(job.status).toBe('failed');
    expect(job.failureReason).toContain('onnxruntime cannot load the artifact');
    expect(job.outputUrl).toBeNull();
    expect(await db().auditEntry.count({ where: { targetId: created.body.id, action: 'batch_job.fail' } })).toBe(1);
  });
});

describe('refused before any work', () => {
  it('a body that is not CSV, a broken header, no rows, another content type or encoding: 4xx, no job, no file', async () => {
    const before = await db().batchJob.count();
    const binary = await batchApi.create(engineer.token, model, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x0a, 1, 2]), CSV);
    expect(binary.status).toBe(422);
    expect(binary.headers.get('content-type')).toContain('application/problem+json');
    expect(binary.body).toMatchObject({ code: 'not_csv', detail: 'The body is binary, not CSV text.' });

    const duplicate = await batchApi.create(engineer.token, model, 'a,a\n1,2\n', CSV);
    expect(duplicate.status).toBe(422);
    expect(duplicate.body.detail).toBe('The header row names "a" twice.');

    const headerOnly = await batchApi.create(engineer.token, model, 'tenure,spend,tickets\n', CSV);
    expect(headerOnly.status).toBe(422);
    expect(headerOnly.body.code).toBe('empty_input');

    const notNdjson = await batchApi.create(engineer.token, model, 'tenure,spend\n1,2\n', { 'content-type': 'application/x-ndjson' });
    expect(notNdjson.status).toBe(422);
    expect(notNdjson.body.code).toBe('not_ndjson');

    const json = await batchApi.create(engineer.token, model, '{"rows": []}', { 'content-type': 'application/json' });
    expect(json.status).toBe(415);
    expect(json.body.detail).toContain('text/csv');

    const brotli = await batchApi.create(engineer.token, model, csvOf(2), { ...CSV, 'content-encoding': 'br' });
    expect(brotli.status).toBe(415);

    const badGzip = await batchApi.create(engineer.token, model, 'not gzip at all', { ...CSV, 'content-encoding': 'gzip' });
    expect(badGzip.status).toBe(400);
    expect(badGzip.body.code).toBe('bad_gzip');

    expect(await db().batchJob.count()).toBe(before);
    expect(await jobFolders()).toHaveLength(await db().batchJob.count());
  });

  it('over BATCH_MAX_INPUT_BYTES: 413, also when the limit is only passed after inflating gzip', async () => {
    process.env.BATCH_MAX_INPUT_BYTES = '2000';
    try {
      const before = await db().batchJob.count();
      const big = csvOf(400);
      expect(big.length).toBeGreaterThan(2000);
      const plain = await batchApi.create(engineer.token, model, big, CSV);
      expect(plain.status).toBe(413);
      expect(plain.body.detail).toContain('BATCH_MAX_INPUT_BYTES (2000 bytes)');
      const zipped = gzipSync(big);
      expect(zipped.length).toBeLessThan(2000);
      const bomb = await batchApi.create(engineer.token, model, zipped, { ...CSV, 'content-encoding': 'gzip' });
      expect(bomb.status).toBe(413);
      expect(bomb.body.detail).toContain('after inflating');
      expect(await db().batchJob.count()).toBe(before);
      expect(await jobFolders()).toHaveLength(before);
    } finally {
      delete process.env.BATCH_MAX_INPUT_BYTES;
    }
  });

  it('a version without a stored ONNX artifact: 409, an unknown monitoring environment: 404', async () => {
    const name = `batch-none-${randomBytes(3).toString('hex')}`;
    await (await import('../registry-api')).api.createModel(engineer.token, { name });
    await (await import('../registry-api')).api.registerVersion(engineer.token, name, { format: 'onnx' });
    const noArtifact = await batchApi.create(engineer.token, name, csvOf(2), CSV);
    expect(noArtifact.status).toBe(409);
    expect(noArtifact.body.code).toBe('no_stored_artifact');
    const unknownEnv = await batchApi.create(engineer.token, model, csvOf(2), CSV, '?environment=nowhere');
    expect(unknownEnv.status).toBe(404);
  });
});

describe('authorization', () => {
  it('401 without credentials, 403 for a viewer creating or cancelling; a viewer reads', async () => {
    expect((await batchApi.create(undefined, model, csvOf(2), CSV)).status).toBe(401);
    const forbidden = await batchApi.create(viewer.token, model, csvOf(2), CSV);
    expect(forbidden.status).toBe(403);
    const created = await batchApi.create(engineer.token, model, csvOf(3), CSV);
    expect(created.status).toBe(202);
    expect((await batchApi.get(undefined, created.body.id)).status).toBe(401);
    expect((await batchApi.get(viewer.token, created.body.id)).status).toBe(200);
    expect((await batchApi.cancel(viewer.token, created.body.id)).status).toBe(403);
    expect((await batchApi.get(viewer.token, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    await waitForStatus(engineer.token, created.body.id, ['succeeded']);
  });
});

describe('cancel', () => {
  it('two concurrent cancels: one 200, one 409; the job stops and stays cancelled', async () => {
    const created = await batchApi.create(engineer.token, model, csvOf(20_000), CSV);
    expect(created.status).toBe(202);
    const id = created.body.id;
    await waitForStatus(engineer.token, id, ['running']);
    const answers = await Promise.all([batchApi.cancel(engineer.token, id), batchApi.cancel(admin.token, id)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)!.body.code).toBe('invalid_transition');
    const cancelled = answers.find((a) => a.status === 200)!.body;
    expect(cancelled.status).toBe('cancelled');

    // At most the chunk in flight at the cancel is still committed after it; then nothing moves.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = (await batchApi.get(engineer.token, id)).body;
    expect(after.status).toBe('cancelled');
    expect(after.rowsDone).toBeLessThan(20_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await batchApi.get(engineer.token, id)).body.rowsDone).toBe(after.rowsDone);
    expect((await batchApi.cancel(engineer.token, id)).status).toBe(409);
    const audit = await db().auditEntry.count({ where: { targetId: id, action: 'batch_job.cancel' } });
    expect(audit).toBe(1);
  });
});
