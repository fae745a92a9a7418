import { Injectable } from '@nestjs/common';
import { PartnerScope } from '@settle/auth';
import { InjectDataSource } from '@nestjs/typeorm';
import { BadParameterError } from '@settle/contracts';
import { inSystemScope } from '@settle/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { PartnerProfile } from './partner.entity';

/**
 * Read access to billing's projection of partners. Everything here reflects what customer-service
 * published so far: a partner registered a moment ago may not be known yet (null / false).
 * Without the caller's transaction a read runs in system scope: these answers decide what a caller
 * may do (is this my reseller?) and reveal nothing of the rows themselves to a partner.
 */
@Injectable()
export class PartnersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The partner's profile, or null when billing has not (yet) seen it. */
  get(partnerId: string, manager?: EntityManager): Promise<PartnerProfile | null> {
    return this.read(manager, (m) => m.findOneBy(PartnerProfile, { partnerId }));
  }

  /**
   * The partner API's answer when `indirect_partner_id` is not one of the caller's tier-2 resellers,
   * whether or not it exists (CBC.99000037): funding, reclaiming and customer sums use it.
   */
  async requireOwnReseller(scope: PartnerScope, resellerId: string, manager?: EntityManager): Promise<void> {
    if (!(await this.isParentOf(scope.partnerId, resellerId, manager))) {
      throw new BadParameterError(`indirect_partner_id: ${resellerId} is not one of your tier-2 resellers.`, 'CBC.99000037');
    }
  }

  /** Whether `childId` is an indirect (tier-2) reseller under `parentId`. */
  async isParentOf(parentId: string, childId: string, manager?: EntityManager): Promise<boolean> {
    const child = await this.read(manager, (m) => m.findOneBy(PartnerProfile, { partnerId: childId }));
    return child !== null && child.parentPartnerId === parentId;
  }

  /** The tier-2 resellers under a partner, by id. */
  childrenOf(parentId: string, manager?: EntityManager): Promise<PartnerProfile[]> {
    return this.read(manager, (m) => m.find(PartnerProfile, { where: { parentPartnerId: parentId }, order: { partnerId: 'ASC' } }));
  }

  private read<T>(manager: EntityManager | undefined, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return manager ? work(manager) : inSystemScope(this.dataSource, work);
  }
}
