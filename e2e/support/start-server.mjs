// Starts ModelDeck for the end-to-end tests: a fresh embedded database (seeded with the
// demo scenario by `modeldeck start`) and the production build on the e2e port.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';

const port = process.env.E2E_PORT ?? '3210';
const dataDir = path.resolve(process.env.E2E_DATA_DIR ?? '.data/e2e');
rmSync(dataDir, { recursive: true, force: true });

const env = { ...process.env, PORT: port, MODELDECK_DATA_DIR: dataDir, EMBEDDED_PG_PORT: process.env.E2E_PG_PORT ?? '54339' };
delete env.DATABASE_URL;
delete env.NEXTAUTH_URL;
delete env.NEXTAUTH_SECRET;

const child = spawn(process.execPath, ['bin/modeldeck.mjs', 'start'], { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
