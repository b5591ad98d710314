import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import fc from 'fast-check';
import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { QueueName } from '../src/common/queue.constants.js';
import { csvFile, csvRows, runs } from './support/arbitraries.js';
import { linkIn, pathOf } from './support/links.js';
import { waitForQueueDrained } from './support/queues.js';
import { SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';

const TOKEN = 'i'.repeat(40);

/** Row counts of every table an import writes, and the jobs it queues. */
async function footprint(app: TestApp) {
  const [counts] = await app.dataSource.query(
    `SELECT (SELECT count(*) FROM subscribers)::int AS subscribers, (SELECT count(*) FROM consent_events)::int AS events,
            (SELECT count(*) FROM confirmation_tokens)::int AS tokens`,
  );
  const queue = app.app.get<Queue>(getQueueToken(QueueName.TransactionalMail));
  const jobs = await queue.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
  return { ...counts, jobs };
}

const importCsv = (app: TestApp, query: Record<string, string> = {}) =>
  request(app.http).post('/admin/subscribers/import').query(query).set('Authorization', `Bearer ${TOKEN}`);

describe('POST /admin/subscribers/import', () => {
  let smtp: SmtpSink;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    app = await TestApp.start({ env: { ADMIN_TOKENS: TOKEN, SMTP_URL: smtp.url } });
  });

  afterAll(async () => {
    if (app) await waitForQueueDrained(app, QueueName.TransactionalMail);
    await app?.close();
    await smtp?.close();
  });

  it('adds new subscribers as pending and sends each the same opt-in mail as the form', async () => {
    const { body } = await importCsv(app)
      .attach('file', Buffer.from('email,name\nNew.One@Example.com,New One\nnew.two@example.com,\n'), 'subscribers.csv')
      .expect(200);
    expect(body).toEqual({
      imported: 2,
      alreadyPresent: 0,
      suppressed: 0,
      duplicates: 0,
      invalid: 0,
      invalidRows: [],
      status: 'pending',
    });
    const rows = await app.dataSource.query(`SELECT email, name, status FROM subscribers ORDER BY email`);
    expect(rows).toEqual([
      { email: 'new.one@example.com', name: 'New One', status: 'pending' },
      { email: 'new.two@example.com', name: null, status: 'pending' },
    ]);
    const events = await app.dataSource.query(`SELECT kind, source FROM consent_events`);
    expect(events).toEqual([
      { kind: 'subscribe', source: 'import' },
      { kind: 'subscribe', source: 'import' },
    ]);
    const [mail] = await smtp.waitForMail('new.one@example.com');
    // The name is not confirmed yet: the confirmation mail greets nobody by it.
    expect(mail.parsed.text).not.toMatch(/New One/);
    await request(app.http)
      .post(pathOf(linkIn(mail.parsed.text, `${app.url}/confirm/`)))
      .expect(200);
    expect(
      (await app.dataSource.query(`SELECT status FROM subscribers WHERE email = 'new.one@example.com'`))[0].status,
    ).toBe('confirmed');
    await smtp.waitForMail('new.two@example.com');
  });

  it('confirms at once, with the note as consent text and no mail, when the operator states consent', async () => {
    const note = 'Signed up on paper at the 2025 trade fair, form v3';
    const { body } = await importCsv(app, { consentGiven: 'true', consentNote: note })
      .type('text/csv')
      .send('email\nfair@example.com\n')
      .expect(200);
    expect(body).toMatchObject({ imported: 1, status: 'confirmed' });
    const [subscriber] = await app.dataSource.query(
      `SELECT id, status, confirmed_at FROM subscribers WHERE email = 'fair@example.com'`,
    );
    expect(subscriber.status).toBe('confirmed');
    expect(subscriber.confirmed_at).toBeInstanceOf(Date);
    const events = await app.dataSource.query(
      `SELECT kind, source, consent_text FROM consent_events WHERE subscriber_id = $1`,
      [subscriber.id],
    );
    expect(events).toEqual([{ kind: 'confirm', source: 'import', consent_text: note }]);
    expect(
      await app.dataSource.query(`SELECT 1 FROM confirmation_tokens WHERE subscriber_id = $1`, [subscriber.id]),
    ).toEqual([]);
  });

  it('leaves subscribers already held exactly as they are, including one who left', async () => {
    await importCsv(app, { consentGiven: 'true', consentNote: 'n' })
      .type('text/csv')
      .send('email,name\nleft@example.com,Before\n')
      .expect(200);
    await app.dataSource.query(
      `UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = now() WHERE email = 'left@example.com'`,
    );
    const before = await footprint(app);
    const { body } = await importCsv(app)
      .type('text/csv')
      .send('email,name\nleft@example.com,After\nLEFT@example.com,Again\n')
      .expect(200);
    expect(body).toMatchObject({ imported: 0, alreadyPresent: 1, duplicates: 1 });
    expect(await app.dataSource.query(`SELECT name, status FROM subscribers WHERE email = 'left@example.com'`)).toEqual(
      [{ name: 'Before', status: 'unsubscribed' }],
    );
    expect(await footprint(app)).toEqual(before);
  });

  describe('refuses a file it cannot take whole, with a clear 4xx, writing nothing', () => {
    let before: Awaited<ReturnType<typeof footprint>>;
    beforeEach(async () => {
      await waitForQueueDrained(app, QueueName.TransactionalMail);
      before = await footprint(app);
    });
    afterEach(async () => {
      expect(await footprint(app)).toEqual(before);
    });

    it.each([
      [
        'an unclosed quote',
        'email,name\nok@example.com,Fine\nbad@example.com,"Ann\nlast@example.com,x\n',
        /malformed: a quoted field is never closed/,
      ],
      [
        'text after a closing quote',
        'email,name\nok@example.com,"Ann"x\n',
        /malformed: a closing quote is followed by other characters on line 2/,
      ],
      ['no email column', 'address,name\nok@example.com,Ann\n', /no email column/],
      ['an empty file', '', /the CSV file is empty/],
      ['only blank lines', '\n\n\n', /the CSV file is empty/],
      ['a header and no subscribers', 'email,name\n', /header but no subscribers/],
    ])('as a multipart upload: %s', async (_what, csv, message) => {
      const { body } = await importCsv(app).attach('file', Buffer.from(csv), 'subscribers.csv').expect(400);
      expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(body.message).toMatch(message);
    });

    it('a text/csv body with broken quoting', async () => {
      expect((await importCsv(app).type('text/csv').send('email\n"a@example.com\n').expect(400)).body.message).toMatch(
        /malformed/,
      );
    });

    it('a file that is not UTF-8', async () => {
      const latin1 = Buffer.from('email,name\nrene@example.com,Ren\xe9\n', 'latin1');
      expect((await importCsv(app).attach('file', latin1, 'subscribers.csv').expect(400)).body.message).toMatch(
        /not UTF-8/,
      );
    });

    it('more than 10 MB, uploaded or sent as the body', async () => {
      const big = Buffer.concat([Buffer.from('email\n'), Buffer.alloc(10 * 1024 * 1024, 'a@example.com\n')]);
      const uploaded = await importCsv(app).attach('file', big, 'big.csv').expect(413);
      expect(uploaded.body.message).toMatch(/larger than 10 MB/);
      const sent = await importCsv(app).type('text/csv').send(big.toString()).expect(413);
      expect(sent.body.message).toMatch(/larger than 10 MB/);
    });

    it('a chunked text/csv body that grows past 10 MB (no Content-Length to refuse it by)', async () => {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const upload = httpRequest(`${app.url}/admin/subscribers/import`, {
          method: 'POST',
          headers: { 'Content-Type': 'text/csv', Authorization: `Bearer ${TOKEN}`, 'Transfer-Encoding': 'chunked' },
        });
        upload.on('response', (response) => {
          let body = '';
          response
            .setEncoding('utf8')
            .on('data', (chunk: string) => (body += chunk))
            .on('end', () => resolve({ status: response.statusCode!, body }));
        });
        upload.on('error', reject);
        upload.write('email\n');
        for (let i = 0; i < 11; i += 1) upload.write(Buffer.alloc(1024 * 1024, 'a@example.com\n'));
        upload.end();
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).message).toMatch(/larger than 10 MB/);
    });

    it('a multipart upload without the file field, or with the file under another name', async () => {
      expect((await importCsv(app).field('note', 'x').expect(400)).body.message).toMatch(/query string/);
      expect(
        (await importCsv(app).attach('csv', Buffer.from('email\na@example.com\n'), 'r.csv').expect(400)).body.message,
      ).toMatch(/multipart field "file"/);
    });

    it('a body that is neither multipart nor CSV', async () => {
      const { body } = await importCsv(app).send({ email: 'a@example.com' }).expect(415);
      expect(body.message).toMatch(/multipart\/form-data .* or as a text\/csv body/);
    });

    it('consent stated without a note, or a bad consentGiven', async () => {
      const csv = 'email\nnote@example.com\n';
      expect(
        (await importCsv(app, { consentGiven: 'true' }).type('text/csv').send(csv).expect(400)).body.message,
      ).toMatch(/consentNote is required with consentGiven=true/);
      expect((await importCsv(app, { consentNote: 'x' }).type('text/csv').send(csv).expect(400)).body.message).toMatch(
        /consentNote applies only with consentGiven=true/,
      );
      expect(
        (await importCsv(app, { consentGiven: 'yes', consentNote: 'x' }).type('text/csv').send(csv).expect(400)).body
          .message,
      ).toMatch(/consentGiven must be true or false/);
      expect(
        (
          await importCsv(app, { consentGiven: 'true', consentNote: 'x'.repeat(2001) })
            .type('text/csv')
            .send(csv)
            .expect(400)
        ).body.message,
      ).toMatch(/at most 2000/);
    });
  });
});

