import 'server-only';
import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { db } from '@/lib/db';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { openSecret, sealSecret } from '@/lib/crypto/secret-box';

const PURPOSE = 'edge-bundle';
/** Associated data of the sealed private key: it opens only as this purpose's signing key. */
const SEAL_CONTEXT = `signing-key:${PURPOSE}`;
export const SIGNING_ALGORITHM = 'Ed25519';

/** The public half, as GET /api/v1/signing-key publishes it. */
export async function getSigningPublicKey(ctx: RequestContext) {
  const key = await loadOrCreateKey(ctx);
  return { algorithm: SIGNING_ALGORITHM, publicKey: key.publicKey, fingerprint: fingerprint(key.publicKey), createdAt: key.createdAt.toISOString() };
}

/** The private key edge bundles are signed with (generated, sealed and audited on first use). */
export async function getSigningPrivateKey(ctx: RequestContext): Promise<KeyObject> {
  const key = await loadOrCreateKey(ctx);
  return createPrivateKey(openSecret(key.privateKeySealed, SEAL_CONTEXT));
}

/** sha256 of the SPKI PEM: short enough to compare by eye, e.g. in the audit log. */
export function fingerprint(publicKeyPem: string): string {
  return `SHA256:${createHash('sha256').update(publicKeyPem).digest('base64').replace(/=+$/, '')}`;
}

async function loadOrCreateKey(ctx: RequestContext) {
  const existing = await db().signingKey.findUnique({ where: { purpose: PURPOSE } });
  if (existing) return existing;
  const pair = generateKeyPairSync('ed25519');
  const publicKey = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const privateKeySealed = sealSecret(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), SEAL_CONTEXT);
  await db().$transaction(async (tx) => {
    // Concurrent first requests all try: the unique purpose makes the later inserts wait for
    // the first commit and then insert nothing, so exactly one key exists and one entry is audited.
    const { count } = await tx.signingKey.createMany({
      data: [{ purpose: PURPOSE, algorithm: SIGNING_ALGORITHM, publicKey, privateKeySealed }],
      skipDuplicates: true,
    });
    if (count === 0) return;
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'signing_key.create',
      targetType: 'signing_key',
      targetId: PURPOSE,
      after: { algorithm: SIGNING_ALGORITHM, fingerprint: fingerprint(publicKey) },
      requestId: ctx.requestId,
    });
  });
  return db().signingKey.findUniqueOrThrow({ where: { purpose: PURPOSE } });
}
