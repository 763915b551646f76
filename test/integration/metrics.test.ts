import { afterEach, describe, expect, it } from 'vitest';
import { GET as healthRoute } from '@/app/api/health/route';
import { GET as metricsRoute } from '@/app/metrics/route';
import { call } from '../helpers';

describe('GET /metrics', () => {
  afterEach(() => {
    delete process.env.MODELDECK_METRICS_TOKEN;
  });

  it('counts REST requests by route template and status, and reports the job queues', async () => {
    expect((await call(healthRoute, { path: '/api/health' })).status).toBe(200);
    expect((await call(healthRoute, { path: '/api/health' })).status).toBe(200);
    const response = await call(metricsRoute, { path: '/metrics' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.text).toMatch(/modeldeck_http_requests_total\{method="GET",route="\/api\/health",status="200",service="modeldeck"\} 2/);
    expect(response.text).toMatch(/modeldeck_job_queue_depth\{queue="release-deploy",service="modeldeck"\} 0/);
    expect(response.text).toContain('# TYPE modeldeck_job_failures_total counter');
  });

  it('asks for MODELDECK_METRICS_TOKEN when one is set', async () => {
    process.env.MODELDECK_METRICS_TOKEN = 'scrape-secret';
    expect((await call(metricsRoute, { path: '/metrics' })).status).toBe(401);
    expect((await call(metricsRoute, { path: '/metrics', token: 'wrong' })).status).toBe(401);
    expect((await call(metricsRoute, { path: '/metrics', token: 'scrape-secret' })).status).toBe(200);
  });
});
