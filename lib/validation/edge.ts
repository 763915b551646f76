import { z } from 'zod';

export const ZSigningKey = z.object({
  algorithm: z.literal('Ed25519'),
  publicKey: z.string().describe('SPKI public key, PEM.'),
  fingerprint: z.string().describe('SHA256:<base64> of the PEM, to compare by eye.'),
  createdAt: z.iso.datetime(),
});
