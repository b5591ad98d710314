import MailComposer from 'nodemailer/lib/mail-composer';
import { DataSource } from 'typeorm';
import { MimeTemplate } from '../../src/delivery/mailer/mime-template.js';
import { DIGEST_PLACEHOLDERS } from '../../src/digests/digest-placeholders.js';
import { benchConfig, benchDatabase, bootContext, insertRenderedDigest, report } from '../support/bench-context.js';

/**
 * Render costs: the digest compiled once (Handlebars, MJML, HTML, text), the per-subscriber part
 * Tidings pays per message, and what a full nodemailer build of the same message costs.
 */
const database = await benchDatabase();
const config = benchConfig(database);
const app = await bootContext(config);
try {
  let started = performance.now();
  const first = await insertRenderedDigest(app);
  const firstMs = performance.now() - started;
  const runs = 10;
  started = performance.now();
  for (let i = 0; i < runs; i++) await insertRenderedDigest(app);
  const compileMs = (performance.now() - started) / runs;

  const [digest] = await app
    .get(DataSource)
    .query<{ subject: string; html: string; text: string }[]>('SELECT subject, html, text FROM digests WHERE id = $1', [
      first.id,
    ]);
  const template = new MimeTemplate({
    from: config.mail.from,
    subject: digest.subject,
    html: digest.html,
    text: digest.text,
    placeholders: Object.values(DIGEST_PLACEHOLDERS),
    headers: { 'List-Id': '<weekly.bhmpc.com>' },
  });
  const subscribers = 20_000;
  started = performance.now();
  let bytes = 0;
  for (let i = 0; i < subscribers; i++) {
    const url = `https://news.example.com/unsubscribe/${String(i).padStart(43, 'x')}`;
    bytes += template.render({
      to: `subscriber${i}@example.com`,
      messageId: `${i}.digest@bhmpc.com`,
      values: [url, url],
      headers: { 'List-Unsubscribe': `<${url}/one-click>` },
    }).length;
  }
  const perSubscriberUs = ((performance.now() - started) * 1000) / subscribers;

  const builds = 300;
  started = performance.now();
  for (let i = 0; i < builds; i++) {
    const url = `https://news.example.com/unsubscribe/${String(i).padStart(43, 'x')}`;
    await new MailComposer({
      from: config.mail.from,
      to: `subscriber${i}@example.com`,
      subject: digest.subject,
      html: digest.html
        .replaceAll(DIGEST_PLACEHOLDERS.unsubscribeUrl, url)
        .replaceAll(DIGEST_PLACEHOLDERS.manageUrl, url),
      text: digest.text
        .replaceAll(DIGEST_PLACEHOLDERS.unsubscribeUrl, url)
        .replaceAll(DIGEST_PLACEHOLDERS.manageUrl, url),
      headers: { 'List-Unsubscribe': `<${url}/one-click>` },
    })
      .compile()
      .build();
  }
  const nodemailerBuildMs = (performance.now() - started) / builds;
  report({
    htmlBytes: first.htmlBytes,
    firstCompileMs: Math.round(firstMs),
    compileMs: Math.round(compileMs),
    perSubscriberUs: Number(perSubscriberUs.toFixed(1)),
    messageBytes: Math.round(bytes / subscribers),
    nodemailerBuildMs: Number(nodemailerBuildMs.toFixed(2)),
  });
} finally {
  await app.close();
  await database.drop();
}
