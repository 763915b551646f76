import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { stopBoss } from '@/lib/server/jobs/queue';
import { startWorkers } from '@/lib/server/jobs/start-workers';
import { createTestUser } from '../helpers';
import { api, promote } from '../registry-api';

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

let artifactDir: string;
let engineer: Awaited<ReturnType<typeof createTestUser>>;
let reviewer: Awaited<ReturnType<typeof createTestUser>>;
let viewer: Awaited<ReturnType<typeof createTestUser>>;
let manager: Awaited<ReturnType<typeof createTestUser>>;

/** Every file under the artifact directory (the staging directory may exist, empty). */
async function storedFiles(): Promise<string[]> {
  const entries = await readdir(artifactDir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(artifactDir, path.join(entry.parentPath, entry.name)));
}

async function newModel(prefix = 'model', extra: Record<string, unknown> = {}) {
  const name = unique(prefix);
  const created = await api.createModel(engineer.token, { name, ...extra });
  expect(created.status, created.text).toBe(201);
  return name;
}

async function auditActions(targetId: string) {
  const entries = await db().auditEntry.findMany({ where: { targetId }, orderBy: { seq: 'asc' } });
  return entries.map((e) => e.action);
}

beforeAll(async () => {
  artifactDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-artifacts-'));
  process.env.ARTIFACT_DIR = artifactDir;
  [engineer, reviewer, viewer, manager] = await Promise.all([
    createTestUser(['engineer']),
    createTestUser(['reviewer']),
    createTestUser(['viewer']),
    createTestUser(['manager']),
  ]);
  await startWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopBoss();
  delete process.env.ARTIFACT_DIR;
  await rm(artifactDir, { recursive: true, force: true });
});

