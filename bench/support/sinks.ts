import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Child, freePort, startNullSink } from './processes.js';

/**
 * Postfix's `smtp-sink` and `smtp-source` (Debian package `postfix`, no configuration needed): the
 * SMTP ceiling of this machine, and a sink written in C that costs the measurement little. Found on
 * PATH or in /usr/sbin, where Debian puts them; the bench never installs them.
 */
export function postfixTool(name: 'smtp-sink' | 'smtp-source'): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin'];
  return dirs.map((dir) => path.join(dir, name)).find((file) => existsSync(file));
}

/** `smtp-sink` on a free loopback port, accepting everything (backlog 1000), as nobody when run as root. */
export async function startPostfixSink(binary: string): Promise<{ sink: Child; port: number }> {
  const port = await freePort();
  const user = process.getuid?.() === 0 ? ['-u', 'nobody'] : [];
  const sink = new Child(spawn(binary, [...user, `127.0.0.1:${port}`, '1000'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  await waitForPort(port);
  return { sink, port };
}

async function waitForPort(port: number): Promise<void> {
  const { connect } = await import('node:net');
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`smtp-sink did not listen on ${port}`);
}

/**
 * The sink every send scenario uses: Postfix's `smtp-sink` when it is installed (the same sink the
 * ceiling is measured against), else the null sink. `BENCH_SINK=null` forces the null sink.
 */
export async function startSink(): Promise<{ sink: Child; port: number; kind: 'smtp-sink' | 'null' }> {
  const binary = process.env.BENCH_SINK === 'null' ? undefined : postfixTool('smtp-sink');
  if (binary) return { ...(await startPostfixSink(binary)), kind: 'smtp-sink' };
  return { ...(await startNullSink()), kind: 'null' };
}
