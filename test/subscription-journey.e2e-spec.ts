import request from 'supertest';
import { ConsentEvent } from '../src/subscribers/consent-event.entity.js';
import { Subscriber } from '../src/subscribers/subscriber.entity.js';
import { linkIn, pathOf } from './support/links.js';
import { headerOf, SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';

describe('subscription journey over HTTP and SMTP', () => {
  let smtp: SmtpSink;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    app = await TestApp.start({
      env: { SMTP_URL: smtp.url, COMPANY_POSTAL_ADDRESS: '100 Example Way, Suite 5, Baltimore, MD 21201' },
    });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  const subscriber = (email: string) => app.dataSource.getRepository(Subscriber).findOneByOrFail({ email });

  it('subscribes, confirms only on POST, records consent, and unsubscribes with one click', async () => {
    await request(app.http)
      .post('/subscribe')
      .type('form')
      .set('User-Agent', 'journey-test/1.0')
      .send({
        email: '  Subscriber.One@Example.COM ',
        name: 'Subscriber One',
        consent: 'yes',
        website: '',
        formVersion: 'subscribe-form-v1',
      })
      .expect(200)
      .expect('Content-Type', /html/)
      .expect(/Check your inbox/);
    expect((await subscriber('subscriber.one@example.com')).status).toBe('pending');

    const [mail] = await smtp.waitForMail('subscriber.one@example.com');
    const parsed = mail.parsed;
    expect(parsed.subject).toContain('confirm');
    expect(parsed.html).toBeTruthy();
    expect(parsed.text).toBeTruthy();
    for (const part of [parsed.html as string, parsed.text as string]) {
      expect(part).toContain('BHM Healthcare Solutions');
      expect(part).toContain('1-888-831-1171');
      expect(part).toContain('100 Example Way, Suite 5, Baltimore, MD 21201');
      expect(part).toContain('https://www.bhmpc.com');
      expect(part).toContain('healthcare management consulting firm');
      expect(part).not.toContain('Subscriber One');
    }
    expect(headerOf(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

    const confirmUrl = linkIn(parsed.text, `${app.url}/confirm/`);
    expect(parsed.html).toContain(confirmUrl);

    // A mail scanner following the link changes nothing.
    await request(app.http)
      .get(pathOf(confirmUrl))
      .expect(200)
      .expect(/Confirm my subscription/);
    await request(app.http).get(pathOf(confirmUrl)).expect(200);
    expect((await subscriber('subscriber.one@example.com')).status).toBe('pending');

    await request(app.http)
      .post(pathOf(confirmUrl))
      .set('User-Agent', 'journey-test/1.0')
      .expect(200)
      .expect(/You are subscribed/);
    const confirmed = await subscriber('subscriber.one@example.com');
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.confirmedAt).toBeInstanceOf(Date);

    const events = await app.dataSource
      .getRepository(ConsentEvent)
      .find({ where: { subscriberId: confirmed.id }, order: { id: 'ASC' } });
    expect(events.map((e) => e.kind)).toEqual(['subscribe', 'confirm']);
    for (const event of events) {
      expect(event.ip).toMatch(/127\.0\.0\.1/);
      expect(event.userAgent).toBe('journey-test/1.0');
      expect(event.formVersion).toBe('subscribe-form-v1');
      expect(event.consentText).toContain('weekly digest');
      expect(event.occurredAt).toBeInstanceOf(Date);
    }

    // The link is single-use: used again, it says the reader is already subscribed.
    await request(app.http)
      .post(pathOf(confirmUrl))
      .expect(200)
      .expect(/You&#x27;re already subscribed/);

    const oneClick = /<([^>]+\/one-click)>/.exec(headerOf(mail, 'List-Unsubscribe')!)![1];
    const response = await request(app.http)
      .post(pathOf(oneClick))
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(200);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.headers.location).toBeUndefined();
    const left = await subscriber('subscriber.one@example.com');
    expect(left.status).toBe('unsubscribed');
    const kinds = (
      await app.dataSource.getRepository(ConsentEvent).find({ where: { subscriberId: left.id }, order: { id: 'ASC' } })
    ).map((e) => e.kind);
    expect(kinds).toEqual(['subscribe', 'confirm', 'unsubscribe']);
  });
});
