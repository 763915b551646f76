// Next.js calls register() once when the server starts: this is where the job workers
// (release deployments, webhook deliveries) begin polling the queue.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.MODELDECK_WORKERS === 'off') return;
  const { startWorkers } = await import('@/lib/server/jobs/start-workers');
  await startWorkers();
}
