import { spawn } from 'node:child_process';
import { report } from '../support/bench-context.js';
import { postfixTool, startPostfixSink } from '../support/sinks.js';

/**
 * The SMTP ceiling of this machine: Postfix's `smtp-source` (C, 20 parallel sessions, each kept
 * open across messages) into `smtp-sink`, messages of the digest's size. Without Postfix the
 * ceiling is not measured, and the run says so.
 */
const messages = Number(process.argv[2] ?? 40_000);
const bytes = Number(process.argv[3] ?? 63_500);
const sessions = 20;
const source = postfixTool('smtp-source');
const sinkBinary = postfixTool('smtp-sink');
if (!source || !sinkBinary) {
  report({ measured: false, why: 'smtp-source and smtp-sink are not installed (apt-get install postfix)' });
} else {
  const { sink, port } = await startPostfixSink(sinkBinary);
  try {
    const started = performance.now();
    const args = ['-s', String(sessions), '-m', String(messages), '-l', String(bytes), '-d'];
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(source, [...args, '-f', 'bench@bhmpc.com', '-t', 'reader@example.com', `127.0.0.1:${port}`], {
        stdio: 'ignore',
      });
      child.on('exit', resolve);
    });
    if (code !== 0) throw new Error(`smtp-source exited with ${code}`);
    const seconds = (performance.now() - started) / 1000;
    report({
      measured: true,
      messages,
      bytes,
      sessions,
      seconds: Number(seconds.toFixed(2)),
      perSecond: Math.round(messages / seconds),
    });
  } finally {
    await sink.stop();
  }
}
