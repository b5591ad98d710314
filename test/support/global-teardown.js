import pg from 'pg';

/** Drops the run's template database (see global-setup.js). */
export default async function globalTeardown() {
  const run = process.env.TIDINGS_TEST_RUN;
  if (!run) return;
  const server = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
  const client = new pg.Client({ connectionString: `${server}/postgres` });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "tidings_test_template_${run}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
