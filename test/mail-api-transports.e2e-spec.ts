import { simpleParser } from 'mailparser';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { FanOutService } from '../src/delivery/fan-out.service.js';
import { deliveryCounts, digestStatus, insertApprovedDigest } from './support/digest-fixtures.js';
import { verifyDkim } from './support/dkim-verify.js';
import { HttpStandIn, type StandInReply, type StandInRequest } from './support/http-stand-in.js';
import { TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

const ADDRESSES = [
  'ok1@example.com',
  'ok2@example.com',
  'throttled@example.com',
  'invalid@example.com',
  'gone@example.com',
];

async function insertSubscribers(app: TestApp): Promise<void> {
  await app.dataSource.query(
    `INSERT INTO subscribers (email, status, confirmed_at)
     SELECT e, 'confirmed', now() FROM unnest($1::text[]) AS e`,
    [ADDRESSES],
  );
}

async function statuses(app: TestApp): Promise<Record<string, string>> {
  const rows: Array<{ email: string; status: string; provider_message_id: string | null }> = await app.dataSource.query(
    `SELECT s.email, d.status || coalesce(':' || s.status, '') AS status FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id`,
  );
  return Object.fromEntries(rows.map((r) => [r.email, r.status]));
}

async function sendDigest(app: TestApp): Promise<string> {
  await insertSubscribers(app);
  const digestId = await insertApprovedDigest(app.dataSource);
  await app.get(FanOutService).fanOut(digestId);
  await waitFor(async () => (await digestStatus(app.dataSource, digestId)) === 'sent', {
    what: 'the digest to be sent',
  });
  return digestId;
}

describe('MAIL_TRANSPORT=ses', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let ses: HttpStandIn;
  let app: TestApp;
  let throttled = 0;

  /** SES v2's REST-JSON answers: the error's name in x-amzn-ErrorType, a `message` in the body. */
  const sesError = (status: number, type: string, message: string): StandInReply => ({
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
    body: JSON.stringify({ message }),
  });

  function answer(request: StandInRequest): StandInReply {
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v2/email/outbound-emails');
    expect(request.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIATESTTESTTEST1234\/\d{8}\/eu-west-1\/ses\/aws4_request/,
    );
    const body = JSON.parse(request.body.toString()) as {
      Destination: { ToAddresses: string[] };
      ConfigurationSetName: string;
      Content: { Raw: { Data: string } };
    };
    expect(body.ConfigurationSetName).toBe('tidings-events');
    const [to] = body.Destination.ToAddresses;
    if (to === 'throttled@example.com' && throttled++ === 0)
      return sesError(429, 'TooManyRequestsException', 'Maximum sending rate exceeded.');
    if (to === 'invalid@example.com') return sesError(400, 'BadRequestException', "Missing final '@domain'");
    if (to === 'gone@example.com')
      return sesError(400, 'MessageRejected', 'Email address is on the suppression list for your account.');
    return { status: 200, body: JSON.stringify({ MessageId: `0102-${randomUUID()}-000000` }) };
  }

  beforeAll(async () => {
    ses = await HttpStandIn.start(answer);
    app = await TestApp.start({
      env: {
        MAIL_TRANSPORT: 'ses',
        SES_REGION: 'eu-west-1',
        SES_ENDPOINT: ses.url,
        SES_ACCESS_KEY_ID: 'AKIATESTTESTTEST1234',
        SES_SECRET_ACCESS_KEY: 'test-secret-test-secret',
        SES_CONFIGURATION_SET: 'tidings-events',
        DELIVERY_BACKOFF_MS: '10',
        DKIM_DOMAIN: 'bhmpc.com',
        DKIM_SELECTOR: 'tidings2026',
        DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    });
  });

  afterAll(async () => {
    await app?.close();
    await ses?.close();
  });

  it('sends a signed raw digest through the SDK and sorts throttling, rejection and suppression', async () => {
    const digestId = await sendDigest(app);
    expect(await deliveryCounts(app.dataSource, digestId)).toEqual({ sent: 3, failed: 1, bounced: 1 });
    expect(await statuses(app)).toEqual({
      'ok1@example.com': 'sent:confirmed',
      'ok2@example.com': 'sent:confirmed',
      'throttled@example.com': 'sent:confirmed',
      'invalid@example.com': 'failed:confirmed',
      'gone@example.com': 'bounced:bounced',
    });

    const accepted = ses.requests.filter(
      (r) => JSON.parse(r.body.toString()).Destination.ToAddresses[0] === 'ok1@example.com',
    );
    expect(accepted).toHaveLength(1);
    const raw = Buffer.from(JSON.parse(accepted[0].body.toString()).Content.Raw.Data as string, 'base64');
    const mail = await simpleParser(raw);
    expect(mail.to).toMatchObject({ text: 'ok1@example.com' });
    const lines = Object.fromEntries(mail.headerLines.map((h) => [h.key, h.line]));
    expect(lines['list-id']).toMatch(/weekly\.bhmpc\.com/);
    expect(lines['feedback-id']).toBe('Feedback-ID: tidings-events:tidings:mail:bhmpc.com');
    expect(lines['list-unsubscribe-post']).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const { valid, bodyHashMatches, tags } = verifyDkim(
      raw,
      publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    );
    expect(tags.h.toLowerCase().split(':')).toEqual(
      expect.arrayContaining(['from', 'message-id', 'list-id', 'list-unsubscribe', 'feedback-id']),
    );
    expect(bodyHashMatches).toBe(true);
    expect(valid).toBe(true);
  });
});

describe('MAIL_TRANSPORT=postmark', () => {
  let postmark: HttpStandIn;
  let app: TestApp;
  let throttled = 0;

  /** Postmark's API errors: an HTTP status and a JSON body with its own ErrorCode. */
  const postmarkError = (status: number, ErrorCode: number, Message: string): StandInReply => ({
    status,
    body: JSON.stringify({ ErrorCode, Message }),
  });

  function answer(request: StandInRequest): StandInReply {
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/email');
    expect(request.headers['x-postmark-server-token']).toBe('pm-server-token-test');
    const body = JSON.parse(request.body.toString()) as { To: string; MessageStream: string };
    expect(body.MessageStream).toBe('broadcast');
    if (body.To === 'throttled@example.com' && throttled++ === 0) return postmarkError(429, 429, 'Rate limit exceeded');
    if (body.To === 'invalid@example.com')
      return postmarkError(422, 300, "Invalid 'To' address: 'invalid@example.com'.");
    if (body.To === 'gone@example.com')
      return postmarkError(422, 406, 'You tried to send to recipient(s) that have been marked as inactive.');
    return {
      status: 200,
      body: JSON.stringify({
        To: body.To,
        SubmittedAt: new Date().toISOString(),
        MessageID: randomUUID(),
        ErrorCode: 0,
        Message: 'OK',
      }),
    };
  }

  beforeAll(async () => {
    postmark = await HttpStandIn.start(answer);
    app = await TestApp.start({
      env: {
        MAIL_TRANSPORT: 'postmark',
        POSTMARK_SERVER_TOKEN: 'pm-server-token-test',
        POSTMARK_API_URL: postmark.url,
        DELIVERY_BACKOFF_MS: '10',
        REPLY_TO: 'Zoë Editors <editors@bhmpc.com>',
      },
    });
  });

  afterAll(async () => {
    await app?.close();
    await postmark?.close();
  });

  it('sends the digest as parts with our headers on the broadcast stream and sorts 429, 300 and 406', async () => {
    const digestId = await sendDigest(app);
    expect(await deliveryCounts(app.dataSource, digestId)).toEqual({ sent: 3, failed: 1, bounced: 1 });
    expect(await statuses(app)).toMatchObject({
      'throttled@example.com': 'sent:confirmed',
      'invalid@example.com': 'failed:confirmed',
      'gone@example.com': 'bounced:bounced',
    });
    const sent = postmark.requests
      .map(
        (r) =>
          JSON.parse(r.body.toString()) as {
            To: string;
            ReplyTo: string;
            Headers: Array<{ Name: string; Value: string }>;
            TextBody: string;
          },
      )
      .find((m) => m.To === 'ok1@example.com')!;
    const headers = Object.fromEntries(sent.Headers.map((h) => [h.Name, h.Value]));
    expect(headers['Message-ID']).toMatch(/^<.+\.digest@bhmpc\.com>$/);
    expect(headers['List-Id']).toMatch(/weekly\.bhmpc\.com/);
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(sent.TextBody).toMatch(/Unsubscribe: http/);
    // Postmark takes Reply-To as its own field; a name outside ASCII arrives encoded.
    expect(sent.ReplyTo).toBe('=?UTF-8?Q?Zo=C3=AB_Editors?= <editors@bhmpc.com>');
  });
});
