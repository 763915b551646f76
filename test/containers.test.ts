import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { projectRoot } from '@/lib/runtime/paths';

// No Docker engine runs where these tests run, so the images are never built here. This lint
// keeps the container files honest instead: every path and command they name exists, the
// settings they pass are documented, and the images keep their promises (multi-stage,
// non-root, health-checked, no build tools in the final stage).

const read = (file: string) => readFileSync(path.join(projectRoot, file), 'utf8');
const exists = (file: string) => existsSync(path.join(projectRoot, file));
const packageJson = JSON.parse(read('package.json')) as { scripts: Record<string, string> };

/** The variables in README.md's configuration table. */
const documentedSettings = new Set([...read('README.md').matchAll(/^\| `([A-Z0-9_]+)`(?:, `([A-Z0-9_]+)`)?/gm)].flatMap((m) => [m[1]!, m[2]].filter(Boolean) as string[]));

interface Instruction {
  keyword: string;
  args: string;
}

function instructions(file: string): Instruction[] {
  return read(file)
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword!.toUpperCase(), args: rest.join(' ') };
    });
}

function stages(file: string): Instruction[][] {
  const out: Instruction[][] = [];
  for (const instruction of instructions(file)) {
    if (instruction.keyword === 'FROM') out.push([]);
    out.at(-1)?.push(instruction);
  }
  return out;
}

/** Sources of COPY instructions that read the build context (not another stage). */
function contextSources(file: string): string[] {
  return instructions(file)
    .filter((i) => i.keyword === 'COPY' && !/--from=/.test(i.args))
    .flatMap((i) => i.args.split(/\s+/).filter((part) => !part.startsWith('--')).slice(0, -1))
    .filter((source) => source !== '.');
}

function checkImage(file: string, { cmdFiles }: { cmdFiles: string[] }) {
  const all = stages(file);
  expect(all.length, `${file} is multi-stage`).toBeGreaterThanOrEqual(2);
  const final = all.at(-1)!;
  const user = final.filter((i) => i.keyword === 'USER').at(-1);
  expect(user?.args, `${file}: the final stage runs as a non-root user`).toMatch(/^(?!root\b|0\b)\S+/);
  expect(final.some((i) => i.keyword === 'HEALTHCHECK'), `${file} has a HEALTHCHECK`).toBe(true);
  const finalRuns = final.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n');
  expect(finalRuns, `${file}: no package installs or builds in the final stage`).not.toMatch(/apt-get|apk add|npm (ci|install)|build-essential|gcc|g\+\+|python3?\b|make\b/);
  const npmCi = instructions(file).findIndex((i) => i.keyword === 'RUN' && /npm ci/.test(i.args));
  expect(npmCi, `${file} installs with npm ci`).toBeGreaterThan(-1);
  const env = instructions(file).slice(0, npmCi).filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' ');
  expect(env, `${file}: onnxruntime-node's download is skipped before npm ci (docs: OFFLINE)`).toContain('ONNXRUNTIME_NODE_INSTALL=skip');
  for (const source of contextSources(file)) expect(exists(source), `${file} copies ${source}, which exists`).toBe(true);
  const cmd = final.find((i) => i.keyword === 'CMD')!.args;
  for (const named of cmdFiles) {
    expect(cmd).toContain(named);
    if (named.includes('/')) expect(exists(named) || named.startsWith('node_modules/'), `${file}: CMD names ${named}`).toBe(true);
  }
}

describe('Dockerfile (dashboard)', () => {
  it('is multi-stage, non-root, health-checked, generates the Prisma client and builds the app in the build stage', () => {
    checkImage('Dockerfile', { cmdFiles: ['lib/cli/modeldeck.mjs', 'db migrate', 'node_modules/next/dist/bin/next'] });
    const build = stages('Dockerfile')[0]!.map((i) => i.args).join('\n');
    expect(build).toContain('node lib/cli/modeldeck.mjs db generate');
    expect(build).toContain('node lib/cli/modeldeck.mjs build');
    expect(build).toMatch(/npm prune --omit=dev/);
    expect(exists('node_modules/next/dist/bin/next')).toBe(true);
    const health = stages('Dockerfile').at(-1)!.find((i) => i.keyword === 'HEALTHCHECK')!.args;
    expect(health).toContain('/api/health');
    expect(exists('app/api/health/route.ts')).toBe(true);
  });

  it('.dockerignore keeps local state and build output out of the context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['node_modules', '.next', '.data', '.git', 'lib/generated']) expect(ignored).toContain(entry);
  });
});

const servingBuilt = exists('serving') && Boolean(packageJson.scripts.serve);

