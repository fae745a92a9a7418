import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerGroups, EventData, PartnerProfileChangedV1, PartnerRegisteredV1, SettleEvent } from '@settle/contracts';
import { MessagingRuntime, onBatch } from '@settle/messaging';
import { LOGGER, Logger } from '@settle/platform';
import { EntityManager } from 'typeorm';

type ProfileData = EventData<typeof PartnerRegisteredV1> | EventData<typeof PartnerProfileChangedV1>;

/**
 * Projects customer-service's partner events into `partner_profiles`, exactly once (inbox), newest
 * state wins (both events carry the whole profile; an older state never overwrites a newer one,
 * so a replay or an out-of-order delivery leaves the newest).
 */
@Injectable()
export class PartnersConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const apply = (at: (e: SettleEvent<ProfileData>) => string) => async (events: SettleEvent<ProfileData>[], m: EntityManager) => {
      for (const e of events) await upsert(m, e.data, new Date(at(e)), e.id);
      this.logger.info({ count: events.length }, 'partner profiles projected');
    };
    this.messaging.registerConsumer({
      groupId: ConsumerGroups.IncentivePartners,
      handlers: [
        onBatch(PartnerRegisteredV1, apply((e) => (e.data as EventData<typeof PartnerRegisteredV1>).registered_at)),
        onBatch(PartnerProfileChangedV1, apply((e) => (e.data as EventData<typeof PartnerProfileChangedV1>).changed_at)),
      ],
    });
  }
}

async function upsert(m: EntityManager, d: ProfileData, at: Date, eventId: string): Promise<void> {
  await m.query(
    `INSERT INTO partner_profiles AS p (partner_id, kind, level, taxpayer_type, certification_status, profile_at, source_event_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (partner_id) DO UPDATE SET kind = EXCLUDED.kind, level = EXCLUDED.level, taxpayer_type = EXCLUDED.taxpayer_type,
       certification_status = EXCLUDED.certification_status, profile_at = EXCLUDED.profile_at, source_event_id = EXCLUDED.source_event_id
     WHERE p.profile_at <= EXCLUDED.profile_at`,
    [d.partner_id, d.kind, d.level, d.taxpayer_type, d.certification_status, at, eventId],
  );
}
