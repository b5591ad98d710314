import dataSource from './database/data-source.js';
import { createOperator, OperatorCliError, parseOperatorCliArgs } from './operators/operator-cli.js';

/**
 * `npm run operator:create -- --email … [--role owner]`: adds a named operator with a personal
 * token, through the same DataSource (and DATABASE_URL) as the built app. Run `npm run build` first.
 */
async function main(): Promise<void> {
  const options = parseOperatorCliArgs(process.argv.slice(2));
  await dataSource.initialize();
  try {
    console.log(await createOperator(dataSource, options));
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof OperatorCliError ? error.message : `operator:create failed: ${String(error)}`);
  process.exitCode = 1;
});