describe('deploy/model-server.Dockerfile', () => {
  it.skipIf(!servingBuilt)('(needs serving/ and `npm run serve`) is multi-stage, non-root, health-checked on /v2/health/ready', () => {
    checkImage('deploy/model-server.Dockerfile', { cmdFiles: ['npm', 'serve'] });
    expect(stages('deploy/model-server.Dockerfile').at(-1)!.find((i) => i.keyword === 'HEALTHCHECK')!.args).toContain('/v2/health/ready');
  });

  it('only copies what exists besides serving/, and starts `npm run serve`', () => {
    for (const source of contextSources('deploy/model-server.Dockerfile').filter((s) => s !== 'serving')) expect(exists(source), source).toBe(true);
    expect(read('deploy/model-server.Dockerfile')).toMatch(/CMD \["npm", "run", "serve"\]/);
  });
});

describe('deploy/docker-compose.yml', () => {
  const compose = parse(read('deploy/docker-compose.yml')) as {
    services: Record<string, { build?: { context: string; dockerfile: string }; environment?: Record<string, string>; healthcheck?: unknown; depends_on?: Record<string, { condition: string }> }>;
  };

  it('runs the dashboard, the model server, PostgreSQL and NATS, building from files that exist', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['dashboard', 'model-server', 'nats', 'postgres']);
    for (const service of Object.values(compose.services)) {
      if (!service.build) continue;
      const context = path.join('deploy', service.build.context);
      expect(exists(path.join(context, service.build.dockerfile)), service.build.dockerfile).toBe(true);
    }
    expect(compose.services.dashboard!.depends_on?.postgres?.condition).toBe('service_healthy');
    for (const name of ['postgres', 'nats']) expect(compose.services[name]!.healthcheck, name).toBeTruthy();
  });

  it("passes the dashboard only settings documented in README's configuration table", () => {
    for (const name of Object.keys(compose.services.dashboard!.environment!)) expect(documentedSettings, name).toContain(name);
  });

  it.skipIf(!servingBuilt)("(needs serving/) passes the model server only documented settings", () => {
    for (const name of Object.keys(compose.services['model-server']!.environment!)) expect(documentedSettings, name).toContain(name);
  });

  it('names every ${VARIABLE} it needs in deploy/.env.example', () => {
    const example = new Set([...read('deploy/.env.example').matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const used = new Set([...read('deploy/docker-compose.yml').matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]));
    for (const name of used) expect(example, name).toContain(name);
  });
});

interface Probe {
  httpGet?: { path: string };
}
interface Manifest {
  kind?: string;
  apiVersion?: string;
  metadata: { name: string };
  resources?: string[];
  stringData?: Record<string, string>;
  spec: {
    template: {
      spec: {
        securityContext: { runAsNonRoot?: boolean };
        containers: Array<{
          ports: Array<{ containerPort: number }>;
          env: Array<{ name: string }>;
          envFrom: Array<{ secretRef: { name: string } }>;
          startupProbe: Probe;
          readinessProbe: Probe;
        }>;
      };
    };
  };
}

describe('deploy/kubernetes', () => {
  const dir = 'deploy/kubernetes';
  const docs = readdirSync(path.join(projectRoot, dir))
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((file) => parseAllDocuments(read(path.join(dir, file))).map((doc) => ({ file, doc: doc.toJS() as Manifest })));

  it('parses, and kustomization.yaml lists files that exist', () => {
    for (const { file, doc } of docs) expect(doc.kind ?? doc.apiVersion, file).toBeTruthy();
    const kustomization = docs.find((d) => d.file === 'kustomization.yaml')!.doc;
    for (const resource of kustomization.resources ?? []) expect(exists(path.join(dir, resource)), resource).toBe(true);
  });

  it('runs the dashboard non-root, probes paths that exist, and sets only documented settings', () => {
    const deployment = docs.find((d) => d.doc.kind === 'Deployment')!.doc;
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    const container = pod.containers[0]!;
    expect(container.ports[0]!.containerPort).toBe(3000);
    expect(read('Dockerfile')).toMatch(/EXPOSE 3000/);
    for (const probe of [container.startupProbe, container.readinessProbe]) expect(probe.httpGet?.path).toBe('/api/health');
    const secret = docs.find((d) => d.doc.kind === 'Secret')!.doc;
    const names = [...container.env.map((e) => e.name), ...Object.keys(secret.stringData ?? {})];
    for (const name of names) expect(documentedSettings, name).toContain(name);
    expect(container.envFrom[0]!.secretRef.name).toBe(secret.metadata.name);
  });
});
