import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { db } from '@/lib/db';
import { env, oidcEnabled } from '@/lib/env';
import { clientAddress } from '@/lib/security/forwarded';
import { sameOriginPath } from '@/lib/security/safe-redirect';
import { createSession, SESSION_MAX_AGE_SECONDS } from './sessions';
import { signInWithOidc } from './sign-in-with-oidc';
import { signOutSession } from './sign-out';
import { verifyCredentials } from './verify-credentials';


/**
 * The credentials provider's `authorize`: next-auth hands over what it parsed from the form
 * or JSON body (for a repeated field, the last value), and this is the only place that
 * checks and counts it. A SignInRateLimitedError's message, RateLimited, reaches the
 * sign-in page as `error=RateLimited`.
 */
export async function authorizeCredentials(
  credentials: Record<string, unknown> | undefined,
  req: { headers?: Record<string, string | string[] | undefined> },
) {
  const email = credentials?.email;
  const password = credentials?.password;
  if (typeof email !== 'string' || typeof password !== 'string' || !email || !password) return null;
  return verifyCredentials({ email, password, ip: clientAddress(req.headers ?? {}) });
}

/**
 * next-auth configuration. Sessions are JWTs that carry the user id and the id of a
 * server-side session row: every request reloads both (lib/server/auth/current-actor.ts),
 * so sign-out, revocation, deactivation and role changes apply at the next request.
 */
export function authOptions(): NextAuthOptions {
  const config = env();
  const providers: NextAuthOptions['providers'] = [
    CredentialsProvider({
      id: 'credentials',
      name: 'E-mail and password',
      credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Password', type: 'password' } },
      authorize: authorizeCredentials,
    }),
  ];
  if (oidcEnabled() && config.OIDC_ISSUER) {
    providers.push({
      id: 'oidc',
      name: config.OIDC_DISPLAY_NAME,
      type: 'oauth',
      wellKnown: `${config.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/openid-configuration`,
      clientId: config.OIDC_CLIENT_ID,
      clientSecret: config.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: 'openid email profile' } },
      idToken: true,
      checks: ['pkce', 'state'],
      profile(profile: Record<string, unknown>) {
        return {
          id: String(profile.sub),
          email: typeof profile.email === 'string' ? profile.email : null,
          name: typeof profile.name === 'string' ? profile.name : null,
        };
      },
    });
  }

  return {
    secret: config.NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/signin', error: '/signin' },
    providers,
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== 'oidc') return true;
        return (await signInWithOidc((profile ?? {}) as Record<string, unknown>)) !== null;
      },
      // Only same-origin destinations: `baseUrl` is the origin the browser used (or NEXTAUTH_URL).
      redirect({ url, baseUrl }) {
        const path = sameOriginPath(url, baseUrl);
        return path ? `${baseUrl}${path}` : baseUrl;
      },
      async jwt({ token, user, account }) {
        // `account` is only present at sign-in: that is when a server-side session starts.
        if (account?.provider === 'oidc') {
          const found = await db().user.findUnique({ where: { oidcSubject: account.providerAccountId }, select: { id: true } });
          if (found) {
            token.uid = found.id;
            token.sid = await createSession(found.id);
          }
        } else if (account && user) {
          token.uid = user.id;
          token.sid = await createSession(user.id);
        }
        return token;
      },
      async session({ session, token }) {
        session.userId = typeof token.uid === 'string' ? token.uid : undefined;
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid === 'string') await signOutSession({ sessionId: token.sid });
      },
    },
  };
}
