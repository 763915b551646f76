import { releaseCallback } from '@/lib/api/endpoints/deployments';
import { payloadTooLarge } from '@/lib/errors';
import { receiveReleaseCallback } from '@/lib/server/deployments/receive-release-callback';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';

const MAX_CALLBACK_BYTES = 64 * 1024;

// The signature covers the exact body bytes, so the body is read here rather than parsed by the wrapper.
export const POST = route(releaseCallback, async ({ params, request, ctx }) => {
  if (Number(request.headers.get('content-length') ?? 0) > MAX_CALLBACK_BYTES) throw payloadTooLarge(`A callback body is at most ${MAX_CALLBACK_BYTES} bytes.`);
  const body = await request.text();
  if (Buffer.byteLength(body) > MAX_CALLBACK_BYTES) throw payloadTooLarge(`A callback body is at most ${MAX_CALLBACK_BYTES} bytes.`);
  return receiveReleaseCallback({ releaseId: params.id, body, signature: request.headers.get('x-modeldeck-signature'), requestId: ctx.requestId });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/releases/{id}/callback');
