// `npm test`: unit and integration tests (Vitest, real PostgreSQL), then a production
// build and the end-to-end specs (Playwright, Chromium). Ends with one summary line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const results = path.join(root, '.data', 'test-results');
mkdirSync(results, { recursive: true });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

function step(title, command, args, extraEnv = {}) {
  process.stdout.write(`\n=== ${title} ===\n`);
  const started = Date.now();
  const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } });
  process.stdout.write(`=== ${title}: ${status === 0 ? 'ok' : `failed (exit ${status})`} in ${Math.round((Date.now() - started) / 1000)} s ===\n`);
  return status === 0;
}

const vitestJson = path.join(results, 'vitest.json');
const playwrightJson = path.join(results, 'playwright.json');
const unitOk = step('unit and integration tests', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const buildOk = step('production build', bin('next'), ['build']);
const e2eOk = buildOk && step('end-to-end tests', bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson });

let passed = 0;
let failed = buildOk ? 0 : 1;
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
}
if (buildOk && existsSync(playwrightJson)) {
  const p = JSON.parse(readFileSync(playwrightJson, 'utf8')).stats;
  passed += p.expected + p.flaky;
  failed += p.unexpected;
}
process.stdout.write(`\ntests: ${passed} passed, ${failed} failed\n`);
// The counts are checked too: a runner's exit code alone has been known to lie.
process.exit(unitOk && buildOk && e2eOk && failed === 0 ? 0 : 1);
