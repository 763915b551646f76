import { describe, expect, it } from 'vitest';
import { LabelSender } from './label-sender';
import type { PredictionEvent } from './run-traffic';

function event(id: string, model: string, truths: number[], extra: Partial<PredictionEvent> = {}): PredictionEvent {
  return {
    id,
    model,
    environment: 'production',
    sentAt: new Date(0),
    rows: truths.map(() => [1, 2]),
    truths,
    latencyMs: 1,
    ok: true,
    status: 200,
    result: { modelVersion: '1', id, outputs: {} },
    ...extra,
  };
}

/** A fake dashboard: records each POST body and answers with the next status (200 once they run out). */
function dashboard(statuses: Array<number | 'down'> = []) {
  const posts: Array<{ url: string; auth: string | null; body: { model: string; records: Array<{ id: string; label: number }> } }> = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    const next = statuses.shift() ?? 200;
    if (next === 'down') throw new TypeError('fetch failed');
    posts.push({ url, auth: new Headers(init.headers).get('authorization'), body: JSON.parse(init.body as string) });
    return new Response(next === 200 ? '{"accepted":1}' : '{"title":"nope"}', { status: next });
  }) as typeof fetch;
  return { posts, fetchFn };
}

function sender(fetchFn: typeof fetch, options: { share?: number; random?: () => number } = {}) {
  let clock = 1_000_000;
  const labels = new LabelSender(
    { dashboard: 'http://dash', token: 'tok', delayMs: 30_000, share: options.share ?? 1 },
    { fetch: fetchFn, now: () => clock, random: options.random ?? (() => 0) },
  );
  return { labels, advance: (ms: number) => (clock += ms) };
}

describe('LabelSender', () => {
  it('sends nothing before the delay, then each row’s truth under the reported record id, one POST per model', async () => {
    const { posts, fetchFn } = dashboard();
    const { labels, advance } = sender(fetchFn);
    labels.schedule(event('run-1', 'churn-predictor', [1, 0, 1]));
    labels.schedule(event('run-2', 'fraud-detector', [0]));
    advance(29_999);
    await labels.flush();
    expect(posts).toEqual([]);
    advance(1);
    await labels.flush();
    expect(posts).toEqual([
      {
        url: 'http://dash/api/v1/labels',
        auth: 'Bearer tok',
        body: {
          model: 'churn-predictor',
          records: [
            { id: 'run-1', label: 1 },
            { id: 'run-1#1', label: 0 },
            { id: 'run-1#2', label: 1 },
          ],
        },
      },
      { url: 'http://dash/api/v1/labels', auth: 'Bearer tok', body: { model: 'fraud-detector', records: [{ id: 'run-2', label: 0 }] } },
    ]);
    expect(labels.sent).toBe(4);
    expect(labels.waiting).toBe(0);
  });

  it('uses the id the model server answered with, and labels nothing for failed requests', async () => {
    const { posts, fetchFn } = dashboard();
    const { labels, advance } = sender(fetchFn);
    labels.schedule(event('run-1', 'churn-predictor', [1], { result: { modelVersion: '1', id: 'server-made', outputs: {} } }));
    labels.schedule(event('run-2', 'churn-predictor', [0], { ok: false, status: 503, result: undefined, error: '503 not ready' }));
    advance(30_000);
    await labels.flush();
    expect(posts.map((p) => p.body.records)).toEqual([[{ id: 'server-made', label: 1 }]]);
  });

  it('labels only the given share of rows', async () => {
    const { posts, fetchFn } = dashboard();
    const draws = [0.1, 0.9, 0.3, 0.7];
    const { labels, advance } = sender(fetchFn, { share: 0.5, random: () => draws.shift()! });
    labels.schedule(event('run-1', 'churn-predictor', [1, 1, 0, 0]));
    advance(30_000);
    await labels.flush();
    expect(posts[0]!.body.records.map((r) => r.id)).toEqual(['run-1', 'run-1#2']);
  });

  it('keeps labels through a dashboard outage and sends them once it is back; a refused batch is given up', async () => {
    const { posts, fetchFn } = dashboard(['down', 503, 200, 400]);
    const { labels, advance } = sender(fetchFn);
    labels.schedule(event('run-1', 'churn-predictor', [1]));
    advance(30_000);
    await labels.flush();
    expect(labels.waiting).toBe(1);
    expect(labels.lastError).toMatch(/fetch failed/);
    await labels.flush();
    expect(labels.waiting).toBe(1);
    expect(labels.lastError).toMatch(/^503/);
    await labels.flush();
    expect(labels.sent).toBe(1);
    expect(labels.waiting).toBe(0);

    labels.schedule(event('run-2', 'churn-predictor', [0]));
    advance(30_000);
    await labels.flush();
    expect(labels.waiting).toBe(0);
    expect(labels.skipped).toBe(1);
    expect(posts).toHaveLength(3);
  });

  it('splits a large due set into batches of 1,000 labels', async () => {
    const { posts, fetchFn } = dashboard();
    const { labels, advance } = sender(fetchFn);
    for (let i = 0; i < 2500; i++) labels.schedule(event(`run-${i}`, 'churn-predictor', [i % 2]));
    advance(30_000);
    await labels.flush();
    expect(posts.map((p) => p.body.records.length)).toEqual([1000, 1000, 500]);
    expect(new Set(posts.flatMap((p) => p.body.records.map((r) => r.id))).size).toBe(2500);
  });
});
