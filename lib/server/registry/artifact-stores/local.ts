import 'server-only';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ArtifactStore } from '../artifact-store';
import { artifactRoot, maxArtifactBytes, stageToFile } from './staging';

/**
 * Artifacts as files under ARTIFACT_DIR (or artifacts/ in the data directory), one per
 * key. The staged file is renamed into place, so a refused upload leaves nothing behind
 * and a kept one is never half-written.
 */
export const localArtifactStore: ArtifactStore = {
  kind: 'local',

  async stage(body, limit = maxArtifactBytes()) {
    const staged = await stageToFile(body, limit);
    return {
      sha256: staged.sha256,
      size: staged.size,
      async commit(key) {
        const target = path.join(artifactRoot(), key);
        await mkdir(path.dirname(target), { recursive: true });
        await rename(staged.file, target);
        return key;
      },
      discard: () => rm(staged.file, { force: true }),
    };
  },

  async open(key) {
    const file = path.join(artifactRoot(), key);
    const { size } = await stat(file);
    return { stream: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, size };
  },

  async remove(key) {
    await rm(path.join(artifactRoot(), key), { force: true });
  },
};
