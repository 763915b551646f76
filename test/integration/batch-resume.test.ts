import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { projectRoot } from '@/lib/runtime/paths';
import { splitCsvRecord } from '@/lib/server/batch/formats/csv';
import { createEnvironment } from '@/lib/server/environments/create-environment';
import { stopBoss } from '@/lib/server/jobs/queue';
import { startWorkers } from '@/lib/server/jobs/start-workers';
import { batchApi, csvOf, expectedProbability, scorableVersion, waitForStatus } from '../batch-api';
import { createTestUser, rawQuery, waitFor } from '../helpers';

let batchDir: string;
let artifactDir: string;

beforeAll(async () => {
  batchDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-batch-resume-'));
  artifactDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-batch-resume-artifacts-'));
  process.env.BATCH_DIR = batchDir;
  process.env.ARTIFACT_DIR = artifactDir;
  process.env.BATCH_CHUNK_ROWS = '50';
});

afterAll(async () => {
  await stopBoss();
  delete process.env.BATCH_DIR;
  delete process.env.ARTIFACT_DIR;
  delete process.env.BATCH_CHUNK_ROWS;
  await rm(batchDir, { recursive: true, force: true });
  await rm(artifactDir, { recursive: true, force: true });
});

describe('a batch worker killed mid-job', () => {
  it('resumes from the last committed chunk: every row once in the output and in monitoring', async () => {
    const [engineer, admin] = await Promise.all([createTestUser(['engineer']), createTestUser(['admin'])]);
    await createEnvironment(admin.ctx, { name: 'batch' } as never);
    const model = await scorableVersion(engineer.token, 'resume');
    const rows = 6000;
    // No workers in this process yet: the job waits in the queue while the child runs it.
    const created = await batchApi.create(engineer.token, model, csvOf(rows), { 'content-type': 'text/csv' });
    expect(created.status, created.text).toBe(202);
    const id: string = created.body.id;

    const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'test/fixtures/batch-runner-child.ts'], {
      cwd: projectRoot,
      env: { ...process.env, BATCH_JOB_ID: id, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`the child exited early: ${stderr}`);
      return (await db().batchJob.findUniqueOrThrow({ where: { id } })).rowsDone >= 1000;
    }, 60_000, 20);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const killed = await db().batchJob.findUniqueOrThrow({ where: { id } });
    expect(killed.status).toBe('running');
    expect(killed.rowsDone).toBeGreaterThanOrEqual(1000);
    expect(killed.rowsDone).toBeLessThan(rows);
    expect(killed.rowsDone % 50).toBe(0);

    // A worker starts: the queued run and the resume of the job left running both reach it;
    // the runner lock lets one of them finish the job.
    await startWorkers({ pollingIntervalSeconds: 0.5 });
    const job = await waitForStatus(engineer.token, id, ['succeeded', 'failed'], 60_000);
    expect(job).toMatchObject({ status: 'succeeded', rowsTotal: rows, rowsDone: rows, rowsFailed: 0 });
    const finished = await db().batchJob.findUniqueOrThrow({ where: { id } });
    expect(finished.attempts).toBeGreaterThanOrEqual(2);
    expect(finished.chunksDone).toBe(rows / 50);

    const lines = (await batchApi.output(engineer.token, id)).text.trimEnd().split('\n');
    expect(lines).toHaveLength(rows + 1);
    lines.slice(1).forEach((line, index) => {
      const i = index + 1;
      const [tenure, spend, tickets, probability] = splitCsvRecord(line)!.map(Number);
      expect([tenure, spend, tickets]).toEqual([i % 13, (i % 7) * 0.5, i % 3]);
      expect(probability).toBeCloseTo(expectedProbability(tenure!, spend!, tickets!), 5);
    });

    const stored = await rawQuery(`SELECT count(*)::int AS n, count(DISTINCT record_id)::int AS d FROM monitoring_record_ids WHERE record_id LIKE '${id}:%'`);
    expect(stored.rows[0]).toEqual({ n: rows, d: rows });
  });
});
