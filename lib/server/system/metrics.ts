import 'server-only';
import { Counter, Gauge, Registry } from 'prom-client';
import { getBoss, QUEUES } from '@/lib/server/jobs/queue';

/**
 * The dashboard's Prometheus metrics (GET /metrics). One registry per process, kept on
 * globalThis so that Next.js loading this module in several bundles still counts once.
 */
function create() {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'modeldeck' });
  const httpRequests = new Counter({
    name: 'modeldeck_http_requests_total',
    help: 'REST requests answered, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const jobFailures = new Counter({
    name: 'modeldeck_job_failures_total',
    help: 'Job attempts that failed in this process (each is retried or, after the last retry, recorded as final), by queue.',
    labelNames: ['queue'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'modeldeck_job_queue_depth',
    help: 'Jobs waiting to run (created or waiting for a retry), by queue.',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      const boss = await getBoss();
      for (const queue of Object.values(QUEUES)) this.set({ queue }, await boss.getQueueSize(queue));
    },
  });
  return { registry, httpRequests, jobFailures };
}

const holder = globalThis as unknown as { __modeldeckMetrics?: ReturnType<typeof create> };
export const metrics = () => (holder.__modeldeckMetrics ??= create());

export function countHttpRequest(method: string, route: string, status: number): void {
  metrics().httpRequests.inc({ method, route, status: String(status) });
}

export function countJobFailure(queue: string): void {
  metrics().jobFailures.inc({ queue });
}

export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  const { registry } = metrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
