import NextAuth from 'next-auth';
import { authOptions } from '@/lib/server/auth/auth-options';
import { clientIp, signInBlocked } from '@/lib/server/auth/sign-in-limits';
import { tooManyRequests } from '@/lib/errors';
import { problemResponse } from '@/lib/server/http/problem';

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built per request: they read configuration that does not exist at build time.
const handle = (request: Request, context: Context) => NextAuth(authOptions())(request, context);

export const GET = handle;

/**
 * Password sign-ins are refused with 429 once the account or the client address has
 * failed 10 times in 15 minutes, before the password is even checked. The body keeps
 * next-auth's `url` field so its client reports `error=RateLimited`.
 */
export async function POST(request: Request, context: Context) {
  const { nextauth } = await context.params;
  if (nextauth.join('/') === 'callback/credentials') {
    const form = await request.clone().formData().catch(() => null);
    const email = String(form?.get('email') ?? '').trim().toLowerCase();
    if (await signInBlocked(email, clientIp(request.headers))) {
      return problemResponse(
        tooManyRequests('Too many failed sign-in attempts. Wait 15 minutes and try again.'),
        crypto.randomUUID(),
        { url: new URL('/signin?error=RateLimited', request.url).toString() },
      );
    }
  }
  return handle(request, context);
}
