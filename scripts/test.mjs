// Runs every test (unit tests beside each package, end-to-end tests in test/)
// with node's test runner on the built output, then prints the closing line
// `N passed, N failed`. Extra arguments are passed to `node --test`
// (e.g. `npm test -- --test-name-pattern viem`).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, '.test-results');
mkdirSync(resultsDir, { recursive: true });
const tapFile = join(resultsDir, 'results.tap');

const patterns = [
  'packages/*/dist/test/**/*.test.js',
  'sequencer/dist/test/**/*.test.js',
  'node/dist/test/**/*.test.js',
  'test/dist/src/**/*.test.js',
];
const args = [
  '--test',
  '--test-concurrency=2',
  '--test-timeout=180000',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=tap',
  `--test-reporter-destination=${tapFile}`,
  ...process.argv.slice(2),
  ...patterns,
];
const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => {
  let passed = 0;
  let failed = 0;
  try {
    const tap = readFileSync(tapFile, 'utf8');
    passed = Number(/^# pass (\d+)$/m.exec(tap)?.[1] ?? 0);
    failed =
      Number(/^# fail (\d+)$/m.exec(tap)?.[1] ?? 0) + Number(/^# cancelled (\d+)$/m.exec(tap)?.[1] ?? 0);
  } catch {
    failed = Math.max(failed, 1);
  }
  if (signal !== null || (code !== 0 && failed === 0)) failed = Math.max(failed, 1);
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  process.exit(code ?? 1);
});
