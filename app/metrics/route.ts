import { timingSafeEqual } from 'node:crypto';
import { getMetrics } from '@/lib/api/endpoints/system';
import { unauthorized } from '@/lib/errors';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';
import { renderMetrics } from '@/lib/server/system/metrics';

export const dynamic = 'force-dynamic';

export const GET = route(getMetrics, async ({ request }) => {
  const expected = process.env.MODELDECK_METRICS_TOKEN;
  if (expected) {
    const given = Buffer.from(request.headers.get('authorization')?.replace(/^Bearer\s+/i, '') ?? '');
    const want = Buffer.from(expected);
    if (given.length !== want.length || !timingSafeEqual(given, want)) throw unauthorized('Send MODELDECK_METRICS_TOKEN as a Bearer token to read /metrics.');
  }
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { 'content-type': contentType } });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods('/metrics');
