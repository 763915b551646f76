import { z } from 'zod';

export const ZSigningKey = z.object({
  algorithm: z.literal('Ed25519'),
  publicKey: z.string().describe('SPKI public key, PEM.'),
  fingerprint: z.string().describe('SHA256:<base64> of the PEM, to compare by eye.'),
  createdAt: z.iso.datetime(),
});

export const ZModelVariant = z.enum(['float16', 'int8']);

export const ZEdgeBundleQuery = z.object({
  variant: ZModelVariant.optional().describe('Bundle a smaller copy of the graph: weights stored as float16, or as int8 with one scale per tensor. Omit for the original.'),
});

const ZOutputDifference = z.object({
  name: z.string(),
  maxAbsDiff: z.number(),
  meanAbsDiff: z.number(),
  agreement: z.number().describe('Share of values exactly equal to the original\'s (labels).'),
});

export const ZModelVariants = z.object({
  originalBytes: z.number().int(),
  evaluation: z.object({
    source: z.enum(['reference', 'demo_held_out']).nullable(),
    rows: z.number().int(),
    description: z.string(),
  }),
  variants: z.array(
    z.object({
      variant: ZModelVariant,
      available: z.boolean(),
      reason: z.string().nullable(),
      bytes: z.number().int().nullable(),
      outputs: z.array(ZOutputDifference).nullable().describe('Measured against the original on the evaluation rows; null when there are none.'),
    }),
  ),
});
export type ModelVariants = z.infer<typeof ZModelVariants>;
