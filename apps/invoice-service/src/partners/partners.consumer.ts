import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerGroups, EventData, PartnerProfileChangedV1, PartnerRegisteredV1 } from '@settle/contracts';
import { SERVICE_CONFIG } from '@settle/platform';
import { MessagingRuntime, on } from '@settle/messaging';
import { EntityManager } from 'typeorm';
import { PartnersService } from './partners.service';
import { InvoiceConfig } from '../config';

type Profile = EventData<typeof PartnerRegisteredV1> | EventData<typeof PartnerProfileChangedV1>;

/**
 * Projects customer-service's partner events into `partner_profiles`, exactly once (inbox) and in
 * state order, the way billing's projection does: both events carry the whole profile; a
 * registration never overwrites a row; a change overwrites only a row holding an older or equal state.
 */
@Injectable()
export class PartnersConsumer implements OnModuleInit {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: InvoiceConfig,
    private readonly messaging: MessagingRuntime,
    private readonly partners: PartnersService,
  ) {}

  onModuleInit(): void {
    if (!this.config.INVOICE_CONSUMERS_ENABLED) return;
    this.messaging.registerConsumer({
      groupId: ConsumerGroups.InvoicePartners,
      handlers: [
        on(PartnerRegisteredV1, async (event, manager) => {
          if ((await upsert(manager, event.data, new Date(event.data.registered_at), event.id, 'registered')) && event.data.certification_status === 'certified') await this.partners.certified(manager, event.data.partner_id);
        }),
        on(PartnerProfileChangedV1, async (event, manager) => {
          if ((await upsert(manager, event.data, new Date(event.data.changed_at), event.id, 'changed')) && event.data.certification_status === 'certified') await this.partners.certified(manager, event.data.partner_id);
        }),
      ],
    });
  }
}

/** Writes the state when it is the newest; returns whether it did. */
async function upsert(manager: EntityManager, d: Profile, at: Date, eventId: string, cause: 'registered' | 'changed'): Promise<boolean> {
  const insert = `INSERT INTO partner_profiles AS p (partner_id, name, kind, taxpayer_type, certification_status, profile_at, source_event_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7)`;
  const params = [d.partner_id, d.name, d.kind, d.taxpayer_type, d.certification_status, at, eventId];
  if (cause === 'registered') {
    const inserted: unknown[] = await manager.query(`${insert} ON CONFLICT (partner_id) DO NOTHING RETURNING partner_id`, params);
    return inserted.length > 0;
  }
  const written: unknown[] = await manager.query(
    `${insert} ON CONFLICT (partner_id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, taxpayer_type = EXCLUDED.taxpayer_type,
       certification_status = EXCLUDED.certification_status, profile_at = EXCLUDED.profile_at, source_event_id = EXCLUDED.source_event_id
     WHERE p.profile_at <= EXCLUDED.profile_at
     RETURNING partner_id`,
    params,
  );
  return written.length > 0;
}
