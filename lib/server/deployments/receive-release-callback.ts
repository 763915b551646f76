import 'server-only';
import { db } from '@/lib/db';
import { AppError, conflict, notFound, unauthorized } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import { failRelease } from '@/lib/server/promotions/deploy-release';
import { goLive } from '@/lib/server/promotions/go-live';
import { lockRelease } from '@/lib/server/promotions/release-machine';
import { validationError } from '@/lib/server/http/problem';
import { verifySignature } from '@/lib/server/webhooks/sign-payload';
import { ZReleaseCallback, type ReleaseCallback } from '@/lib/validation/deployments';
import { openSecret } from '@/lib/crypto/secret-box';
import { backendSecretContext, resolveEnvironmentBackend } from './environment-backend';
import { recordProgress } from './rollout-progress';

const CALLBACK_ACTION = 'release.callback';
const REFUSED_ACTION = 'release.callback_refused';

async function refuse(releaseId: string, requestId: string, reason: string, error: AppError, details: object = {}): Promise<never> {
  await db().$transaction((tx) =>
    recordAudit(tx, { actor: null, action: REFUSED_ACTION, targetType: 'release', targetId: releaseId, after: { reason, ...details }, requestId }),
  );
  throw error;
}

/**
 * A signed status callback from an asynchronous backend (webhook). The signature is checked
 * first, with the secret of the release's environment backend, over the exact body bytes;
 * then the body. `succeeded` makes the release live and `failed` fails it, both through the
 * state machine under the release lock; `progressing` adds to its timeline. Refusals (bad
 * signature 401, finished release 409) are audited too.
 */
export async function receiveReleaseCallback(options: { releaseId: string; body: string; signature: string | null; requestId: string }) {
  const { releaseId, body, signature, requestId } = options;
  const release = await db().release.findUnique({ where: { id: releaseId }, select: { id: true, environmentId: true } });
  // Unsigned callers learn nothing, not even whether the release exists.
  if (!release) throw unauthorized('The callback cannot be verified: no release with this id awaits callbacks.');

  const resolved = await resolveEnvironmentBackend(release.environmentId).catch(() => null);
  const secret = resolved?.backend.asynchronous && resolved.row.secretSealed ? await openedSecret(release.environmentId) : null;
  if (!secret) {
    await refuse(releaseId, requestId, 'no_callback_backend', unauthorized("This release's environment has no asynchronous backend with a signing secret; callbacks cannot be verified."));
  }
  if (!signature || !verifySignature(secret!, body, signature)) {
    await refuse(releaseId, requestId, 'bad_signature', unauthorized('The X-ModelDeck-Signature header is missing, stale (over 5 minutes) or does not match the body and the signing secret.'));
  }

  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new AppError(400, 'malformed_json', `The request body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = ZReleaseCallback.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error, 'body');
  return apply(releaseId, parsed.data, requestId);
}

async function openedSecret(environmentId: string): Promise<string | null> {
  const row = await db().environmentBackend.findUnique({ where: { environmentId }, select: { secretSealed: true } });
  return row?.secretSealed ? openSecret(row.secretSealed, backendSecretContext(environmentId)) : null;
}

async function apply(releaseId: string, callback: ReleaseCallback, requestId: string) {
  const outcome = await db().$transaction(async (tx) => {
    const release = await lockRelease(tx, releaseId);
    if (!release) return { kind: 'missing' as const };
    if (release.status !== 'deploying') {
      await recordAudit(tx, {
        actor: null,
        action: REFUSED_ACTION,
        targetType: 'release',
        targetId: releaseId,
        after: { reason: 'release_finished', releaseStatus: release.status, callback: callback.status },
        requestId,
      });
      return { kind: 'finished' as const, status: release.status };
    }
    const traffic = callback.traffic ? ` (traffic: ${callback.traffic.map((t) => `v${t.version} ${t.percent} %`).join(' · ')})` : '';
    const message = `Backend callback: ${callback.status}${callback.reason ? ` — ${callback.reason}` : ''}${traffic}`;
    let status: string = release.status;
    if (callback.status === 'succeeded') {
      status = (await goLive(tx, release)).status;
      await recordProgress(releaseId, { phase: 'done', lastError: null, ...(callback.traffic ? { reportedTraffic: callback.traffic } : {}) }, message, tx);
    } else {
      await recordProgress(releaseId, callback.traffic ? { reportedTraffic: callback.traffic } : {}, message, tx);
    }
    await recordAudit(tx, {
      actor: null,
      action: CALLBACK_ACTION,
      targetType: 'release',
      targetId: releaseId,
      before: { status: release.status },
      after: { callback: callback.status, reason: callback.reason ?? null, traffic: callback.traffic ?? null, status },
      requestId,
    });
    return { kind: 'applied' as const, status };
  });
  if (outcome.kind === 'missing') throw notFound('No such release.');
  if (outcome.kind === 'finished') {
    throw conflict(`This release is already ${outcome.status.replace('_', ' ')}; callbacks are accepted only while it is deploying.`, 'release_finished');
  }
  if (callback.status === 'failed') {
    await failRelease(releaseId, `The deployment backend reported a failure: ${callback.reason ?? 'no reason given'}`);
    return { id: releaseId, status: 'failed', accepted: callback.status };
  }
  return { id: releaseId, status: outcome.status, accepted: callback.status };
}
