import type { DataSource } from 'typeorm';
import { DIGEST_PLACEHOLDERS } from '../../src/digests/digest-placeholders.js';

let week = 0;

/** Confirmed subscribers `<prefix>0001@example.com`..., inserted in one statement. */
export async function insertConfirmedSubscribers(
  dataSource: DataSource,
  count: number,
  prefix = 'subscriber',
): Promise<void> {
  await dataSource.query(
    `INSERT INTO subscribers (email, status, confirmed_at)
     SELECT $2 || lpad(n::text, 5, '0') || '@example.com', 'confirmed', now()
     FROM generate_series(1, $1) AS n`,
    [count, prefix],
  );
}

/** An approved digest with the unsubscribe and manage placeholders in both parts, as the renderer leaves them. */
export async function insertApprovedDigest(
  dataSource: DataSource,
  subject = 'BHM Healthcare weekly: Test digest',
): Promise<string> {
  week += 1;
  const start = new Date(Date.UTC(2020, 0, 6) + (week + Math.floor(Math.random() * 50_000) * 7) * 7 * 86400_000);
  const end = new Date(start.getTime() + 7 * 86400_000);
  const { unsubscribeUrl: unsubscribe, manageUrl: manage } = DIGEST_PLACEHOLDERS;
  const html = `<!doctype html><html><body><h1>${subject}</h1><p>${'Healthcare news. '.repeat(200)}</p><p><a href="${unsubscribe}">Unsubscribe</a> <a href="${manage}">Manage your subscription</a></p></body></html>`;
  const text = `${subject}\n\n${'Healthcare news. '.repeat(50)}\n\nUnsubscribe: ${unsubscribe}\nManage your subscription: ${manage}\n`;
  const [{ id }] = await dataSource.query(
    `INSERT INTO digests (period_start, period_end, status, subject, preheader, html, text, post_count, approved_at)
     VALUES ($1, $2, 'approved', $3, 'This week', $4, $5, 1, now()) RETURNING id`,
    [start, end, subject, html, text],
  );
  return id;
}

export async function digestStatus(dataSource: DataSource, id: string): Promise<string> {
  const [row] = await dataSource.query(`SELECT status FROM digests WHERE id = $1`, [id]);
  return row.status;
}

export async function deliveryCounts(dataSource: DataSource, id: string): Promise<Record<string, number>> {
  const rows: Array<{ status: string; count: string }> = await dataSource.query(
    `SELECT status, count FROM digest_delivery_counts WHERE digest_id = $1 AND count > 0`,
    [id],
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
}
