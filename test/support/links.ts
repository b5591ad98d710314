import { Subscriber } from '../../src/subscribers/subscriber.entity.js';
import { SubscribersRepository } from '../../src/subscribers/subscribers.repository.js';
import type { TestApp } from './test-app.js';

/** The first link in a text part that starts with `prefix`. */
export function linkIn(text: string | undefined, prefix: string): string {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}[^\\s<>"]+`).exec(text ?? '');
  if (!match) throw new Error(`no link starting with ${prefix} in:\n${text}`);
  return match[0];
}

/** The path part of an absolute URL, for supertest. */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

/** The token of a subscriber's unsubscribe and manage links, as the app makes it for a mail. */
export async function linkTokenOf(app: TestApp, email: string): Promise<string> {
  const subscriber = await app.dataSource.getRepository(Subscriber).findOneByOrFail({ email });
  return app.get(SubscribersRepository).linkToken(subscriber);
}
