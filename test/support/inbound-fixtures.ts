import { readFileSync } from 'node:fs';
import { projectRoot } from '../../src/common/project-root.js';

export type InboundFixture =
  'dsn-hard-bounce' | 'dsn-soft-bounce' | 'arf-complaint' | 'unsubscribe-mailto' | 'out-of-office';

/**
 * A mail of test/fixtures/inbound/ with its `__NAME__` placeholders filled in (RECIPIENT,
 * ORIGINAL_MESSAGE_ID, RETURN_PATH, UNSUBSCRIBE_ADDRESS, SUBJECT, ABUSE_ADDRESS), in CRLF lines as
 * it travels over SMTP. A placeholder left unfilled fails loudly rather than reaching the parser.
 */
export function inboundFixture(name: InboundFixture, values: Record<string, string>): Buffer {
  const text = readFileSync(`${projectRoot()}/test/fixtures/inbound/${name}.eml`, 'utf8').replace(
    /__([A-Z_]+)__/g,
    (placeholder, key: string) => {
      if (values[key] === undefined) throw new Error(`${name}.eml: no value for ${placeholder}`);
      return values[key];
    },
  );
  return Buffer.from(text.replace(/\r?\n/g, '\r\n'));
}
