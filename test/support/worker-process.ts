import { type ChildProcess, execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/common/project-root.js';

/** Compiles the app once, so tests can run the real entry points as separate processes. */
export async function buildApp(): Promise<void> {
  await promisify(execFile)('npx', ['nest', 'build'], { cwd: projectRoot() });
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
