/**
 * The desired state on disk: which versions each environment holds (with the sha256 of the
 * cached artifact) and how traffic is split. Written whole to a temp file, fsynced, then
 * renamed over state.json, so a crash leaves either the old or the new state, never half.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export const ZTask = z.enum(['classification', 'regression', 'other']);
export type Task = z.infer<typeof ZTask>;

const ZRoute = z.object({ version: z.string(), percent: z.number().int() });
const ZShadow = z.object({ version: z.string(), percent: z.number().int() });

const ZStoredVersion = z.object({
  version: z.string(),
  sha256: z.string(),
  task: ZTask,
  /** Relative to the state directory. */
  artifact: z.string(),
  loadedAt: z.string(),
});

const ZStoredModel = z.object({
  model: z.string(),
  versions: z.array(ZStoredVersion),
  routes: z.array(ZRoute),
  shadow: ZShadow.nullable(),
});

/** A streaming binding's settings, checked by serving/streaming.ts when it is restored. */
const ZStoredBinding = z.object({ environment: z.string(), model: z.string(), binding: z.record(z.string(), z.unknown()) });

const ZStoredState = z.object({
  format: z.literal(1),
  environments: z.array(z.object({ environment: z.string(), models: z.array(ZStoredModel) })),
  /** Absent in files written before streaming existed. */
  streaming: z.array(ZStoredBinding).optional(),
});

export type StoredVersion = z.infer<typeof ZStoredVersion>;
export type StoredModel = z.infer<typeof ZStoredModel>;
export type StoredState = z.infer<typeof ZStoredState>;
export type StoredBinding = z.infer<typeof ZStoredBinding>;
export type Route = z.infer<typeof ZRoute>;
export type Shadow = z.infer<typeof ZShadow>;

export class StateStore {
  readonly file: string;
  readonly artifactDir: string;
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly dir: string) {
    this.file = path.join(dir, 'state.json');
    this.artifactDir = path.join(dir, 'artifacts');
  }

  async init(): Promise<void> {
    await mkdir(this.artifactDir, { recursive: true });
    // Downloads interrupted by a crash are never resumed: their bytes were not verified.
    await rm(path.join(this.dir, 'incoming'), { recursive: true, force: true });
    await mkdir(path.join(this.dir, 'incoming'), { recursive: true });
  }

  incomingPath(): string {
    return path.join(this.dir, 'incoming', `${randomBytes(8).toString('hex')}.part`);
  }

  async read(): Promise<StoredState> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { format: 1, environments: [] };
      throw error;
    }
    const parsed = ZStoredState.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${this.file} is not a model server state file: ${parsed.error.message}`);
    return parsed.data;
  }

  /** Writes are queued so two changes never race on the temp file or land out of order. */
  write(state: StoredState): Promise<void> {
    const text = `${JSON.stringify(state, null, 2)}\n`;
    const next = this.writing.then(async () => {
      const temp = `${this.file}.${randomBytes(4).toString('hex')}.tmp`;
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
    });
    this.writing = next.catch(() => {});
    return next;
  }
}
