// Runs a command under Node.js >= 22. When the running Node is older (the
// machines here ship Node 20, where libp2p and current tooling crash), it
// fetches Node 24 from the npm registry once (`npm pack node-<os>-<arch>@24`),
// caches it under .cache/ and puts it first on PATH for the command.
// Written for any Node >= 18: it must run before the right Node exists.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIN_MAJOR = 22;
const FETCH_MAJOR = 24;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function nodeBinDir() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= MIN_MAJOR) return dirname(process.execPath);
  const dir = join(root, '.cache', `node-${FETCH_MAJOR}-${process.platform}-${process.arch}`);
  const bin = join(dir, 'bin');
  if (existsSync(join(bin, process.platform === 'win32' ? 'node.exe' : 'node'))) return bin;
  const pkg = `node-${process.platform}-${process.arch}@${FETCH_MAJOR}`;
  process.stderr.write(
    `Node ${process.versions.node} is older than ${MIN_MAJOR}: fetching ${pkg} from the npm registry once...\n`,
  );
  const work = mkdtempSync(join(tmpdir(), 'openledger-node-'));
  try {
    const out = execFileSync('npm', ['pack', pkg, '--silent', '--pack-destination', work], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const tarball = join(work, out.trim().split('\n').pop());
    execFileSync('tar', ['xzf', tarball, '-C', work]);
    mkdirSync(dirname(dir), { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    // rename is atomic: a concurrent or interrupted run never sees half a Node.
    renameSync(join(work, 'package'), dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return bin;
}

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  process.stderr.write('usage: node scripts/node.mjs <command> [args...]\n');
  process.exit(2);
}
const bins = [nodeBinDir(), join(root, 'node_modules', '.bin')];
const env = { ...process.env, PATH: [...bins, process.env.PATH ?? ''].join(delimiter) };
const child = spawn(command, args, { stdio: 'inherit', env });
// The terminal sends Ctrl-C to the whole process group; the child decides
// how to stop, and this wrapper only reports how it ended.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (signal !== 'SIGINT') child.kill(signal);
  });
}
child.on('error', (err) => {
  process.stderr.write(`${command}: ${err.message}\n`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  process.exit(signal ? 128 + (constants.signals[signal] ?? 1) : (code ?? 1));
});
