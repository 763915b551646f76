import { createHash, createPublicKey, verify } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { readTar } from './ustar';

// Pure (no server-only, no database): `npx modeldeck verify-bundle` runs it offline.

export const BUNDLE_FILES = { model: 'model.onnx', manifest: 'manifest.json', signature: 'manifest.json.sig' } as const;

const ZValueInfo = z.object({
  name: z.string(),
  type: z.string().nullable(),
  shape: z.array(z.union([z.number(), z.string()])).nullable(),
});

export const ZBundleManifest = z.object({
  name: z.string(),
  version: z.number().int(),
  format: z.literal('onnx'),
  features: z.array(z.object({ name: z.string(), type: z.string() })),
  inputs: z.array(ZValueInfo),
  outputs: z.array(ZValueInfo),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
  /** Present on a quantized variant's bundle: how model.onnx's weights are stored. */
  variant: z.enum(['float16', 'int8']).optional(),
});
export type BundleManifest = z.infer<typeof ZBundleManifest>;

export type BundleCheck = { ok: true; manifest: BundleManifest } | { ok: false; problem: string };

/**
 * Checks an edge bundle (.tar.gz) against the server's public key: the signature covers the
 * exact bytes of manifest.json, and manifest.json names the sha256 of model.onnx — so a
 * change to either file, or an added file, fails.
 */
export function verifyBundle(bundle: Uint8Array, publicKeyPem: string): BundleCheck {
  let files: Map<string, Buffer>;
  try {
    files = readTar(gunzipSync(bundle));
  } catch (error) {
    return { ok: false, problem: `Not a readable edge bundle (.tar.gz): ${error instanceof Error ? error.message : String(error)}` };
  }
  for (const name of Object.values(BUNDLE_FILES)) {
    if (!files.has(name)) return { ok: false, problem: `The bundle has no ${name}.` };
  }
  const extra = [...files.keys()].filter((name) => !(Object.values(BUNDLE_FILES) as string[]).includes(name));
  if (extra.length) return { ok: false, problem: `The bundle holds files the signature does not cover: ${extra.join(', ')}.` };

  let key;
  try {
    key = createPublicKey(publicKeyPem);
  } catch {
    return { ok: false, problem: 'The public key is not a PEM public key (GET /api/v1/signing-key gives it).' };
  }
  const manifestBytes = files.get(BUNDLE_FILES.manifest)!;
  const signature = Buffer.from(files.get(BUNDLE_FILES.signature)!.toString('ascii').trim(), 'base64');
  if (key.asymmetricKeyType !== 'ed25519' || !verify(null, manifestBytes, key, signature)) {
    return { ok: false, problem: 'The signature does not match manifest.json: the manifest was altered or signed by another key.' };
  }
  const parsed = ZBundleManifest.safeParse(safeJson(manifestBytes));
  if (!parsed.success) return { ok: false, problem: 'manifest.json is signed but is not an edge bundle manifest.' };
  const actual = createHash('sha256').update(files.get(BUNDLE_FILES.model)!).digest('hex');
  if (actual !== parsed.data.sha256) {
    return { ok: false, problem: `model.onnx has sha256 ${actual}, but the signed manifest says ${parsed.data.sha256}: the model was altered.` };
  }
  return { ok: true, manifest: parsed.data };
}

function safeJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}
