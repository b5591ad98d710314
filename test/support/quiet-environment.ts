import { Writable } from 'node:stream';
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import type { Circus } from '@jest/types';
import { TestEnvironment } from 'jest-environment-node';

/**
 * Jest's Node environment with the test's `process.stdout` and `process.stderr` held back: what
 * the code under test prints there (Nest's logger, child processes' output that the helpers pass
 * on) is kept in memory and printed only when a test or a beforeAll/afterAll hook fails, so a green
 * run shows only jest's report and a red one shows what the app said before it failed. Output of
 * a passing test is thrown away; output written outside tests (app start-up in beforeAll) is kept
 * until a failure shows it.
 *
 * Only the test's own `process` object is replaced; jest's reporter writes to the real streams.
 * `console.log` in a test still prints through jest's console: that is how benchmarks report.
 */
export default class QuietEnvironment extends TestEnvironment {
  /** Written outside any test: module loading, beforeAll and afterAll hooks. */
  private suiteOutput: string[] = [];
  /** Written while a test runs, its beforeEach and afterEach hooks included. */
  private testOutput: string[] = [];
  private inTest = false;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    const testProcess = this.global.process;
    for (const name of ['stdout', 'stderr'] as const) {
      const stream = new Writable({
        write: (chunk: Buffer, _encoding, done) => {
          (this.inTest ? this.testOutput : this.suiteOutput).push(chunk.toString('utf8'));
          done();
        },
      });
      Object.defineProperty(testProcess, name, { value: stream, configurable: true, enumerable: true, writable: true });
    }
  }

  handleTestEvent(event: Circus.Event): void {
    if (event.name === 'test_start') {
      this.inTest = true;
    } else if (event.name === 'test_done') {
      this.inTest = false;
      if (event.test.errors.length) {
        this.print('the set-up outside tests (beforeAll hooks)', this.suiteOutput);
        this.print(`the failed test "${testName(event.test)}"`, this.testOutput);
      }
      this.testOutput = [];
    } else if (event.name === 'hook_failure' && (event.hook.type === 'beforeAll' || event.hook.type === 'afterAll')) {
      this.print(`the set-up outside tests, up to the failed ${event.hook.type} hook`, this.suiteOutput);
    }
  }

  /** Prints held output once, on the real stderr, just above jest's report of the failure. */
  private print(what: string, output: string[]): void {
    const text = output.splice(0).join('');
    if (!text.trim()) return;
    const bar = '─'.repeat(8);
    process.stderr.write(
      `\n${bar} output held back during ${what} ${bar}\n${text.replace(/\n?$/, '\n')}${bar} end ${bar}\n\n`,
    );
  }
}

function testName(test: Circus.TestEntry): string {
  const names = [test.name];
  for (let block = test.parent; block && block.parent; block = block.parent) names.unshift(block.name);
  return names.join(' › ');
}
