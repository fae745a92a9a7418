import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { inSystemScope } from '@settle/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { PartnerProfile } from './partner-profile.entity';

/** Told, in the consumer's transaction, that a partner's business information certification became complete. */
export type CertifiedListener = (manager: EntityManager, partnerId: string) => Promise<void>;

/** Read access to invoice-service's projection of partners (what customer-service published so far). */
@Injectable()
export class PartnersService {
  private readonly certifiedListeners: CertifiedListener[] = [];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Features that wait for a certification (invoicing lists become visible) register here, so this module depends on none of them. */
  onCertified(listener: CertifiedListener): void {
    this.certifiedListeners.push(listener);
  }

  /** Called by the projection when a partner became certified. */
  async certified(manager: EntityManager, partnerId: string): Promise<void> {
    for (const listener of this.certifiedListeners) await listener(manager, partnerId);
  }

  /** The partner's profile, or null when invoice-service has not (yet) seen it. */
  get(partnerId: string, manager?: EntityManager): Promise<PartnerProfile | null> {
    const read = (m: EntityManager) => m.findOneBy(PartnerProfile, { partnerId });
    return manager ? read(manager) : inSystemScope(this.dataSource, read);
  }

  /** Whether the partner's business information certification (商业信息认证) is complete. */
  async isCertified(partnerId: string, manager?: EntityManager): Promise<boolean> {
    return (await this.get(partnerId, manager))?.certificationStatus === 'certified';
  }
}
