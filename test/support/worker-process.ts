import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/common/project-root.js';
import { waitFor } from './wait-for.js';

const LOCK_STALE_MS = 5 * 60_000;
const SOURCES = ['src', 'migrations', 'demo'];

/**
 * Compiles the entry points (the web and worker processes, and the demo) into dist/ when the
 * sources changed since the last compile, so tests can run them as separate processes. Jest may
 * run spec files in parallel worker processes: one compiles while the others wait on a lock
 * directory, then find the stamp newer than every source. One `tsc` over demo/tsconfig.json covers
 * src/, migrations/ and demo/; `nest build` would first empty dist/, under the feet of a process
 * another spec started from it.
 */
export async function buildApp(): Promise<void> {
  const root = projectRoot();
  const stamp = path.join(root, 'dist', '.test-build-stamp');
  const lock = path.join(root, '.test-build.lock');
  const fresh = () => existsSync(stamp) && statSync(stamp).mtimeMs > newestSource(root);
  let held = false;
  await waitFor(
    () => {
      if (fresh()) return true;
      try {
        mkdirSync(lock);
        held = true;
        return true;
      } catch {
        // Left by a run that was killed mid-build: nobody holds it any more.
        if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
        return false;
      }
    },
    { what: 'the test build lock', timeoutMs: LOCK_STALE_MS + 60_000, intervalMs: 200 },
  );
  if (!held) return;
  try {
    if (!fresh()) {
      await promisify(execFile)('npx', ['tsc', '-p', 'demo/tsconfig.json'], { cwd: root });
      writeFileSync(stamp, '');
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function newestSource(root: string): number {
  let newest = 0;
  for (const dir of SOURCES) {
    for (const entry of readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** `node dist/src/worker.js` with these variables: a worker process like production runs. */
export function startWorkerProcess(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [path.join(projectRoot(), 'dist/src/worker.js')], {
    cwd: projectRoot(),
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', DATABASE_CREATE: 'false', MIGRATIONS_RUN: 'false', ...env },
  });
  let output = '';
  // Also passed on to the test's own streams, which the test environment shows if the test fails.
  child.stdout.on('data', (chunk) => {
    output += chunk;
    process.stdout.write(chunk);
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
    process.stderr.write(chunk);
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))),
  );
  return { child, output: () => output, exited };
}