describe('POST /admin/subscribers/import with 10,000 rows', () => {
  let app: TestApp;

  beforeAll(async () => {
    // No workers: the 10,000 opt-in jobs are counted in Redis, not sent.
    app = await TestApp.start({ env: { ADMIN_TOKENS: TOKEN }, role: { workers: false } });
  });

  afterAll(async () => {
    await app?.close();
  });

  /** 10,000 data rows: 9,700 distinct valid addresses, 200 repeats (in another case), 100 invalid. */
  function bigCsv(): string {
    const lines = ['email,name'];
    for (let i = 0; i < 10_000; i += 1) {
      if (i % 100 === 7) lines.push(`broken-${i}.example.com,Broken ${i}`);
      else if (i % 50 === 3) lines.push(`Subscriber-${i - 1}@Example.com,Again`);
      else lines.push(`subscriber-${i}@example.com,"Subscriber ${i}, Esq."`);
    }
    return lines.join('\r\n') + '\r\n';
  }

  it('imports every distinct valid address once, queues one opt-in mail each, and lists the invalid lines', async () => {
    const { body } = await importCsv(app).attach('file', Buffer.from(bigCsv()), 'big.csv').expect(200);
    expect(body).toMatchObject({
      imported: 9_700,
      alreadyPresent: 0,
      suppressed: 0,
      duplicates: 200,
      invalid: 100,
      status: 'pending',
    });
    expect(body.invalidRows).toHaveLength(100);
    expect(body.invalidRows[0]).toEqual({ line: 9, reason: 'email must contain an @' });
    const counts = await footprint(app);
    expect(counts).toMatchObject({ subscribers: 9_700, events: 9_700, tokens: 9_700 });
    expect(counts.jobs).toBe(9_700);
    expect(await app.dataSource.query(`SELECT name FROM subscribers WHERE email = 'subscriber-0@example.com'`)).toEqual(
      [{ name: 'Subscriber 0, Esq.' }],
    );

    const again = await importCsv(app, { consentGiven: 'true', consentNote: 'n' })
      .type('text/csv')
      .send(bigCsv())
      .expect(200);
    expect(again.body).toMatchObject({ imported: 0, alreadyPresent: 9_700, duplicates: 200, invalid: 100 });
    expect(await footprint(app)).toEqual(counts);
  });

  it('answers any body with a 200 that accounts for every row or a 400 that writes nothing, never a 5xx', async () => {
    const count = async () => (await app.dataSource.query(`SELECT count(*)::int AS n FROM subscribers`))[0].n as number;
    const bodies = fc.oneof(
      csvRows.map((rows) => ({ rows: rows.length, body: Buffer.from(csvFile(rows)) })),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ rows: null, body: Buffer.from(bytes) })),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async ({ rows, body }) => {
        const before = await count();
        // Stated consent: no opt-in mail per row, so the runs stay fast.
        const answer = await importCsv(app, { consentGiven: 'true', consentNote: 'property run' })
          .type('text/csv')
          .send(body);
        expect([200, 400]).toContain(answer.status);
        if (answer.status === 400) {
          expect(answer.body.message).toMatch(/\S/);
          expect(await count()).toBe(before);
          return;
        }
        const { imported, alreadyPresent, suppressed, duplicates, invalid, invalidRows } = answer.body;
        expect((await count()) - before).toBe(imported);
        if (rows !== null) expect(imported + alreadyPresent + suppressed + duplicates + invalid).toBe(rows);
        const lines = invalidRows.map((row: { line: number }) => row.line);
        expect(new Set(lines).size).toBe(lines.length);
      }),
      runs(30),
    );
  });
});
