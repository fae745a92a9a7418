import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerGroups, EventData, PartnerProfileChangedV1, PartnerRegisteredV1 } from '@settle/contracts';
import { MessagingRuntime, on } from '@settle/messaging';
import { EntityManager } from 'typeorm';
import { PartnerProfile } from './partner.entity';

type Profile = EventData<typeof PartnerRegisteredV1> | EventData<typeof PartnerProfileChangedV1>;

function rowOf(d: Profile, registeredAt: Date | null, profileAt: Date, eventId: string): Omit<PartnerProfile, 'registeredAt'> & { registeredAt: Date | null } {
  return {
    partnerId: d.partner_id,
    name: d.name,
    kind: d.kind,
    tier: d.tier,
    parentPartnerId: d.parent_partner_id,
    level: d.level,
    taxpayerType: d.taxpayer_type,
    certificationStatus: d.certification_status,
    registeredAt,
    profileAt,
    sourceEventId: eventId,
  };
}

/**
 * Projects customer-service's partner events into `partner_profiles`, exactly once (inbox) and in
 * state order: both events carry the whole profile, so the row is the newest one seen. A
 * registration never overwrites a row (it is by definition the oldest state); a profile change
 * overwrites only a row holding an older or equal state. A change that arrives before its
 * registration (a topic replayed from a later offset) still creates the row; the registration
 * then only fills in the registration time.
 */
@Injectable()
export class PartnersConsumer implements OnModuleInit {
  constructor(private readonly messaging: MessagingRuntime) {}

  onModuleInit(): void {
    this.messaging.registerConsumer({
      groupId: ConsumerGroups.BillingPartners,
      handlers: [
        on(PartnerRegisteredV1, async (event, manager) => {
          const at = new Date(event.data.registered_at);
          await upsert(manager, rowOf(event.data, at, at, event.id), 'registered');
        }),
        on(PartnerProfileChangedV1, async (event, manager) => {
          await upsert(manager, rowOf(event.data, null, new Date(event.data.changed_at), event.id), 'changed');
        }),
      ],
    });
  }
}

async function upsert(manager: EntityManager, row: ReturnType<typeof rowOf>, cause: 'registered' | 'changed'): Promise<void> {
  const params = [
    row.partnerId,
    row.name,
    row.kind,
    row.tier,
    row.parentPartnerId,
    row.level,
    row.taxpayerType,
    row.certificationStatus,
    // Until its registration arrives, a row created by a change carries the change's time.
    row.registeredAt ?? row.profileAt,
    row.profileAt,
    row.sourceEventId,
  ];
  const insert = `INSERT INTO partner_profiles AS p (partner_id, name, kind, tier, parent_partner_id, level, taxpayer_type, certification_status, registered_at, profile_at, source_event_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`;
  if (cause === 'registered') {
    await manager.query(`${insert} ON CONFLICT (partner_id) DO UPDATE SET registered_at = LEAST(p.registered_at, EXCLUDED.registered_at)`, params);
    return;
  }
  await manager.query(
    `${insert} ON CONFLICT (partner_id) DO UPDATE SET
       name = EXCLUDED.name, kind = EXCLUDED.kind, tier = EXCLUDED.tier, parent_partner_id = EXCLUDED.parent_partner_id,
       level = EXCLUDED.level, taxpayer_type = EXCLUDED.taxpayer_type, certification_status = EXCLUDED.certification_status,
       profile_at = EXCLUDED.profile_at, source_event_id = EXCLUDED.source_event_id
     WHERE p.profile_at <= EXCLUDED.profile_at`,
    params,
  );
}
