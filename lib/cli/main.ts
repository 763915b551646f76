import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, type DatabaseHandle } from '@/lib/runtime/database';
import { applyMigrations, createMigration } from '@/lib/runtime/migrate';
import { dataDir, projectRoot } from '@/lib/runtime/paths';
import { loadOrCreateLocalSecrets, storeLocalSecrets } from '@/lib/runtime/secrets';
import { startEmbeddedModelServer, type EmbeddedModelServer } from './model-server';

const HELP = `modeldeck — run and operate ModelDeck

  modeldeck start                     migrate, seed a new embedded database, build if needed, serve
  modeldeck dev                       the same with the Next.js development server
  modeldeck build                     production build (next build)
  modeldeck db migrate                apply pending migrations
  modeldeck db migration <name>       write a migration for the changes in prisma/schema.prisma
  modeldeck db seed                   add the demo scenario (idempotent)
  modeldeck db generate               generate the Prisma client
  modeldeck token create --email <e> --name <n> [--expires-in-days <d>]
                                      create an API token for a user; prints only the token
  modeldeck user create --email <e> --name <n> --role <r> [--role <r>…]
                                      create a user; prints a temporary password

Pipeline commands (talk to MODELDECK_URL with the API token in MODELDECK_TOKEN; see docs/ci.md):
  modeldeck register --model <m> --artifact <file> [--metrics <json>] [--params <json>] …
  modeldeck promote --model <m> --version <n> --environment <env> [--wait]
  modeldeck wait <release id> [--timeout <seconds>]
  modeldeck verify-bundle <bundle.tar.gz> --public-key <pem>   (offline)

The database is DATABASE_URL when set, otherwise the embedded PostgreSQL under .data/.`;

const log = (line: string) => process.stderr.write(`${line}\n`);
// The migration engine narrates its start-up; only the migrations it applies matter here.
const migrationLog = (line: string) => {
  if (line.startsWith('Applying')) log(line);
};

