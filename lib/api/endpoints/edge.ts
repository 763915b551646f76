import { defineEndpoint } from '../contract';
import { ZEdgeBundleQuery, ZModelVariants, ZSigningKey } from '@/lib/validation/edge';
import { ZVersionParams } from '@/lib/validation/registry';

export const downloadEdgeBundle = defineEndpoint({
  method: 'GET',
  path: '/api/v1/models/{name}/versions/{version}/edge-bundle',
  tag: 'Edge',
  summary: 'Download a signed edge bundle (.tar.gz) of an ONNX version',
  description:
    '`?variant=float16|int8` bundles a quantized copy instead of the original (its manifest then carries `variant`, and `sha256` is the variant\'s); 422 `variant_unavailable` when the graph has no weight tensor to shrink. The archive holds model.onnx, manifest.json (name, version, format, features, the graph\'s inputs and outputs, the sha256 of model.onnx, createdAt) and manifest.json.sig (base64 Ed25519 signature over the exact bytes of manifest.json). Check it offline with `npx modeldeck verify-bundle <file> --public-key <pem>`. 409 `no_stored_artifact` when the artifact is not uploaded into ModelDeck; 422 `not_onnx` or `invalid_onnx` when it is not an ONNX model.',
  auth: 'user',
  permission: 'models:read',
  params: ZVersionParams,
  query: ZEdgeBundleQuery,
  produces: 'application/gzip',
  errors: [404, 409, 422, 502],
});

export const listModelVariants = defineEndpoint({
  method: 'GET',
  path: '/api/v1/models/{name}/versions/{version}/variants',
  tag: 'Edge',
  summary: 'The quantized variants of an ONNX version: size and measured difference from the original',
  description:
    'For each variant (float16: weights stored as IEEE half floats; int8: weights stored as int8 with one symmetric scale per tensor, dequantized at load) whether the graph allows it, its size in bytes, and per output the largest and mean absolute difference from the original and the share of equal values, measured now with onnxruntime on the version\'s reference (rows drawn column by column from the uploaded reference) or, for the demo models, their held-out rows. Download one with `GET …/edge-bundle?variant=`.',
  auth: 'user',
  permission: 'models:read',
  params: ZVersionParams,
  response: ZModelVariants,
  errors: [404, 409, 422, 502],
});

export const getSigningKey = defineEndpoint({
  method: 'GET',
  path: '/api/v1/signing-key',
  tag: 'Edge',
  summary: 'The public key edge bundles are signed with',
  description: 'The key pair is generated on first use (audited as `signing_key.create`); the private key is stored sealed with MODELDECK_ENCRYPTION_KEY.',
  auth: 'user',
  permission: 'models:read',
  response: ZSigningKey,
  errors: [503],
});
