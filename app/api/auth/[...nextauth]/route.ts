import NextAuth from 'next-auth';
import { authOptions } from '@/lib/server/auth/auth-options';
import { tooManyRequests } from '@/lib/errors';
import { problemResponse } from '@/lib/server/http/problem';

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built per request: they read configuration that does not exist at build time.
const handle = (request: Request, context: Context) => NextAuth(authOptions())(request, context);

export const GET = handle;

/**
 * The sign-in limit itself is enforced in `authorize` (lib/server/auth/verify-credentials.ts),
 * where next-auth's parsed credentials are. next-auth answers a refused attempt with a
 * redirect to `error=RateLimited`; HTTP clients get it as a 429 problem+json that keeps
 * next-auth's `url` field, so its client still shows the sign-in page's message.
 */
export async function POST(request: Request, context: Context) {
  const response = await handle(request, context);
  const { nextauth } = await context.params;
  if (nextauth.join('/') !== 'callback/credentials') return response;
  const target = response.headers.get('location') ?? (await redirectInJson(response));
  if (!target || new URL(target, request.url).searchParams.get('error') !== 'RateLimited') return response;
  const refused = problemResponse(
    tooManyRequests('Too many failed sign-in attempts. Wait 15 minutes and try again.'),
    crypto.randomUUID(),
    { url: new URL('/signin?error=RateLimited', target).toString() },
  );
  // next-auth may have set cookies (CSRF); a refused sign-in keeps them.
  for (const cookie of response.headers.getSetCookie()) refused.headers.append('set-cookie', cookie);
  return refused;
}

async function redirectInJson(response: Response): Promise<string | null> {
  if (!response.headers.get('content-type')?.includes('application/json')) return null;
  const body: unknown = await response.clone().json().catch(() => null);
  return body && typeof body === 'object' && 'url' in body && typeof body.url === 'string' ? body.url : null;
}