describe('models', () => {
  it('creates a model (201) with defaults, audited as model.create', async () => {
    const name = unique('churn');
    const response = await api.createModel(engineer.token, { name, description: 'Predicts churn', task: 'classification', team: 'growth', tags: ['tabular', 'tabular', 'gbm'] });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      name,
      description: 'Predicts churn',
      task: 'classification',
      team: 'growth',
      tags: ['tabular', 'gbm'],
      createdAt: expect.any(String),
      latestVersion: null,
    });
    const entry = await db().auditEntry.findFirstOrThrow({ where: { action: 'model.create', targetId: name } });
    expect(entry.actorId).toBe(engineer.user.id);
    expect(entry.after).toMatchObject({ name, team: 'growth' });

    const minimal = await api.createModel(engineer.token, { name: unique('minimal') });
    expect(minimal.body).toMatchObject({ description: '', task: 'other', team: null, tags: [] });
  });

  it('refuses a duplicate name with 409 model_exists, and nothing is audited for it', async () => {
    const name = await newModel('dup');
    const again = await api.createModel(engineer.token, { name });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('model_exists');
    expect(await auditActions(name)).toEqual(['model.create']);
  });

  it('refuses bad names and unknown fields with 422 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ name: 'Bad Name' }, 'name'],
      [{ name: 'UPPER' }, 'name'],
      [{ name: '-leading-dash' }, 'name'],
      [{ name: 'x'.repeat(65) }, 'name'],
      [{}, 'name'],
      [{ name: unique('ok'), task: 'clustering' }, 'task'],
      [{ name: unique('ok'), owner: 'me' }, 'owner'],
    ];
    for (const [json, field] of cases) {
      const response = await api.createModel(engineer.token, json);
      expect(response.status, JSON.stringify(json)).toBe(422);
      expect(Object.keys(response.body.errors), JSON.stringify(json)).toEqual([field]);
    }
    expect(await db().model.count({ where: { name: { in: ['Bad Name', 'UPPER', '-leading-dash'] } } })).toBe(0);
  });

  it('lists with q, tag, team and task filters, and pages by name without gaps or repeats', async () => {
    const team = unique('team');
    const names = [
      await newModel('fraud-a', { team, task: 'classification', tags: ['payments'], description: 'Card FRAUD scoring' }),
      await newModel('fraud-b', { team, task: 'regression', tags: ['payments', 'realtime'] }),
      await newModel('eta', { team, task: 'regression', tags: ['logistics'] }),
      await newModel('eta-2', { team, task: 'regression', tags: ['logistics'] }),
      await newModel('other', { team: unique('team'), task: 'classification', tags: ['payments'] }),
    ];
    const namesOf = (body: { items: { name: string }[] }) => body.items.map((m) => m.name);

    const byTeam = await api.listModels(viewer.token, `?team=${team}`);
    expect(byTeam.status).toBe(200);
    expect(namesOf(byTeam.body)).toEqual(names.slice(0, 4).sort());
    expect(byTeam.body.items[0]).toMatchObject({ versionCount: 0, live: [] });

    expect(namesOf((await api.listModels(viewer.token, `?team=${team}&tag=payments`)).body)).toEqual([names[0], names[1]].sort());
    expect(namesOf((await api.listModels(viewer.token, `?team=${team}&task=classification`)).body)).toEqual([names[0]]);
    // q matches the name or the description, case-insensitively.
    expect(namesOf((await api.listModels(viewer.token, `?team=${team}&q=fraud`)).body)).toEqual([names[0], names[1]].sort());
    expect(namesOf((await api.listModels(viewer.token, `?q=card%20fraud`)).body)).toEqual([names[0]]);
    expect(namesOf((await api.listModels(viewer.token, `?team=${team}&tag=nothing-has-this`)).body)).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof api.listModels>> = await api.listModels(
        viewer.token,
        `?team=${team}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...namesOf(page.body));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen).toEqual(names.slice(0, 4).sort());

    const badLimit = await api.listModels(viewer.token, '?limit=0');
    expect(badLimit.status).toBe(422);
    expect(Object.keys(badLimit.body.errors)).toEqual(['limit']);
    const badTask = await api.listModels(viewer.token, '?task=clustering');
    expect(badTask.status).toBe(422);
  });

  it('gets a model with a lane for every environment (404 for an unknown one)', async () => {
    const name = await newModel('lanes');
    const response = await api.getModel(viewer.token, name);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name, latestVersion: null, versions: [], history: [] });
    expect(response.body.environments.map((e: { environment: string }) => e.environment)).toEqual(['development', 'staging', 'production']);
    expect(response.body.environments.every((e: { liveVersion: null; pending: null }) => e.liveVersion === null && e.pending === null)).toBe(true);

    const missing = await api.getModel(viewer.token, 'no-such-model');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('not_found');
    // A name that is not a slug names nothing either.
    expect((await api.getModel(viewer.token, 'Not A Slug')).status).toBe(404);
  });
});

describe('versions', () => {
  it('numbers versions 1, 2, 3 with lineage, audited as version.register', async () => {
    const name = await newModel('numbered');
    const first = await api.registerVersion(engineer.token, name, {
      format: 'onnx',
      metrics: { accuracy: 0.91, f1: 0.88 },
      params: { lr: 0.01, optimizer: 'adam' },
      gitCommit: 'ABCDEF1234567',
      dataset: 's3://data/churn/2026-01',
      features: [
        { name: 'age', type: 'numeric' },
        { name: 'plan', type: 'categorical' },
      ],
      modelCard: '# Churn',
      artifactUri: 's3://models/churn/1.onnx',
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      model: name,
      version: 1,
      status: 'active',
      format: 'onnx',
      metrics: { accuracy: 0.91, f1: 0.88 },
      gitCommit: 'abcdef1234567',
      artifact: { uri: 's3://models/churn/1.onnx', sha256: null, size: null, stored: false },
      parentVersion: null,
    });
    const second = await api.registerVersion(engineer.token, name, { parentVersion: 1 });
    const third = await api.registerVersion(engineer.token, name, { parentVersion: 2 });
    expect([second.body.version, third.body.version]).toEqual([2, 3]);
    expect(third.body.parentVersion).toBe(2);

    const fetched = await api.getVersion(viewer.token, name, 3);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ version: 3, parentVersion: 2, liveHistory: [] });
    expect((await api.getVersion(viewer.token, name, 4)).status).toBe(404);
    expect((await api.getModel(viewer.token, name)).body.latestVersion).toBe(3);

    expect(await auditActions(`${name}@1`)).toEqual(['version.register']);
    const entry = await db().auditEntry.findFirstOrThrow({ where: { action: 'version.register', targetId: `${name}@3` } });
    expect(entry.after).toMatchObject({ version: 3, parentVersion: 2 });
  });

  it('numbers 20 concurrent registrations 1..20 with no gaps or duplicates', async () => {
    const name = await newModel('concurrent');
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => api.registerVersion(engineer.token, name, { metrics: { i } })));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    const numbers = responses.map((r) => r.body.version as number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const rows = await db().modelVersion.findMany({ where: { model: { name } }, orderBy: { version: 'asc' } });
    expect(rows.map((r) => r.version)).toEqual(numbers);
    expect((await db().model.findUniqueOrThrow({ where: { name } })).lastVersion).toBe(20);
    expect(await db().auditEntry.count({ where: { action: 'version.register', targetId: { startsWith: `${name}@` } } })).toBe(20);
  });

  it('refuses an unknown parentVersion, unknown fields and bad values with 422, registering nothing', async () => {
    const name = await newModel('refused');
    const unknownParent = await api.registerVersion(engineer.token, name, { parentVersion: 7 });
    expect(unknownParent.status).toBe(422);
    expect(Object.keys(unknownParent.body.errors)).toEqual(['parentVersion']);

    const cases: [unknown, string][] = [
      [{ weights: 'x' }, 'weights'],
      [{ features: [{ name: 'a', type: 'numeric', extra: 1 }] }, 'features.0.extra'],
      [{ features: [{ name: 'a', type: 'numeric' }, { name: 'a', type: 'categorical' }] }, 'features'],
      [{ gitCommit: 'not-hex' }, 'gitCommit'],
      [{ artifactSha256: 'abc' }, 'artifactSha256'],
      [{ metrics: { accuracy: 'high' } }, 'metrics.accuracy'],
      [{ format: 'zip' }, 'format'],
      [{ parentVersion: 0 }, 'parentVersion'],
    ];
    for (const [json, field] of cases) {
      const response = await api.registerVersion(engineer.token, name, json);
      expect(response.status, JSON.stringify(json)).toBe(422);
      expect(Object.keys(response.body.errors), JSON.stringify(json)).toEqual([field]);
    }
    expect(await db().modelVersion.count({ where: { model: { name } } })).toBe(0);
    // The counter was not bumped by the refused registrations: the next version is 1.
    expect((await api.registerVersion(engineer.token, name, {})).body.version).toBe(1);
  });

  it('404s a registration for an unknown model', async () => {
    const response = await api.registerVersion(engineer.token, 'no-such-model', {});
    expect(response.status).toBe(404);
  });
});

describe('artifacts', () => {
  it('stores uploaded bytes with their sha256 and size, and downloads them identically', async () => {
    const name = await newModel('artifact');
    await api.registerVersion(engineer.token, name, { format: 'onnx' });
    const bytes = randomBytes(256 * 1024 + 7);
    const uploaded = await api.upload(engineer.token, name, 1, bytes);
    expect(uploaded.status, uploaded.text).toBe(200);
    expect(uploaded.body).toEqual({ sha256: sha256(bytes), size: bytes.length });

    const downloaded = await api.download(viewer.token, name, 1);
    expect(downloaded.status).toBe(200);
    expect(downloaded.headers.get('x-artifact-sha256')).toBe(sha256(bytes));
    expect(downloaded.headers.get('content-length')).toBe(String(bytes.length));
    expect(downloaded.headers.get('content-disposition')).toContain(`${name}-v1.onnx`);
    expect(Buffer.from(downloaded.bytes).equals(bytes)).toBe(true);

    const version = await api.getVersion(viewer.token, name, 1);
    expect(version.body.artifact).toEqual({ uri: null, sha256: sha256(bytes), size: bytes.length, stored: true });
    expect(await storedFiles()).toContain(path.join(name, '1', sha256(bytes)));

    const entry = await db().auditEntry.findFirstOrThrow({ where: { action: 'version.upload_artifact', targetId: `${name}@1` } });
    expect(entry.after).toEqual({ sha256: sha256(bytes), size: bytes.length });
  });

  it('keeps an artifact immutable: a second upload is 409 artifact_exists and changes nothing', async () => {
    const name = await newModel('immutable');
    await api.registerVersion(engineer.token, name, {});
    const original = randomBytes(1000);
    expect((await api.upload(engineer.token, name, 1, original)).status).toBe(200);
    const filesBefore = await storedFiles();

    const second = await api.upload(engineer.token, name, 1, randomBytes(1000));
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('artifact_exists');
    expect(await storedFiles()).toEqual(filesBefore);
    const downloaded = await api.download(viewer.token, name, 1);
    expect(Buffer.from(downloaded.bytes).equals(original)).toBe(true);
  });

  it('refuses bytes that do not match the sha256 declared at registration (422 sha256_mismatch) and keeps nothing', async () => {
    const name = await newModel('mismatch');
    const expected = randomBytes(2048);
    await api.registerVersion(engineer.token, name, { artifactSha256: sha256(expected).toUpperCase() });
    const filesBefore = await storedFiles();

    const wrong = await api.upload(engineer.token, name, 1, randomBytes(2048));
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('sha256_mismatch');
    expect(Object.keys(wrong.body.errors)).toEqual(['sha256']);
    expect(await storedFiles()).toEqual(filesBefore);
    expect((await storedFiles()).some((file) => file.startsWith(`${name}${path.sep}`))).toBe(false);
    const version = await api.getVersion(viewer.token, name, 1);
    expect(version.body.artifact).toMatchObject({ sha256: sha256(expected), size: null, stored: false });
    expect((await api.download(viewer.token, name, 1)).status).toBe(404);
    expect(await auditActions(`${name}@1`)).toEqual(['version.register']);

    // A header contradicting the registration is refused before any byte is read.
    const contradicting = await api.upload(engineer.token, name, 1, expected, { 'x-artifact-sha256': sha256('something else') });
    expect(contradicting.status).toBe(422);
    expect(contradicting.body.code).toBe('sha256_mismatch');

    // An empty header declares nothing; the registration's sha256 still applies.
    const emptyHeader = await api.upload(engineer.token, name, 1, randomBytes(2048), { 'x-artifact-sha256': '' });
    expect(emptyHeader.status).toBe(422);
    expect(emptyHeader.body.code).toBe('sha256_mismatch');
    expect(await storedFiles()).toEqual(filesBefore);

    // The right bytes are still accepted afterwards.
    const right = await api.upload(engineer.token, name, 1, expected);
    expect(right.status).toBe(200);
    expect(right.body.sha256).toBe(sha256(expected));
  });

  it('refuses bytes that do not match the X-Artifact-Sha256 header (422) and keeps nothing', async () => {
    const name = await newModel('header');
    await api.registerVersion(engineer.token, name, {});
    const bytes = randomBytes(4096);
    const filesBefore = await storedFiles();

    const wrong = await api.upload(engineer.token, name, 1, bytes, { 'x-artifact-sha256': sha256('other bytes') });
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('sha256_mismatch');
    expect(await storedFiles()).toEqual(filesBefore);
    const row = await db().modelVersion.findFirstOrThrow({ where: { model: { name }, version: 1 } });
    expect(row).toMatchObject({ artifactKey: null, artifactSha256: null, artifactSize: null });

    const notHex = await api.upload(engineer.token, name, 1, bytes, { 'x-artifact-sha256': 'xyz' });
    expect(notHex.status).toBe(422);
    expect(await storedFiles()).toEqual(filesBefore);

    const right = await api.upload(engineer.token, name, 1, bytes, { 'x-artifact-sha256': sha256(bytes) });
    expect(right.status).toBe(200);
    expect(right.body).toEqual({ sha256: sha256(bytes), size: bytes.length });
  });

  it('refuses an upload larger than ARTIFACT_MAX_BYTES (413) and keeps nothing', async () => {
    const name = await newModel('too-large');
    await api.registerVersion(engineer.token, name, {});
    const filesBefore = await storedFiles();
    process.env.ARTIFACT_MAX_BYTES = '1000';
    try {
      const response = await api.upload(engineer.token, name, 1, randomBytes(5000));
      expect(response.status).toBe(413);
      expect(response.body.code).toBe('payload_too_large');
    } finally {
      delete process.env.ARTIFACT_MAX_BYTES;
    }
    expect(await storedFiles()).toEqual(filesBefore);
    expect((await db().modelVersion.findFirstOrThrow({ where: { model: { name } } })).artifactKey).toBeNull();
  });

  it('refuses an empty upload (400) and 404s unknown versions', async () => {
    const name = await newModel('empty');
    await api.registerVersion(engineer.token, name, {});
    const filesBefore = await storedFiles();
    const empty = await api.upload(engineer.token, name, 1, new Uint8Array());
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('empty_body');
    expect(await storedFiles()).toEqual(filesBefore);
    expect((await api.upload(engineer.token, name, 2, 'bytes')).status).toBe(404);
    expect((await api.download(viewer.token, name, 1)).status).toBe(404);
  });
});

describe('archiving', () => {
  it('archives a version that is not live; refuses a live one (409); archived versions cannot be promoted', async () => {
    const name = await newModel('archive');
    await api.registerVersion(engineer.token, name, {});
    await api.registerVersion(engineer.token, name, {});
    await promote(engineer.token, reviewer.token, name, 1, 'development');

    const live = await api.archive(engineer.token, name, 1);
    expect(live.status).toBe(409);
    expect(live.body.code).toBe('version_in_use');
    expect(live.body.detail).toMatch(/live in development/);

    const archived = await api.archive(engineer.token, name, 2);
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({ version: 2, status: 'archived' });
    const again = await api.archive(engineer.token, name, 2);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_archived');

    const promotion = await api.requestPromotion(engineer.token, name, 2, { environment: 'development' });
    expect(promotion.status).toBe(422);
    expect(promotion.body.code).toBe('version_archived');
    expect(await auditActions(`${name}@2`)).toEqual(['version.register', 'version.archive']);
    expect((await api.archive(engineer.token, name, 9)).status).toBe(404);
  });
});

describe('authorization', () => {
  it('refuses every registry mutation to viewers and managers (403) and to anonymous callers (401)', async () => {
    const name = await newModel('guarded');
    await api.registerVersion(engineer.token, name, {});
    const mutations = (token: string | undefined) => [
      api.createModel(token, { name: unique('nope') }),
      api.registerVersion(token, name, {}),
      api.upload(token, name, 1, 'bytes'),
      api.archive(token, name, 1),
      api.requestPromotion(token, name, 1, { environment: 'development' }),
    ];
    for (const [who, token, status] of [
      ['viewer', viewer.token, 403],
      ['manager', manager.token, 403],
      ['anonymous', undefined, 401],
    ] as const) {
      const responses = await Promise.all(mutations(token));
      expect(responses.map((r) => r.status), who).toEqual(Array(responses.length).fill(status));
      for (const response of responses) expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    expect(await db().modelVersion.count({ where: { model: { name } } })).toBe(1);
    const row = await db().modelVersion.findFirstOrThrow({ where: { model: { name } } });
    expect(row).toMatchObject({ status: 'active', artifactKey: null });
    expect(await db().release.count({ where: { versionId: row.id } })).toBe(0);
    // Reading is allowed to viewers.
    expect((await api.getModel(viewer.token, name)).status).toBe(200);
    expect((await api.getModel(manager.token, name)).status).toBe(200);
  });
});
