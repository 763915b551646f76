import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as requestPromotionRoute } from '@/app/api/v1/models/[name]/versions/[version]/promotions/route';
import { GET as downloadRoute, PUT as uploadRoute } from '@/app/api/v1/models/[name]/versions/[version]/artifact/route';
import { GET as getVersionRoute } from '@/app/api/v1/models/[name]/versions/[version]/route';
import { POST as registerVersionRoute } from '@/app/api/v1/models/[name]/versions/route';
import { POST as createModelRoute } from '@/app/api/v1/models/route';
import { GET as getPromotionRoute } from '@/app/api/v1/promotions/[id]/route';
import { db } from '@/lib/db';
import { EXIT, type CommandIo } from '@/lib/cli/commands/io';
import { promoteCommand } from '@/lib/cli/commands/promote';
import { registerCommand } from '@/lib/cli/commands/register';
import { waitCommand } from '@/lib/cli/commands/wait';
import { stopBoss } from '@/lib/server/jobs/queue';
import { startWorkers } from '@/lib/server/jobs/start-workers';
import { createTestUser } from '../helpers';
import { serveRoutes } from '../http-adapter';
import { api } from '../registry-api';

// The CLI runs in-process against the real route handlers served over real HTTP by
// test/http-adapter.ts (a `next build` + `next start` per run would cost minutes of the
// shared CPUs for no more coverage of the CLI).
let server: Awaited<ReturnType<typeof serveRoutes>>;
let workDir: string;
let artifactDir: string;
let engineer: Awaited<ReturnType<typeof createTestUser>>;
let reviewer: Awaited<ReturnType<typeof createTestUser>>;
let viewer: Awaited<ReturnType<typeof createTestUser>>;

function cli(token: string | undefined, env: Record<string, string> = {}) {
  const io = {
    env: { MODELDECK_URL: server.url, ...(token ? { MODELDECK_TOKEN: token } : {}), ...env },
    cwd: workDir,
    out: '',
    err: '',
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
  };
  return io satisfies CommandIo;
}

const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-cli-'));
  artifactDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-cli-artifacts-'));
  process.env.ARTIFACT_DIR = artifactDir;
  [engineer, reviewer, viewer] = await Promise.all([createTestUser(['engineer']), createTestUser(['reviewer']), createTestUser(['viewer'])]);
  await writeFile(path.join(workDir, 'model.onnx'), randomBytes(4096));
  await writeFile(path.join(workDir, 'metrics.json'), JSON.stringify({ auc: 0.91, f1: 0.8 }));
  await writeFile(path.join(workDir, 'params.json'), JSON.stringify({ depth: 6, lr: 0.1 }));
  await writeFile(path.join(workDir, 'broken.json'), '{ auc: ');
  server = await serveRoutes([
    ['POST', '/api/v1/models', createModelRoute],
    ['POST', '/api/v1/models/{name}/versions', registerVersionRoute],
    ['GET', '/api/v1/models/{name}/versions/{version}', getVersionRoute],
    ['PUT', '/api/v1/models/{name}/versions/{version}/artifact', uploadRoute],
    ['GET', '/api/v1/models/{name}/versions/{version}/artifact', downloadRoute],
    ['POST', '/api/v1/models/{name}/versions/{version}/promotions', requestPromotionRoute],
    ['GET', '/api/v1/promotions/{id}', getPromotionRoute],
  ]);
  // An environment that needs one approval and nothing else, so a release waits for a reviewer.
  await db().environment.create({ data: { name: 'reviewed', position: 50, requiredApprovals: 1 } });
  await startWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopBoss();
  await server.close();
  delete process.env.ARTIFACT_DIR;
  await rm(workDir, { recursive: true, force: true });
  await rm(artifactDir, { recursive: true, force: true });
});

