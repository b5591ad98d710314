import { OperatorCliError, parseOperatorCliArgs } from './operator-cli.js';

describe(parseOperatorCliArgs.name, () => {
  it('makes an owner unless told otherwise, with a default token name', () => {
    expect(parseOperatorCliArgs(['--email', ' ops@example.org '])).toEqual({
      email: 'ops@example.org',
      role: 'owner',
      tokenName: 'created by operator:create',
    });
    expect(parseOperatorCliArgs(['--email=ed@example.org', '--role', 'editor', '--token-name', 'laptop'])).toEqual({
      email: 'ed@example.org',
      role: 'editor',
      tokenName: 'laptop',
    });
  });

  it.each([
    [[], /--email must be an email address\nusage: /],
    [['--email', 'ops'], /--email must be an email address/],
    [['--email', 'ops@example.org', '--role', 'admin'], /--role must be one of: viewer, editor, owner/],
    [['--email', 'ops@example.org', '--colour', 'red'], /Unknown option '--colour'[\s\S]*usage: /],
  ])('refuses %j with a line naming the problem and the usage', (argv, message) => {
    expect(() => parseOperatorCliArgs(argv)).toThrow(OperatorCliError);
    expect(() => parseOperatorCliArgs(argv)).toThrow(message);
  });
});
