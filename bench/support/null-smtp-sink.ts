import { SMTPServer } from 'smtp-server';

/**
 * A sink that does no work of its own: it accepts every message and throws the bytes away.
 * Run as its own process, so its CPU shows apart from what it measures. Reports on stdout:
 * `listening <port>` once, then `count <n>` every 200 ms while the count changes.
 */
let count = 0;
let reported = -1;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  maxClients: 1000,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      count += 1;
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.server.address() as { port: number }).port}\n`);
});
setInterval(() => {
  if (count !== reported) process.stdout.write(`count ${(reported = count)}\n`);
}, 200).unref();
process.on('SIGTERM', () => server.close(() => process.exit(0)));
