import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestUser, rawQuery } from '../helpers';
import { api } from '../registry-api';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * kill -9 during ingestion. A full `next start` is too heavy for this machine's test runs, so
 * a child process runs the same route handler and service against this file's database (an
 * honest substitute: the durability under test is the database transaction's, not Next's).
 */
describe('ingestion killed with SIGKILL mid-stream', () => {
  it('keeps every acknowledged record exactly once, and no part of an unacknowledged batch', async () => {
    const engineer = await createTestUser(['engineer']);
    const name = `crash-${Date.now().toString(36)}`;
    expect((await api.createModel(engineer.token, { name, task: 'classification' })).status).toBe(201);
    const registered = await api.registerVersion(engineer.token, name, {
      features: [
        { name: 'age', type: 'numeric' },
        { name: 'plan', type: 'categorical' },
      ],
    });
    expect(registered.status).toBe(201);

    const batch = 200;
    const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'test/fixtures/ingest-child.ts'], {
      cwd: root,
      env: { ...process.env, INGEST_TOKEN: engineer.token, INGEST_MODEL: name, BATCH: String(batch), LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const acked: [number, number][] = [];
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) {
          const match = /^ack (\d+)-(\d+)$/.exec(line);
          if (match) acked.push([Number(match[1]), Number(match[2])]);
        }
        // Killed while later batches are in flight, after a few were acknowledged.
        if (acked.length >= 5 && child.exitCode === null && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => (acked.length >= 5 ? resolve() : reject(new Error(`child exited early: ${stderr}`))));
    });
    expect(await exited).toBe('SIGKILL');

    const { rows } = await rawQuery(
      `SELECT record_id, count(*)::int AS n FROM monitoring_predictions p JOIN models m ON m.id = p.model_id
       WHERE m.name = '${name}' GROUP BY record_id`,
    );
    const stored = new Map(rows.map((r) => [r.record_id as string, r.n as number]));
    for (const [first, last] of acked) {
      for (let i = first; i <= last; i++) expect(stored.get(`k-${i}`), `k-${i}`).toBe(1);
    }
    expect([...stored.values()].every((n) => n === 1)).toBe(true);
    // Batches are all or nothing: whatever is stored is whole batches (the last one may have
    // committed just before the kill, without its acknowledgement being printed).
    expect(stored.size % batch).toBe(0);
    expect(stored.size).toBeGreaterThanOrEqual(acked.length * batch);
    const ids = await rawQuery(`SELECT count(*)::int AS n FROM monitoring_record_ids i JOIN models m ON m.id = i.model_id WHERE m.name = '${name}'`);
    expect(ids.rows[0].n).toBe(stored.size);
  }, 120_000);
});
