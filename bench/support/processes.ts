import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/common/project-root.js';

export const dist = (file: string) => path.join(projectRoot(), 'dist', file);

/** A child node process whose stdout lines can be waited for. */
export class Child {
  private lines: string[] = [];
  private waiters: Array<() => void> = [];
  readonly exited: Promise<number | null>;

  constructor(readonly process: ChildProcess) {
    let buffer = '';
    process.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      this.lines.push(...parts);
      for (const wake of this.waiters.splice(0)) wake();
    });
    process.stderr!.on('data', (chunk: Buffer) => globalThis.process.stderr.write(chunk));
    this.exited = new Promise((resolve) => process.on('exit', resolve));
  }

  /** `node [nodeArgs] script [scriptArgs]` with exactly this environment (plus PATH). */
  static start(
    script: string,
    env: Record<string, string> = {},
    nodeArgs: string[] = [],
    scriptArgs: string[] = [],
  ): Child {
    return new Child(
      spawn(globalThis.process.execPath, [...nodeArgs, script, ...scriptArgs], {
        cwd: projectRoot(),
        env: { PATH: globalThis.process.env.PATH ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
  }

  /** The last line matching `pattern`, waiting for one if there is none yet. */
  async line(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = this.lines.length - 1; i >= 0; i--) {
        const match = pattern.exec(this.lines[i]);
        if (match) return match;
      }
      if (Date.now() > deadline) throw new Error(`no line matching ${pattern} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200).unref();
      });
    }
  }

  /** Resident memory now, in MB, from /proc. */
  rssMb(): number {
    const status = readFileSync(`/proc/${this.process.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null) this.process.kill('SIGTERM');
    await this.exited;
  }
}

/** Starts the null SMTP sink (our own, in Node) and returns it with its port. */
export async function startNullSink(): Promise<{ sink: Child; port: number }> {
  const sink = Child.start(dist('bench/support/null-smtp-sink.js'));
  const port = Number((await sink.line(/^listening (\d+)/))[1]);
  return { sink, port };
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The web entry (`dist/src/main.js`) as its own process, ready when /health answers. */
export async function startWeb(env: Record<string, string>): Promise<{ web: Child; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const web = Child.start(
    dist('src/main.js'),
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'text',
      DATABASE_CREATE: 'false',
      MIGRATIONS_RUN: 'false',
      ...env,
    },
    process.env.BENCH_WEB_NODE_ARGS?.split(' ').filter(Boolean) ?? [],
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    const healthy = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) return { web, url };
    if (Date.now() > deadline) throw new Error('the web process did not become healthy');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