describe('modeldeck register', () => {
  it('creates the model, registers the next version with metrics, params and the CI commit, uploads the artifact; prints the version', async () => {
    const name = unique('cli');
    const args = ['--model', name, '--artifact', 'model.onnx', '--metrics', 'metrics.json', '--params', 'params.json'];
    const first = cli(engineer.token, { GITHUB_SHA: 'abc1234def5678' });
    expect(await registerCommand(args, first), first.err).toBe(EXIT.ok);
    expect(first.out).toBe('1\n');

    const second = cli(engineer.token, { CI_COMMIT_SHA: 'fedcba9876543' });
    expect(await registerCommand(args, second), second.err).toBe(EXIT.ok);
    expect(second.out).toBe('2\n');

    const v1 = await api.getVersion(engineer.token, name, 1);
    expect(v1.body).toMatchObject({ format: 'onnx', metrics: { auc: 0.91, f1: 0.8 }, params: { depth: 6, lr: 0.1 }, gitCommit: 'abc1234def5678' });
    expect(v1.body.artifact).toMatchObject({ stored: true, size: 4096 });
    expect(v1.body.artifact.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await api.getVersion(engineer.token, name, 2)).body.gitCommit).toBe('fedcba9876543');
    const download = await api.download(engineer.token, name, 1);
    expect(download.status).toBe(200);
    expect(download.bytes.length).toBe(4096);
  });

  it('exit codes: 2 for wrong arguments or settings (nothing sent), 4 when the server refuses, 5 when it cannot be reached', async () => {
    const missing = cli(engineer.token);
    expect(await registerCommand(['--model', 'x'], missing)).toBe(EXIT.usage);
    const noToken = cli(undefined);
    expect(await registerCommand(['--model', 'x', '--artifact', 'model.onnx'], noToken)).toBe(EXIT.usage);
    expect(noToken.err).toContain('MODELDECK_TOKEN is not set');
    const badJson = cli(engineer.token);
    expect(await registerCommand(['--model', 'x', '--artifact', 'model.onnx', '--metrics', 'broken.json'], badJson)).toBe(EXIT.usage);
    expect(badJson.err).toContain('--metrics');
    const badParent = cli(engineer.token);
    expect(await registerCommand(['--model', 'x', '--artifact', 'model.onnx', '--parent', 'latest'], badParent)).toBe(EXIT.usage);
    expect(badParent.err).toContain('--parent must be a version number');

    const forbidden = cli(viewer.token);
    expect(await registerCommand(['--model', unique('cli'), '--artifact', 'model.onnx'], forbidden)).toBe(EXIT.refused);
    expect(forbidden.err).toContain('403');
    const badToken = cli('md_wrong');
    expect(await registerCommand(['--model', unique('cli'), '--artifact', 'model.onnx'], badToken)).toBe(EXIT.refused);
    expect(badToken.err).toContain('401');

    const down = cli(engineer.token, { MODELDECK_URL: 'http://127.0.0.1:9' });
    expect(await registerCommand(['--model', unique('cli'), '--artifact', 'model.onnx'], down)).toBe(EXIT.unavailable);
    expect(down.err).toContain('Cannot reach ModelDeck at http://127.0.0.1:9');
  });
});

describe('modeldeck promote and wait', () => {
  async function registered() {
    const name = unique('cli');
    const io = cli(engineer.token);
    expect(await registerCommand(['--model', name, '--artifact', 'model.onnx', '--metrics', 'metrics.json'], io), io.err).toBe(EXIT.ok);
    return name;
  }

  it('promote --wait exits 0 once the release is live', async () => {
    const name = await registered();
    const io = cli(engineer.token);
    const code = await promoteCommand(['--model', name, '--version', '1', '--environment', 'development', '--wait', '--interval', '0.2', '--timeout', '30'], io);
    expect(code, io.err).toBe(EXIT.ok);
    const [releaseId, status] = io.out.trim().split('\n');
    expect(releaseId).toMatch(/^[0-9a-f-]{36}$/);
    expect(status).toBe('live');
    expect((await api.getVersion(engineer.token, name, 1)).body.liveHistory).toEqual([expect.objectContaining({ environment: 'development' })]);
  });

  it('wait exits 3 while a release awaits approval, and 1 once it is rejected', async () => {
    const name = await registered();
    const promote = cli(engineer.token);
    expect(await promoteCommand(['--model', name, '--version', '1', '--environment', 'reviewed'], promote), promote.err).toBe(EXIT.ok);
    const releaseId = promote.out.trim();

    const pending = cli(engineer.token);
    expect(await waitCommand([releaseId, '--timeout', '0.3', '--interval', '0.1'], pending)).toBe(EXIT.timeout);
    expect(pending.out).toBe('pending_approval\n');
    expect(pending.err).toContain('still pending_approval');

    expect((await api.reject(reviewer.token, releaseId, { comment: 'AUC regression on the holdout' })).status).toBe(200);
    const rejected = cli(engineer.token);
    expect(await waitCommand([releaseId, '--timeout', '5', '--interval', '0.1'], rejected)).toBe(EXIT.failed);
    expect(rejected.out).toBe('rejected\n');
  });

  it('promote exits 4 with the gate that failed', async () => {
    const name = await registered();
    const io = cli(engineer.token);
    expect(await promoteCommand(['--model', name, '--version', '1', '--environment', 'production'], io)).toBe(EXIT.refused);
    expect(io.err).toContain('422 gate_failed');
    expect(io.err).toContain('previous_environment: v1 has never been live in staging.');
    expect(io.out).toBe('');
  });

  it('promote exits 4 when the server refuses (unknown environment), wait exits 4 for an unknown release and 2 without an id', async () => {
    const name = await registered();
    const refused = cli(engineer.token);
    expect(await promoteCommand(['--model', name, '--version', '1', '--environment', 'moon'], refused)).toBe(EXIT.refused);
    expect(refused.err).toMatch(/404.*moon/);
    const unknown = cli(engineer.token);
    expect(await waitCommand(['00000000-0000-4000-8000-000000000000', '--timeout', '1'], unknown)).toBe(EXIT.refused);
    expect(await waitCommand([], cli(engineer.token))).toBe(EXIT.usage);
    expect(await promoteCommand(['--model', name, '--environment', 'development'], cli(engineer.token))).toBe(EXIT.usage);
  });
});
