import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PartnerProfile } from './partner-profile.entity';

/** The one reader of `partner_profiles` (other features ask here). */
@Injectable()
export class PartnersService {
  get(m: EntityManager, partnerId: string): Promise<PartnerProfile | null> {
    return m.findOneBy(PartnerProfile, { partnerId });
  }

  getForUpdate(m: EntityManager, partnerId: string): Promise<PartnerProfile | null> {
    return m.findOne(PartnerProfile, { where: { partnerId }, lock: { mode: 'pessimistic_read' } });
  }
}
