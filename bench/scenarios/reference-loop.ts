import nodemailer from 'nodemailer';
import { DataSource } from 'typeorm';
import { unsubscribeHeaders, unsubscribeUrls } from '../../src/subscribers/unsubscribe-links.js';
import { DIGEST_PLACEHOLDERS } from '../../src/digests/digest-placeholders.js';
import { benchConfig, benchDatabase, bootContext, insertRenderedDigest, report } from '../support/bench-context.js';
import { startSink } from '../support/sinks.js';

/**
 * The reference a competent engineer would write: a pooled nodemailer transport with
 * `BENCH_REFERENCE_IN_FLIGHT` (20) sends in flight, building the same digest (same HTML, text and
 * headers) per subscriber and sending it to the same sink. No database, no queue: only the mail.
 */
const messages = Number(process.argv[2] ?? 3_000);
const database = await benchDatabase();
const { sink, port, kind } = await startSink();
const config = benchConfig(database);
const app = await bootContext(config);
try {
  const digest = await insertRenderedDigest(app);
  const [row] = await app
    .get(DataSource)
    .query<{ subject: string; html: string; text: string }[]>('SELECT subject, html, text FROM digests WHERE id = $1', [
      digest.id,
    ]);
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    pool: true,
    maxConnections: 8,
    maxMessages: Infinity,
    ignoreTLS: true,
  });
  const inFlight = Number(process.env.BENCH_REFERENCE_IN_FLIGHT ?? 20);
  let next = 0;
  const sendOne = async (i: number) => {
    const links = unsubscribeUrls(config, `token${i}`.padEnd(43, 'x'));
    await transport.sendMail({
      from: config.mail.from,
      to: `subscriber${i}@example.com`,
      subject: row.subject,
      html: row.html
        .replaceAll(DIGEST_PLACEHOLDERS.unsubscribeUrl, links.page)
        .replaceAll(DIGEST_PLACEHOLDERS.manageUrl, links.manage),
      text: row.text
        .replaceAll(DIGEST_PLACEHOLDERS.unsubscribeUrl, links.page)
        .replaceAll(DIGEST_PLACEHOLDERS.manageUrl, links.manage),
      headers: { ...unsubscribeHeaders(links), 'List-Id': `<${config.delivery.listId}>` },
    });
  };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < messages) await sendOne(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  report({
    messages,
    inFlight,
    sink: kind,
    seconds: Number(seconds.toFixed(2)),
    perSecond: Math.round(messages / seconds),
  });
} finally {
  await app.close();
  await sink.stop();
  await database.drop();
}
