import 'server-only';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Model, ModelVersion } from '@/lib/generated/prisma/client';
import { artifactStore } from '@/lib/server/registry/artifact-store';
import { presignedGetUrl, s3Settings, storageUri } from '@/lib/server/registry/artifact-stores/s3';
import { artifactRoot } from '@/lib/server/registry/artifact-stores/staging';
import { BackendError, type ArtifactSource } from './backends/types';

/**
 * Where a backend fetches a version's artifact from, with the sha256 it must verify before
 * loading. A version the backend cannot fetch or verify is refused before any traffic moves
 * (not retryable: waiting does not give it an artifact).
 */
export function artifactSourceFor(
  model: Pick<Model, 'name' | 'task'>,
  version: Pick<ModelVersion, 'version' | 'artifactKey' | 'artifactUri' | 'artifactSha256'>,
  options: { date?: Date } = {},
): ArtifactSource {
  const label = `${model.name} v${version.version}`;
  if (!version.artifactSha256) {
    throw new BackendError(`${label} has no artifact sha256 recorded, so its artifact cannot be verified before loading; upload the artifact or register it with its sha256.`, false);
  }
  let url: string;
  if (version.artifactKey && artifactStore().kind === 's3') {
    // Backends that fetch over HTTP (model server, webhook receivers) get a short-lived
    // presigned GET and need no S3 credentials; KServe reads the s3:// URI with its own.
    let settings: ReturnType<typeof s3Settings>;
    try {
      settings = s3Settings();
    } catch (error) {
      throw new BackendError(`${label}'s artifact is in the S3 artifact store, which cannot be used: ${(error as Error).message}`, false);
    }
    return {
      url: presignedGetUrl(settings, version.artifactKey, { date: options.date }).href,
      storageUri: storageUri(settings, version.artifactKey),
      sha256: version.artifactSha256,
      task: model.task,
    };
  } else if (version.artifactKey) {
    url = pathToFileURL(path.join(artifactRoot(), version.artifactKey)).href;
  } else if (version.artifactUri && /^(https?|file):\/\//i.test(version.artifactUri)) {
    url = version.artifactUri;
  } else {
    throw new BackendError(
      version.artifactUri
        ? `${label}'s artifact URI (${version.artifactUri}) is not one a backend can fetch: use file://, http:// or https://.`
        : `${label} has no artifact: upload one before deploying it.`,
      false,
    );
  }
  return { url, sha256: version.artifactSha256, task: model.task };
}
