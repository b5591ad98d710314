import { ConfigError, loadConfig } from './load-config.js';

describe('loadConfig', () => {
  const error = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (caught) {
      expect(caught).toBeInstanceOf(ConfigError);
      return (caught as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('works with no variables at all, with the seed company as the default profile', () => {
    const config = loadConfig({});
    expect(config.company.name).toBe('BHM Healthcare Solutions');
    expect(config.company.phone).toBe('1-888-831-1171');
    expect(config.company.blurb).toMatch(/healthcare management consulting firm/);
    expect(config.company.socialLinks.map((l) => l.label)).toEqual(['LinkedIn', 'Facebook', 'Twitter']);
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/tidings');
    expect(config.digest).toMatchObject({ cron: '0 8 * * 1', timeZone: 'America/New_York', maxPosts: 10 });
  });

  it('names the variable, the value and the problem in one line', () => {
    const message = error({ PORT: 'eighty' });
    expect(message).toBe('PORT="eighty": must be an integer number');
    expect(message).not.toContain('\n');
    expect(error({ DIGEST_TIMEZONE: 'Mars/Olympus' })).toMatch(/^DIGEST_TIMEZONE="Mars\/Olympus": /);
    expect(error({ DIGEST_CRON: '0 8 * * 9' })).toMatch(/^DIGEST_CRON="0 8 \* \* 9": is not a valid cron expression/);
    expect(error({ LOG_FORMAT: 'xml' })).toMatch(/^LOG_FORMAT="xml": must be one of/);
    expect(error({ COMPANY_SOCIAL_LINKS: 'LinkedIn' })).toMatch(/^COMPANY_SOCIAL_LINKS=.*Label=https/);
  });

  it('reads OWNER_EMAIL, unset by default, and stops on one that is not an address', () => {
    expect(loadConfig({}).admin.ownerEmail).toBeUndefined();
    expect(loadConfig({ OWNER_EMAIL: 'ops@example.org' }).admin.ownerEmail).toBe('ops@example.org');
    expect(error({ OWNER_EMAIL: 'ops' })).toBe('OWNER_EMAIL="ops": must be an email address');
  });

  it('never echoes a secret value', () => {
    const message = error({ SMTP_URL: 'http://user:hunter2@mail.example.com' });
    expect(message).toMatch(/^SMTP_URL=\(hidden\): /);
    expect(message).not.toContain('hunter2');
    expect(error({ ADMIN_TOKENS: 'short-secret' })).not.toContain('short-secret');
    // FEED_URLS is shown, since it names which entry is wrong, but without the credentials an entry carries.
    expect(error({ FEED_URLS: 'https://reader:hunter2@blog.example/feed/?token=t0ken, ftp://x' })).toBe(
      'FEED_URLS="https://***@blog.example/feed/?token=***, ftp://x": must be comma-separated http(s) URLs',
    );
  });

  it('reads FEED_ALLOW_PRIVATE, off unless set, and stops on a value that is not a boolean', () => {
    expect(loadConfig({}).feeds.allowPrivate).toBe(false);
    expect(loadConfig({ FEED_ALLOW_PRIVATE: 'true' }).feeds.allowPrivate).toBe(true);
    expect(error({ FEED_ALLOW_PRIVATE: 'sometimes' })).toBe('FEED_ALLOW_PRIVATE="sometimes": must be a boolean value');
  });

  it('refuses to start in production without a postal address, SMTP, an https URL or its keys', () => {
    const production = {
      NODE_ENV: 'production',
      SMTP_URL: 'smtp://mail.example.com',
      PUBLIC_URL: 'https://news.example.com',
      COMPANY_POSTAL_ADDRESS: '1 Main St',
      SUPPRESSION_KEY: 'k'.repeat(32),
      TOKEN_KEY: 't'.repeat(32),
      METRICS_TOKEN: 'm'.repeat(32),
      ALTCHA_HMAC_KEY: 'a'.repeat(32),
    };
    expect(() => loadConfig(production)).not.toThrow();
    expect(loadConfig(production).docs.enabled).toBe(false);
    expect(loadConfig({ ...production, DOCS_ENABLED: 'true' }).docs.enabled).toBe(true);
    expect(loadConfig({}).docs.enabled).toBe(true);
    expect(error({ ...production, TOKEN_KEY: '' })).toMatch(/^TOKEN_KEY=\(unset\): is required in production/);
    expect(error({ ...production, TOKEN_KEY: 'short-secret' })).toBe(
      'TOKEN_KEY=(hidden): must be longer than or equal to 32 characters',
    );
    expect(error({ ...production, METRICS_TOKEN: '' })).toMatch(/^METRICS_TOKEN=\(unset\): is required in production/);
    expect(error({ ...production, ALTCHA_HMAC_KEY: '' })).toMatch(
      /^ALTCHA_HMAC_KEY=\(unset\): is required in production: it signs the subscribe form's bot-check challenges/,
    );
    expect(loadConfig({ ...production, ALTCHA_HMAC_KEY: '', BOT_CHECK: 'off' }).botCheck).toEqual({ mode: 'off' });
    expect(error({ ...production, ALTCHA_HMAC_KEY: 'short-secret' })).toBe(
      'ALTCHA_HMAC_KEY=(hidden): must be longer than or equal to 32 characters',
    );
    expect(error({ BOT_CHECK: 'captcha' })).toMatch(
      /^BOT_CHECK="captcha": must be one of the following values: altcha, off/,
    );
    expect(error({ ...production, SUPPRESSION_KEY: '' })).toMatch(
      /^SUPPRESSION_KEY=\(unset\): is required in production/,
    );
    expect(error({ ...production, SUPPRESSION_KEY: 'short-secret' })).toBe(
      'SUPPRESSION_KEY=(hidden): must be longer than or equal to 32 characters',
    );
    expect(error({ ...production, COMPANY_POSTAL_ADDRESS: '' })).toMatch(
      /^COMPANY_POSTAL_ADDRESS=\(unset\): is required in production.*CAN-SPAM/,
    );
    expect(error({ ...production, SMTP_URL: '' })).toMatch(/^SMTP_URL=\(unset\): is required in production/);
    expect(error({ ...production, PUBLIC_URL: 'http://news.example.com' })).toMatch(/^PUBLIC_URL=.*must be https/);
  });

  it('signs bot-check challenges with a random key of the process outside production, unless one is set', () => {
    const [first, second] = [loadConfig({}).botCheck, loadConfig({}).botCheck];
    expect(first).toMatchObject({ mode: 'altcha', cost: 1000, counterMax: 4000 });
    expect(second.mode === 'altcha' && first.mode === 'altcha' && second.hmacKey !== first.hmacKey).toBe(true);
    expect(loadConfig({ ALTCHA_HMAC_KEY: 'h'.repeat(40) }).botCheck).toMatchObject({ hmacKey: 'h'.repeat(40) });
  });

  it('chooses the mail transport from MAIL_TRANSPORT, or from SMTP_URL when it is unset', () => {
    expect(loadConfig({}).mail.transport).toBe('outbox');
    expect(loadConfig({ SMTP_URL: 'smtp://mail.example.com' }).mail).toMatchObject({
      transport: 'smtp',
      smtp: { url: 'smtp://mail.example.com', poolSize: 5 },
    });
    expect(loadConfig({ MAIL_TRANSPORT: 'outbox', SMTP_URL: 'smtp://mail.example.com' }).mail.transport).toBe('outbox');
    expect(loadConfig({ MAIL_FROM: 'News <News@Example.ORG>' }).mail.senderDomain).toBe('example.org');
  });

  it('takes REPLY_TO as one address, with or without a name, and stops on anything else', () => {
    expect(loadConfig({}).mail.replyTo).toBeUndefined();
    expect(loadConfig({ REPLY_TO: 'editor@bhmpc.com' }).mail.replyTo).toEqual({ address: 'editor@bhmpc.com' });
    expect(loadConfig({ REPLY_TO: '"Zoë Müller, Editor" <editor@bhmpc.com>' }).mail.replyTo).toEqual({
      name: 'Zoë Müller, Editor',
      address: 'editor@bhmpc.com',
    });
    for (const bad of ['editor', 'a@bhmpc.com, b@bhmpc.com', 'Editor <editor@bhmpc.com>\r\nBcc: x@evil.example']) {
      expect(error({ REPLY_TO: bad })).toBe(
        `REPLY_TO=${JSON.stringify(bad)}: must be one address, as editor@example.com or Name <editor@example.com>`,
      );
    }
  });

  it('stops with one line when the chosen transport lacks its variables or does not exist', () => {
    expect(error({ MAIL_TRANSPORT: 'smtp' })).toBe('SMTP_URL=(unset): is required when MAIL_TRANSPORT=smtp');
    expect(error({ MAIL_TRANSPORT: 'ses', SES_REGION: 'eu-west-1' })).toBe(
      'SES_CONFIGURATION_SET=(unset): is required when MAIL_TRANSPORT=ses',
    );
    expect(error({ MAIL_TRANSPORT: 'postmark' })).toBe(
      'POSTMARK_SERVER_TOKEN=(unset): is required when MAIL_TRANSPORT=postmark',
    );
    expect(error({ SES_ACCESS_KEY_ID: 'AKIATESTTESTTEST1234' })).toMatch(
      /^SES_SECRET_ACCESS_KEY=\(unset\): is required/,
    );
    expect(error({ POSTMARK_SERVER_TOKEN: 'short' })).toMatch(/^POSTMARK_SERVER_TOKEN=\(hidden\): /);
    expect(error({ MAIL_TRANSPORT: 'pigeon' })).toMatch(
      /^MAIL_TRANSPORT="pigeon": must be one of the following values: smtp, outbox, ses, postmark$/,
    );
    const production = {
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://news.example.com',
      COMPANY_POSTAL_ADDRESS: '1 Main St',
    };
    expect(error({ ...production, MAIL_TRANSPORT: 'outbox', SMTP_URL: 'smtp://mail.example.com' })).toMatch(
      /^MAIL_TRANSPORT="outbox": is for development only/,
    );
  });

  it('takes TRUST_PROXY as a hop count or proxy addresses, and refuses to trust every hop', () => {
    expect(loadConfig({}).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,::1' }).http.trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      '::1',
    ]);
    expect(error({ TRUST_PROXY: 'true' })).toMatch(/^TRUST_PROXY="true": would trust every X-Forwarded-For entry/);
    expect(error({ TRUST_PROXY: '10.0.0.0/33' })).toMatch(/10\.0\.0\.0\/33 is neither an IP address/);
  });

  it('turns inbound mail on only when INBOUND_DOMAIN and a reader of its mail are both set', () => {
    expect(loadConfig({}).inbound).toMatchObject({ domain: undefined, smtp: undefined, imap: undefined });
    expect(loadConfig({}).mail.returnPath).toBeUndefined();
    const smtp = loadConfig({ INBOUND_DOMAIN: 'In.Example.org', INBOUND_SMTP_PORT: '2525' });
    expect(smtp.inbound).toMatchObject({ domain: 'in.example.org', smtp: { host: '0.0.0.0', port: 2525 } });
    expect(smtp.mail.returnPath).toBe('bounces@in.example.org');
    expect(
      loadConfig({
        INBOUND_DOMAIN: 'in.example.org',
        INBOUND_IMAP_URL: 'imaps://bounces%40example.org:s3cr%2Ft@imap.example.org/Bounces',
      }).inbound.imap,
    ).toEqual({
      host: 'imap.example.org',
      port: 993,
      secure: true,
      user: 'bounces@example.org',
      password: 's3cr/t',
      mailbox: 'Bounces',
      pollSeconds: 60,
    });
    expect(error({ INBOUND_DOMAIN: 'in.example.org' })).toBe(
      'INBOUND_DOMAIN="in.example.org": needs INBOUND_SMTP_PORT or INBOUND_IMAP_URL: nothing would read the mail sent to it',
    );
    expect(error({ INBOUND_SMTP_PORT: '2525' })).toBe(
      'INBOUND_DOMAIN=(unset): is required when INBOUND_SMTP_PORT or INBOUND_IMAP_URL is set',
    );
    expect(error({ INBOUND_DOMAIN: 'not a domain', INBOUND_SMTP_PORT: '25' })).toBe(
      'INBOUND_DOMAIN="not a domain": must be a domain name',
    );
    expect(error({ INBOUND_DOMAIN: 'in.example.org', INBOUND_SMTP_PORT: '70000' })).toMatch(
      /^INBOUND_SMTP_PORT="70000": /,
    );
  });

  it('never shows the IMAP password, even when the URL is refused', () => {
    const message = error({
      INBOUND_DOMAIN: 'in.example.org',
      INBOUND_IMAP_URL: 'imap://hunter2@imap.example.org/INBOX',
    });
    expect(message).toMatch(/^INBOUND_IMAP_URL=\(hidden\): must carry the mailbox login/);
    expect(message).not.toContain('hunter2');
  });

  it('reads DOMAIN_RATES, and stops on an entry it cannot read', () => {
    expect(loadConfig({ DOMAIN_RATES: 'gmail.com=600/min' }).delivery.domainRates).toEqual([
      { domain: 'gmail.com', count: 600, periodMs: 60_000, intervalMs: 100 },
    ]);
    expect(error({ DOMAIN_RATES: 'gmail.com=fast' })).toMatch(
      /^DOMAIN_RATES="gmail.com=fast": "gmail.com=fast" is not domain=count\/unit/,
    );
  });
});
