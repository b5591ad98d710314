import { jest } from '@jest/globals';

/** A class, abstract or not, whose instances a test wants a mock of. */
export type MockableClass<T> = abstract new (...args: never[]) => T;

/**
 * A mock of `Class` with one `jest.fn()` per method found on its prototype chain, built without
 * running its constructor (so a repository never receives, let alone opens, a DataSource).
 *
 * Strict: a method the test did not stub throws, naming itself, instead of quietly returning
 * `undefined`; an unexpected call to a repository is a failed test, not a silent pass.
 * Abstract members have no runtime trace on the prototype: list them in `extra`.
 */
export function automock<T extends object>(Class: MockableClass<T>, extra: readonly string[] = []): jest.Mocked<T> {
  const mock: Record<string, unknown> = {};
  const names = new Set(extra);
  for (let proto: object | null = Class.prototype as object; proto && proto !== Object.prototype;) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (name !== 'constructor' && typeof descriptor?.value === 'function') names.add(name);
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  for (const name of names) {
    mock[name] = jest.fn(() => {
      throw new Error(`${Class.name}.${name} was called without a mock implementation`);
    });
  }
  return mock as jest.Mocked<T>;
}
