import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics';
import { Reporter, type ReportRecord } from './reporter';

const record = (id: string): ReportRecord => ({ id, timestamp: '2026-11-21T09:00:00.000Z', features: { a: 1 }, prediction: 0.5, latencyMs: 1 });

function receiver(statuses: Array<number | 'down'> = []) {
  const posts: Array<{ auth: string | null; body: { model: string; environment: string; version?: number; records: ReportRecord[] } }> = [];
  const fetchFn = (async (_url: string, init: RequestInit) => {
    const next = statuses.shift() ?? 202;
    if (next === 'down') throw new TypeError('fetch failed');
    posts.push({ auth: new Headers(init.headers).get('authorization'), body: JSON.parse(init.body as string) });
    return new Response('{}', { status: next });
  }) as typeof fetch;
  return { posts, fetchFn };
}

function reporter(fetchFn: typeof fetch, bufferSize = 100) {
  // intervalMs 0: every retry is allowed at once, so the test drives attempts with flush().
  return new Reporter({ url: 'http://dash', token: 'tok', bufferSize, intervalMs: 0, batchSize: 3 }, createMetrics(), pino({ level: 'silent' }), fetchFn);
}

describe('Reporter', () => {
  it('posts one batch per model, environment and version, at most batchSize records each', async () => {
    const { posts, fetchFn } = receiver();
    const r = reporter(fetchFn);
    r.add('production', 'churn', '1', [record('a'), record('b'), record('c'), record('d')]);
    r.add('production', 'churn', '2', [record('e')]);
    r.add('staging', 'churn', 'candidate', [record('f')]);
    await r.flush();
    expect(posts.map((p) => [p.body.environment, p.body.model, p.body.version, p.body.records.map((x) => x.id).join('')])).toEqual([
      ['production', 'churn', 1, 'abc'],
      ['production', 'churn', 1, 'd'],
      ['production', 'churn', 2, 'e'],
      ['staging', 'churn', undefined, 'f'],
    ]);
    expect(posts[0]!.auth).toBe('Bearer tok');
    expect(r.status()).toMatchObject({ sent: 6, buffered: 0, dropped: 0 });
  });

  it('holds records through an outage in order, drops what does not fit, and gives up a refused batch', async () => {
    const { posts, fetchFn } = receiver(['down', 503, 202, 400]);
    const r = reporter(fetchFn, 4);
    r.add('production', 'churn', '1', [record('a'), record('b')]);
    await r.flush();
    expect(r.status()).toMatchObject({ buffered: 2, failedAttempts: 1, lastError: 'network: fetch failed' });
    r.add('production', 'churn', '1', [record('c'), record('d'), record('e')]);
    expect(r.status()).toMatchObject({ buffered: 4, dropped: 1 });
    await r.flush();
    expect(r.status()).toMatchObject({ buffered: 4, failedAttempts: 2 });
    await r.flush();
    // The 503 answer, the retry that succeeded, then the refused batch: nothing reordered or sent twice after success.
    expect(posts.map((p) => p.body.records.map((x) => x.id).join(''))).toEqual(['ab', 'ab', 'cd']);
    expect(r.status()).toMatchObject({ sent: 2, rejected: 2, buffered: 0, dropped: 1 });
  });
});
