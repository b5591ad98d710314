import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ConsentEvent, ConsentEventKind } from './consent-event.entity.js';

export type NewConsentEvent = Pick<
  ConsentEvent,
  'subscriberId' | 'kind' | 'source' | 'ip' | 'userAgent' | 'formVersion' | 'consentText'
>;

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

  async insert(manager: EntityManager, event: NewConsentEvent): Promise<void> {
    await manager.insert(ConsentEvent, event);
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
