import nodemailer from 'nodemailer';
import { DataSource } from 'typeorm';
import { unsubscribeHeaders, unsubscribeUrls } from '../../src/subscribers/unsubscribe-links.js';
import { DIGEST_PLACEHOLDERS } from '../../src/digests/digest-placeholders.js';
import { benchConfig, benchDatabase, bootContext, insertRenderedDigest, report } from '../support/bench-context.js';
import { startSink } from '../support/processes.js';

/**
 * The reference: what a naive worker does. A plain loop over a pooled nodemailer transport,
 * building the same digest (same HTML, text and headers) per subscriber and sending it to the same
 * sink, one after the other.
 */
const messages = Number(process.argv[2] ?? 3_000);
const database = await benchDatabase();
const { sink, port } = await startSink();
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
  const started = performance.now();
  for (let i = 0; i < messages; i++) {
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
  }
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  report({ messages, seconds: Number(seconds.toFixed(2)), perSecond: Math.round(messages / seconds) });
} finally {
  await app.close();
  await sink.stop();
  await database.drop();
}
