import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { AdminRole } from '../../src/common/admin-role.js';

/** An operator made through the admin API with a bootstrap (ADMIN_TOKENS) token, and a personal token of theirs. */
export async function operatorWithToken(
  http: Parameters<typeof request>[0],
  bootstrapToken: string,
  email: string,
  role: AdminRole,
): Promise<{ id: string; token: string; tokenId: string }> {
  const auth = `Bearer ${bootstrapToken}`;
  const operator = await request(http).post('/admin/operators').set('Authorization', auth).send({ email, role });
  if (operator.status !== 201) throw new Error(`creating ${role}: ${operator.status} ${operator.text}`);
  const issued = await request(http)
    .post(`/admin/operators/${operator.body.id}/tokens`)
    .set('Authorization', auth)
    .send({ name: `${role} token` });
  if (issued.status !== 201) throw new Error(`issuing a ${role} token: ${issued.status} ${issued.text}`);
  return { id: operator.body.id, token: issued.body.token, tokenId: issued.body.id };
}

/** One hash per table (the append-only audit log left out): equal before and after means nothing was written. */
export async function databaseFingerprint(dataSource: DataSource): Promise<Record<string, string>> {
  const tables: Array<{ name: string }> = await dataSource.query(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'audit_log' ORDER BY 1`,
  );
  const fingerprint: Record<string, string> = {};
  for (const { name } of tables) {
    const [{ hash }] = await dataSource.query(
      `SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS hash FROM "${name}" t`,
    );
    fingerprint[name] = hash;
  }
  return fingerprint;
}
