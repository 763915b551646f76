#!/usr/bin/env node
// Runs the TypeScript CLI (lib/cli/main.ts) through tsx. The `react-server` condition
// makes `server-only` imports resolve to nothing, so the CLI can call the same domain
// services as the app.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const child = spawn(
  process.execPath,
  ['--conditions=react-server', '--import', import.meta.resolve('tsx'), main, ...process.argv.slice(2)],
  // tsx looks for tsconfig.json (the `@/` paths) from the working directory; CI jobs and edge
  // devices run the pipeline commands from their own directories.
  { stdio: 'inherit', env: { ...process.env, TSX_TSCONFIG_PATH: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) } },
);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1));
});
