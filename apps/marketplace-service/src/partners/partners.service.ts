import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PartnerScope } from '@settle/auth';
import { AccessDeniedError } from '@settle/contracts';
import { inSystemScope } from '@settle/persistence';
import { DataSource } from 'typeorm';
import { PROGRAM_KINDS, PartnerProfile } from './partner-profile.entity';

/** Who is in the marketplace customer-service program, from the projection of partners. */
@Injectable()
export class PartnersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  get(partnerId: string): Promise<PartnerProfile | null> {
    return inSystemScope(this.dataSource, (m) => m.findOneBy(PartnerProfile, { partnerId }));
  }

  /**
   * 403 in the API's error shape unless the caller's partner is a solution provider or a
   * distributor (a partner marketplace has not heard of yet is refused too: it may ask again).
   */
  async requireProgramPartner(scope: PartnerScope): Promise<PartnerProfile> {
    const profile = await this.get(scope.partnerId);
    if (!profile || !PROGRAM_KINDS.includes(profile.kind)) {
      throw new AccessDeniedError('Only partners in the marketplace customer-service program (solution providers and distributors) may use this.');
    }
    return profile;
  }
}
