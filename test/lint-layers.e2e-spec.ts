import { ESLint } from 'eslint';
import { projectRoot } from '../src/common/project-root.js';

/**
 * The layering in eslint.config.js is only worth having if it fails the build when a feature imports
 * against the direction. These snippets are linted as if they were files at the given paths.
 */
describe('the import layering lint rule', () => {
  let eslint: ESLint;

  beforeAll(() => {
    eslint = new ESLint({
      cwd: projectRoot(),
      // Only the layering rules, and no type information: they read import paths, not types, and
      // the snippets are not files a TypeScript project would know.
      overrideConfig: {
        files: ['**/*.ts'],
        languageOptions: { parserOptions: { projectService: false, project: false } },
      },
      ruleFilter: ({ ruleId }) => ruleId.startsWith('boundaries/'),
    });
  });

  async function layerErrors(filePath: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return result.messages.map((message) => `${message.ruleId ?? 'parser'}: ${message.message}`);
  }

  it('refuses an import from subscribers up into delivery', async () => {
    const errors = await layerErrors(
      'src/subscribers/layer-probe.ts',
      "import { DeliveryStatus } from '../delivery/delivery-status.js';\nexport const s = DeliveryStatus.Sent;\n",
    );
    expect(errors).toEqual([
      'boundaries/dependencies: There is no policy allowing dependencies from elements of type "subscribers" to elements of type "delivery"',
    ]);
  });

  it('refuses an import between siblings of one layer (posts into subscribers)', async () => {
    const errors = await layerErrors(
      'src/posts/layer-probe.ts',
      "import { SubscriberStatus } from '../subscribers/subscriber-status.js';\nexport const s = SubscriberStatus.Confirmed;\n",
    );
    expect(errors).toEqual([
      'boundaries/dependencies: There is no policy allowing dependencies from elements of type "posts" to elements of type "subscribers"',
    ]);
  });

  it('refuses an import from the lowest layer (config) into common', async () => {
    const errors = await layerErrors(
      'src/config/layer-probe.ts',
      "import { projectRoot } from '../common/project-root.js';\nexport const root = projectRoot();\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('"config" to elements of type "common"');
  });

  it('refuses a migration importing application code', async () => {
    const errors = await layerErrors(
      'migrations/1999999999999-LayerProbe.ts',
      "import { DigestStatus } from '../src/digests/digest-status.js';\nexport const s = DigestStatus.Sent;\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('"migrations" to elements of type "digests"');
  });

  it('refuses a file in a folder of src/ that the layering does not name', async () => {
    const errors = await layerErrors('src/newfeature/layer-probe.ts', 'export const x = 1;\n');
    expect(errors).toEqual([expect.stringMatching(/^boundaries\/no-unknown-files: /)]);
  });

  it('accepts imports downwards and within a feature', async () => {
    const code = [
      "import { AppConfig } from '../config/app-config.js';",
      "import { MicroBatcher } from '../common/micro-batcher.js';",
      "import { MailTransport } from '../mail/mail-transport.js';",
      "import { DigestStatus } from '../digests/digest-status.js';",
      "import { SubscriberStatus } from '../subscribers/subscriber-status.js';",
      "import { DeliveryStatus } from './delivery-status.js';",
      'export const all = [AppConfig, MicroBatcher, MailTransport, DigestStatus, SubscriberStatus, DeliveryStatus];',
      '',
    ].join('\n');
    expect(await layerErrors('src/delivery/layer-probe.ts', code)).toEqual([]);
  });

  it('lets the composition roots and the tests import any feature', async () => {
    const code =
      "import { DeliveryStatus } from '../src/delivery/delivery-status.js';\nimport { AdminAuthGuard } from '../src/admin/admin-auth.guard.js';\nexport const all = [DeliveryStatus, AdminAuthGuard];\n";
    expect(await layerErrors('test/layer-probe.ts', code)).toEqual([]);
    expect(await layerErrors('src/layer-probe.ts', code.replaceAll('../src/', './'))).toEqual([]);
  });
});
