import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ConsentEvent, ConsentEventKind } from './consent-event.entity.js';

export type NewConsentEvent = Pick<
  ConsentEvent,
  'subscriberId' | 'kind' | 'source' | 'ip' | 'userAgent' | 'formVersion' | 'consentText'
> & { digestId?: string };

export interface ConsentEventView {
  id: string;
  kind: ConsentEventKind;
  source: string;
  occurredAt: Date;
  ip: string | null;
  userAgent: string | null;
  formVersion: string | null;
  consentText: string | null;
}

/** The one owner of `consent_events`: proof of consent is only ever added to, never changed. */
@Injectable()
export class ConsentEventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, { digestId, ...event }: NewConsentEvent): Promise<void> {
    if (!digestId) {
      await manager.insert(ConsentEvent, event);
      return;
    }
    // The digest is kept only when it was sent to this subscriber: a link edited by hand, or one
    // forwarded from another reader's copy, counts for no digest.
    await manager.query(
      `INSERT INTO consent_events (subscriber_id, kind, source, ip, user_agent, form_version, consent_text, digest_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT digest_id FROM deliveries WHERE subscriber_id = $1 AND digest_id = $8))`,
      [
        event.subscriberId,
        event.kind,
        event.source,
        event.ip,
        event.userAgent,
        event.formVersion,
        event.consentText,
        digestId,
      ],
    );
  }

  /** Unsubscribes made from each of these digests' mails (a partial index read per digest). */
  async unsubscribesPerDigest(digestIds: string[]): Promise<Map<string, number>> {
    if (!digestIds.length) return new Map();
    const rows = await this.dataSource.query<Array<{ digest_id: string; n: number }>>(
      `SELECT digest_id, count(*)::int AS n FROM consent_events
       WHERE digest_id = ANY($1::uuid[]) AND kind = 'unsubscribe' GROUP BY digest_id`,
      [digestIds],
    );
    return new Map(rows.map((row) => [row.digest_id, row.n]));
  }

  /** The same event for many subscribers at once (CSV import). */
  async insertMany(
    manager: EntityManager,
    subscriberIds: string[],
    kind: ConsentEventKind,
    source: string,
    consentText: string | null = null,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO consent_events (subscriber_id, kind, source, consent_text) SELECT id, $2::consent_event_kind, $3, $4 FROM unnest($1::uuid[]) AS t(id)`,
      [subscriberIds, kind, source, consentText],
    );
  }

  latest(manager: EntityManager, subscriberId: string, kind: ConsentEventKind): Promise<ConsentEvent | null> {
    return manager.findOne(ConsentEvent, { where: { subscriberId, kind }, order: { occurredAt: 'DESC', id: 'DESC' } });
  }

  listOf(subscriberId: string, manager: EntityManager = this.dataSource.manager): Promise<ConsentEventView[]> {
    return manager.query(
      `SELECT id, kind, source, occurred_at AS "occurredAt", ip, user_agent AS "userAgent", form_version AS "formVersion", consent_text AS "consentText"
       FROM consent_events WHERE subscriber_id = $1 ORDER BY occurred_at, id`,
      [subscriberId],
    );
  }
}
