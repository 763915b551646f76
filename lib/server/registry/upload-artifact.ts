import 'server-only';
import { db } from '@/lib/db';
import { badRequest, conflict, unprocessable } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { logger } from '@/lib/server/logger';
import { artifactStore } from './artifact-store';
import { findVersionOrThrow } from './find-model';

/**
 * Stores a version's artifact. The sha256 to check against is the one declared at
 * registration or in the X-Artifact-Sha256 header; a mismatch is refused and nothing is
 * kept. An artifact, once stored, is immutable.
 */
export async function uploadArtifact(
  ctx: RequestContext,
  options: { model: string; version: number; body: ReadableStream<Uint8Array> | null; declaredSha256?: string | null },
) {
  const version = await findVersionOrThrow(options.model, options.version);
  if (version.artifactKey) throw conflict(`${options.model} v${options.version} already has an artifact; register a new version instead.`, 'artifact_exists');
  if (!options.body) throw badRequest('Send the artifact bytes as the request body.', 'empty_body');
  // An empty header (e.g. an unset shell variable) declares nothing: it must not switch off
  // the check against the sha256 declared at registration.
  const header = options.declaredSha256?.trim().toLowerCase() || null;
  const declared = header ?? version.artifactSha256;
  if (header && !/^[0-9a-f]{64}$/.test(header)) {
    throw unprocessable('X-Artifact-Sha256 must be 64 hexadecimal characters.', { 'x-artifact-sha256': ['Not a sha256.'] });
  }
  if (header && version.artifactSha256 && header !== version.artifactSha256) {
    throw unprocessable('X-Artifact-Sha256 differs from the sha256 declared at registration.', {
      'x-artifact-sha256': [`Registration declared ${version.artifactSha256}.`],
    }, 'sha256_mismatch');
  }

  const store = artifactStore();
  const staged = await store.stage(options.body);
  if (staged.size === 0) {
    await staged.discard();
    throw badRequest('The artifact is empty.', 'empty_body');
  }
  if (declared && staged.sha256 !== declared) {
    await staged.discard();
    throw unprocessable(`The upload's sha256 is ${staged.sha256}, not the declared ${declared}; nothing was stored.`, {
      sha256: [`Expected ${declared}, received ${staged.sha256}.`],
    }, 'sha256_mismatch');
  }
  const key = await staged.commit(`${version.model.name}/${version.version}/${staged.sha256}`);
  try {
    return await db().$transaction(async (tx) => {
      // Only the first of two concurrent uploads can set the key.
      const { count } = await tx.modelVersion.updateMany({
        where: { id: version.id, artifactKey: null },
        data: { artifactKey: key, artifactSha256: staged.sha256, artifactSize: BigInt(staged.size) },
      });
      if (count === 0) throw conflict(`${options.model} v${options.version} already has an artifact.`, 'artifact_exists');
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'version.upload_artifact',
        targetType: 'model_version',
        targetId: `${version.model.name}@${version.version}`,
        after: { sha256: staged.sha256, size: staged.size },
        requestId: ctx.requestId,
        at: ctx.at,
      });
      return { sha256: staged.sha256, size: staged.size };
    });
  } catch (error) {
    // The same bytes land under the same key, so only remove it when no row points at it.
    const current = await db().modelVersion.findUnique({ where: { id: version.id }, select: { artifactKey: true } });
    if (current?.artifactKey !== key) {
      // The caller needs the error that stopped the upload, not a failed clean-up's.
      await store.remove(key).catch((removeError: unknown) =>
        logger().error({ err: removeError, key, store: store.kind }, 'could not remove an artifact no version points at'),
      );
    }
    throw error;
  }
}