async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  switch (command) {
    case 'start':
      return serve('start');
    case 'dev':
      return serve('dev');
    case 'build':
      return runNext(['build'], process.env);
    case 'db':
      return db(sub, rest);
    case 'token':
      if (sub === 'create') return createToken(rest);
      break;
    case 'user':
      if (sub === 'create') return createUserCommand(rest);
      break;
    case 'register':
    case 'promote':
    case 'wait':
    case 'verify-bundle':
      return (await import('./commands/dispatch')).runPipelineCommand(command, argv.slice(1));
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${HELP}\n`);
      return 0;
  }
  log(`Unknown command: ${argv.join(' ')}\n\n${HELP}`);
  return 2;
}

/** Opens the database and runs `fn` with DATABASE_URL pointing at it; stops an embedded server it started. */
async function withDatabase<T>(fn: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await openDatabase(log);
  process.env.DATABASE_URL = handle.url;
  try {
    return await fn(handle);
  } finally {
    await handle.stop();
  }
}

async function db(sub: string | undefined, args: string[]): Promise<number> {
  switch (sub) {
    case 'generate':
      return run(process.execPath, [path.join(projectRoot, 'node_modules/prisma/build/index.js'), 'generate'], {
        ...process.env,
        // prisma generate only checks that an engine file exists; it does not run it (see docs/decisions).
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
      });
    case 'migrate':
      return withDatabase(async (handle) => {
        const { applied } = await applyMigrations(handle.url, { log: migrationLog });
        log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The database is up to date.');
        return 0;
      });
    case 'migration': {
      const name = args[0];
      if (!name) {
        log('Usage: npm run db:migration -- <name>   (e.g. add_model_tags)');
        return 2;
      }
      return withDatabase(async (handle) => {
        const { folder, sql } = await createMigration(name, handle.url);
        if (!folder) {
          log('prisma/schema.prisma has no changes that a migration does not already capture.');
          return 0;
        }
        log(`Wrote ${path.relative(projectRoot, folder)}/migration.sql:\n${sql}`);
        return 0;
      });
    }
    case 'seed':
      return withDatabase(async (handle) => {
        await applyMigrations(handle.url, { log: migrationLog });
        const { seedDemo, printDemoSignIns } = await import('@/prisma/seed/demo');
        const result = await seedDemo();
        log(`Seeded: ${result.created} user(s) created, ${result.existing} already there; ${result.models} model(s) added.`);
        printDemoSignIns(log);
        return 0;
      });
  }
  log(`Unknown db command "${sub ?? ''}". Use migrate, migration <name>, seed or generate.`);
  return 2;
}

async function serve(mode: 'start' | 'dev'): Promise<number> {
  const port = process.env.PORT ?? '3000';
  const handle = await openDatabase(log);
  try {
    const secret = process.env.NEXTAUTH_SECRET ?? (handle.embedded ? loadOrCreateLocalSecrets().nextAuthSecret : undefined);
    if (!secret) {
      log('NEXTAUTH_SECRET is not set. With DATABASE_URL (production mode) it is required: generate one with `openssl rand -base64 32` and export it.');
      return 1;
    }
    process.env.DATABASE_URL = handle.url;
    const { applied } = await applyMigrations(handle.url, { log: migrationLog });
    if (applied.length) log(`Applied ${applied.length} migration(s).`);

    const localSecrets = handle.embedded ? loadOrCreateLocalSecrets() : null;
    if (localSecrets) process.env.MODELDECK_ENCRYPTION_KEY ??= localSecrets.encryptionKey;

    let modelServer: EmbeddedModelServer | null = null;
    if (localSecrets) {
      const withModelServer = process.env.MODELDECK_MODEL_SERVER?.trim().toLowerCase() !== 'off';
      const { seedDemo, printDemoSignIns, hasUsers } = await import('@/prisma/seed/demo');
      const isNew = !(await hasUsers());
      if (isNew) {
        log('New embedded database: adding the demo scenario.');
        await seedDemo();
        printDemoSignIns(log);
        const { demoHistoryDays } = await import('@/lib/server/demo/demo-history-settings');
        const { queueDemoHistory } = await import('@/lib/server/demo/queue-demo-history');
        const { stopBoss } = await import('@/lib/server/jobs/queue');
        const days = demoHistoryDays();
        if (await queueDemoHistory(days)) {
          log(`The demo models' last ${days} days of monitoring history are generated in the background once the server is up (progress: GET /api/v1/demo/history, and the log).`);
        }
        await stopBoss();
      }
      const modelServerToken = process.env.MODEL_SERVER_TOKEN ?? localSecrets.modelServerToken;
      if (withModelServer) {
        const report = await reportingFor(port, localSecrets.modelServerReportToken);
        modelServer = await startEmbeddedModelServer({
          port: process.env.MODEL_SERVER_PORT ?? '8090',
          token: modelServerToken,
          report,
          stateDir: process.env.MODEL_SERVER_STATE_DIR ?? path.join(dataDir, 'model-server'),
        }).catch((error: unknown) => {
          log(`${error instanceof Error ? error.message : String(error)} Deployments will fail until a model server answers.`);
          return null;
        });
      }
      if (modelServer) {
        log(`Model server listening at ${modelServer.url}`);
        if (isNew) {
          const { seedDeploymentBackends, serveLiveReleases } = await import('@/prisma/seed/deployments');
          const configured = await seedDeploymentBackends({ url: modelServer.url, token: modelServerToken });
          if (configured) {
            const { loaded, failures } = await serveLiveReleases();
            log(`The demo environments deploy to the model server at ${modelServer.url}; ${loaded} live version(s) loaded.`);
            for (const failure of failures) log(`Not loaded: ${failure}`);
          }
        }
      }
    }

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: handle.url,
      NEXTAUTH_SECRET: secret,
      PORT: port,
      // The server always sees a DATABASE_URL, so the embedded-mode default is decided here.
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS || String(handle.embedded),
    };
    if (!process.env.NEXTAUTH_URL) {
      // No public URL configured: next-auth builds its redirects from the host the browser
      // used (the Host header, or a trusted proxy's X-Forwarded-Host), so someone who opened
      // http://127.0.0.1:3000 is not sent to http://localhost:3000 after signing out.
      env.AUTH_TRUST_HOST = 'true';
    }
    if (mode === 'start' && !existsSync(path.join(projectRoot, '.next', 'BUILD_ID'))) {
      log('No production build yet: building (this takes a minute or two) …');
      const built = await runNext(['build'], env);
      if (built !== 0) return built;
    }
    log(`ModelDeck is starting at http://localhost:${port}`);
    try {
      if (mode === 'dev') return await runNext(['dev', '--port', port], env);
      // Our own server in front of Next's handler: it knows the socket's address (lib/runtime/serve.ts).
      return await run(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(projectRoot, 'lib', 'runtime', 'serve.ts')], {
        ...env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
      });
    } finally {
      await modelServer?.stop();
    }
  } finally {
    await handle.stop();
  }
}

