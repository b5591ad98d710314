import type { EntityManager } from 'typeorm';

/**
 * Cancels a digest that is being sent: it becomes `cancelled` and its queued deliveries
 * `skipped`; copies already in flight finish. Returns null when the digest was not sending.
 * A plain function so that the digests admin (which may not depend on the delivery module)
 * and the delivery controls share one definition.
 */
export async function cancelSendingDigest(manager: EntityManager, digestId: string, reason = 'digest cancelled by an operator'): Promise<number | null> {
  const [, changed] = await manager.query<[unknown[], number]>(
    `UPDATE digests SET status = 'cancelled', cancelled_at = now(), paused_at = NULL WHERE id = $1 AND status = 'sending'`,
    [digestId],
  );
  if (!changed) return null;
  const [, skipped] = await manager.query<[unknown[], number]>(
    `UPDATE deliveries SET status = 'skipped', last_error = $2, finished_at = now() WHERE digest_id = $1 AND status = 'queued'`,
    [digestId, reason.slice(0, 1000)],
  );
  return Number(skipped);
}
