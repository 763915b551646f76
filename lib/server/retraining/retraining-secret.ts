import 'server-only';
import { openSecret, sealSecret } from '@/lib/crypto/secret-box';

/** Bound to the environment's id, so a sealed value copied onto another environment does not open. */
const context = (environmentId: string) => `retraining-webhook:${environmentId}`;

export const sealRetrainingSecret = (environmentId: string, secret: string) => sealSecret(secret, context(environmentId));
export const openRetrainingSecret = (environmentId: string, sealed: string) => openSecret(sealed, context(environmentId));
