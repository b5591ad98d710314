import { simpleParser } from 'mailparser';
import { MimeTemplate } from './mime-template.js';

const UNSUB = 'https://unsubscribe.tidings.invalid/__U__';
const NAME = '__NAME__';

function template(html: string, text: string) {
  return new MimeTemplate({
    from: 'BHM Healthcare Solutions <newsletter@bhmpc.com>',
    subject: 'BHM Healthcare weekly: Prior authorization — what changes in 2027 and 3 more',
    html,
    text,
    placeholders: [UNSUB, NAME],
    headers: {
      'List-Id': '"BHM Healthcare weekly" <weekly.bhmpc.com>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  });
}

describe(MimeTemplate.name, () => {
  it('renders a valid multipart message with each subscriber’s values in both parts', async () => {
    const sut = template(
      `<p>Hello ${NAME}</p><a href="${UNSUB}">Unsubscribe</a> <a href="${UNSUB}">again</a>`,
      `Hello ${NAME}\nUnsubscribe: ${UNSUB}\n`,
    );
    const raw = sut.render({
      to: 'subscriber@example.com',
      messageId: 'abc.123@bhmpc.com',
      values: ['https://news.example.com/unsubscribe/tok-1?a=1&b=2', "Zoë <O'Brien> & co"],
      headers: { 'List-Unsubscribe': '<https://news.example.com/unsubscribe/tok-1/one-click>' },
      date: new Date('2026-11-23T13:00:00Z'),
    });
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe('BHM Healthcare weekly: Prior authorization — what changes in 2027 and 3 more');
    expect(mail.messageId).toBe('<abc.123@bhmpc.com>');
    expect(mail.date?.toISOString()).toBe('2026-11-23T13:00:00.000Z');
    expect((mail.to as { text: string }).text).toBe('subscriber@example.com');
    expect(mail.text).toBe(
      "Hello Zoë <O'Brien> & co\nUnsubscribe: https://news.example.com/unsubscribe/tok-1?a=1&b=2\n",
    );
    expect(mail.html).toBe(
      '<p>Hello Zoë &lt;O&#39;Brien&gt; &amp; co</p><a href="https://news.example.com/unsubscribe/tok-1?a=1&amp;b=2">Unsubscribe</a> <a href="https://news.example.com/unsubscribe/tok-1?a=1&amp;b=2">again</a>',
    );
    const lines = mail.headerLines.map((h) => h.key);
    expect(lines).toEqual(
      expect.arrayContaining(['list-id', 'list-unsubscribe', 'list-unsubscribe-post', 'message-id', 'mime-version']),
    );
  });

  it('keeps every line within 78 characters and ends lines with CRLF, even for long lines of HTML', async () => {
    const long =
      '<td style="padding:0;margin:0;font-family:Helvetica,Arial,sans-serif;color:#1f2933">' +
      'é'.repeat(3000) +
      '</td>';
    const sut = template(`${long}<a href="${UNSUB}">x</a>${long}`, `${'word '.repeat(2000)}${UNSUB}`);
    const raw = sut.render({
      to: 'a@example.com',
      messageId: 'm@bhmpc.com',
      values: ['https://x.example/u/' + 'y'.repeat(200), 'N'],
      headers: {},
    });
    const text = raw.toString('latin1');
    expect(text.split('\r\n').every((line) => line.length <= 78)).toBe(true);
    expect(/[^\r]\n/.test(text)).toBe(false);
    const mail = await simpleParser(raw);
    expect(mail.html).toBe(`${long}<a href="https://x.example/u/${'y'.repeat(200)}">x</a>${long}`);
    expect(mail.text).toBe(`${'word '.repeat(2000)}https://x.example/u/${'y'.repeat(200)}`);
  });

  it('gives each copy its own subscriber and message id while sharing the rest', async () => {
    const sut = template(`<a href="${UNSUB}">u</a>`, UNSUB);
    const [a, b] = await Promise.all(
      ['one', 'two'].map((who) =>
        simpleParser(
          sut.render({
            to: `${who}@example.com`,
            messageId: `${who}@bhmpc.com`,
            values: [`https://u.example/${who}`, who],
            headers: {},
          }),
        ),
      ),
    );
    expect(a.messageId).not.toBe(b.messageId);
    expect(a.text).toBe('https://u.example/one');
    expect(b.text).toBe('https://u.example/two');
  });
});
