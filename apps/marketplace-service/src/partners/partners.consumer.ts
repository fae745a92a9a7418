import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerGroups, PartnerProfileChangedV1, PartnerRegisteredV1 } from '@settle/contracts';
import { MessagingRuntime, on } from '@settle/messaging';
import { EntityManager } from 'typeorm';

/**
 * Projects customer-service's partner events into `partner_profiles`, exactly once (inbox) and in
 * state order, as billing's projection does: both events carry the whole profile; a registration
 * never overwrites a row, a change overwrites only an older or equal state.
 */
@Injectable()
export class PartnersConsumer implements OnModuleInit {
  constructor(private readonly messaging: MessagingRuntime) {}

  onModuleInit(): void {
    this.messaging.registerConsumer({
      groupId: ConsumerGroups.MarketplacePartners,
      handlers: [
        on(PartnerRegisteredV1, async (event, manager) => {
          await upsert(manager, [event.data.partner_id, event.data.name, event.data.kind, event.data.registered_at, event.id], false);
        }),
        on(PartnerProfileChangedV1, async (event, manager) => {
          await upsert(manager, [event.data.partner_id, event.data.name, event.data.kind, event.data.changed_at, event.id], true);
        }),
      ],
    });
  }
}

async function upsert(manager: EntityManager, params: [string, string, string, string, string], overwrite: boolean): Promise<void> {
  await manager.query(
    `INSERT INTO partner_profiles AS p (partner_id, name, kind, profile_at, source_event_id) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (partner_id) DO ${overwrite ? 'UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, profile_at = EXCLUDED.profile_at, source_event_id = EXCLUDED.source_event_id WHERE p.profile_at <= EXCLUDED.profile_at' : 'NOTHING'}`,
    params,
  );
}
