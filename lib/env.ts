import 'server-only';
import { z } from 'zod';

/**
 * Server configuration, parsed once on first use (not at import, so `next build`
 * runs without a database or secrets). Every variable is documented in README.md.
 */
const ZEnv = z.object({
  DATABASE_URL: z
    .string({ error: 'DATABASE_URL is not set. Start ModelDeck with `npm start` (embedded database) or set it to a postgresql:// URL.' })
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgresql:// URL.'),
  NEXTAUTH_SECRET: z
    .string({ error: 'NEXTAUTH_SECRET is not set. Generate one with `openssl rand -base64 32` and export it.' })
    .min(16, 'NEXTAUTH_SECRET must be at least 16 characters; generate one with `openssl rand -base64 32`.'),
  NEXTAUTH_URL: z.url('NEXTAUTH_URL must be the public URL of ModelDeck, e.g. https://modeldeck.example.com').optional(),
  OIDC_ISSUER: z.url('OIDC_ISSUER must be the issuer URL of your identity provider.').optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_DISPLAY_NAME: z.string().min(1).default('SSO'),
  OIDC_ROLE_CLAIM: z.string().min(1).default('groups'),
  OIDC_ROLE_MAP: z.string().default(''),
  OIDC_DEFAULT_ROLES: z.string().default('viewer'),
  TRUSTED_PROXY_HOPS: z.coerce
    .number({ error: 'TRUSTED_PROXY_HOPS must be a whole number (0 without a reverse proxy, 1 behind one proxy).' })
    .int('TRUSTED_PROXY_HOPS must be a whole number (0 without a reverse proxy, 1 behind one proxy).')
    .min(0, 'TRUSTED_PROXY_HOPS must be 0 or more.')
    .default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof ZEnv>;

let parsed: Env | undefined;

export function env(): Env {
  if (parsed) return parsed;
  const result = ZEnv.safeParse(process.env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  - ${issue.message}`);
    throw new Error(`ModelDeck configuration is invalid:\n${lines.join('\n')}`);
  }
  const value = result.data;
  const oidcParts = [value.OIDC_ISSUER, value.OIDC_CLIENT_ID, value.OIDC_CLIENT_SECRET];
  if (oidcParts.some(Boolean) && !oidcParts.every(Boolean)) {
    throw new Error(
      'ModelDeck configuration is invalid:\n  - SSO needs all of OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (or none of them).',
    );
  }
  parsed = value;
  return value;
}

/** Only the database URL: enough for the CLI, the seed and the migration runner. */
export function databaseUrl(): string {
  const value = process.env.DATABASE_URL;
  if (!value) throw new Error('DATABASE_URL is not set. Start ModelDeck with `npm start` (embedded database) or set it to a postgresql:// URL.');
  return value;
}

export function oidcEnabled(): boolean {
  return Boolean(process.env.OIDC_ISSUER && process.env.OIDC_CLIENT_ID && process.env.OIDC_CLIENT_SECRET);
}