/**
 * The embedded model server reports its predictions to this dashboard as the
 * `model-server@modeldeck.local` service user; its token is kept in .data/secrets.json.
 * An explicit MODEL_SERVER_REPORT_URL (passed through the environment) takes precedence.
 */
async function reportingFor(port: string, known: string | undefined): Promise<{ url: string; token: string } | null> {
  if (process.env.MODEL_SERVER_REPORT_URL) return null;
  try {
    const { ensureServiceToken, MODEL_SERVER_ACCOUNT } = await import('@/lib/server/tokens/ensure-service-token');
    const { token, created } = await ensureServiceToken(MODEL_SERVER_ACCOUNT, known);
    if (created) {
      storeLocalSecrets({ modelServerReportToken: token });
      log(`Created an API token for ${MODEL_SERVER_ACCOUNT.email}: the model server reports predictions with it.`);
    }
    return { url: `http://127.0.0.1:${port}`, token };
  } catch (error) {
    log(`Predictions will not be reported to the monitoring pages: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

async function createToken(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' }, 'expires-in-days': { type: 'string' } },
  });
  if (!values.email || !values.name) {
    log('Usage: modeldeck token create --email <user e-mail> --name <token name> [--expires-in-days <days>]');
    return 2;
  }
  return withDatabase(async () => {
    const { db } = await import('@/lib/db');
    const { createApiToken } = await import('@/lib/server/tokens/create-api-token');
    const { ZCreateTokenForm } = await import('@/lib/validation/tokens');
    const user = await db().user.findUnique({ where: { email: values.email!.toLowerCase() } });
    if (!user) {
      log(`No user with the e-mail ${values.email}.`);
      return 1;
    }
    if (!user.active) {
      log(`${user.email} is deactivated; reactivate the user first.`);
      return 1;
    }
    const input = ZCreateTokenForm.safeParse({ name: values.name, expiresInDays: values['expires-in-days'] });
    if (!input.success) {
      log(input.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n'));
      return 2;
    }
    const { token } = await createApiToken({ userId: user.id, input: input.data, actor: null });
    process.stdout.write(`${token}\n`);
    return 0;
  });
}

async function createUserCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', multiple: true } },
  });
  return withDatabase(async (handle) => {
    await applyMigrations(handle.url, { log: migrationLog });
    const { createUser } = await import('@/lib/server/users/create-user');
    const { ZCreateUser } = await import('@/lib/validation/users');
    const input = ZCreateUser.safeParse({ email: values.email, name: values.name ?? values.email, roles: values.role ?? [] });
    if (!input.success) {
      log(input.error.issues.map((issue) => `--${issue.path.join('.') || 'input'}: ${issue.message}`).join('\n'));
      log('Usage: modeldeck user create --email <e-mail> --name <name> --role admin');
      return 2;
    }
    const { user, temporaryPassword } = await createUser({ input: input.data, actor: null });
    log(`Created ${user.email} (${user.roles.join(', ')}). Temporary password:`);
    process.stdout.write(`${temporaryPassword}\n`);
    return 0;
  });
}

function runNext(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const nextBin = path.join(projectRoot, 'node_modules', 'next', 'dist', 'bin', 'next');
  return run(process.execPath, [nextBin, ...args], { ...env, NEXT_TELEMETRY_DISABLED: '1' });
}

/** Runs a child with inherited stdio, passing on Ctrl-C and termination. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env, cwd: projectRoot });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward).on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      resolve(code ?? (signal ? 0 : 1));
    });
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
