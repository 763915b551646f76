import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { db } from '@/lib/db';
import { env, oidcEnabled } from '@/lib/env';
import { clientIp } from './sign-in-limits';
import { signInWithOidc } from './sign-in-with-oidc';
import { verifyCredentials } from './verify-credentials';

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

/**
 * next-auth configuration. Sessions are JWTs that carry only the user id: every request
 * reloads the user (lib/server/auth/current-actor.ts), so deactivation and role changes
 * apply at the user's next request.
 */
export function authOptions(): NextAuthOptions {
  const config = env();
  const providers: NextAuthOptions['providers'] = [
    CredentialsProvider({
      id: 'credentials',
      name: 'E-mail and password',
      credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) return null;
        return verifyCredentials({
          email: credentials.email,
          password: credentials.password,
          ip: clientIp(req.headers ?? {}),
        });
      },
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
      async jwt({ token, user, account }) {
        if (account?.provider === 'oidc') {
          const found = await db().user.findUnique({ where: { oidcSubject: account.providerAccountId }, select: { id: true } });
          if (found) token.uid = found.id;
        } else if (user) {
          token.uid = user.id;
        }
        return token;
      },
      async session({ session, token }) {
        session.userId = typeof token.uid === 'string' ? token.uid : undefined;
        return session;
      },
    },
  };
}
