import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PartnerScope } from '@settle/auth';
import { ConflictError, NotFoundError } from '@settle/contracts';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { LOGGER, Logger } from '@settle/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock } from '../clock';
import { BenefitAuditRecord } from './benefit-audit-record.entity';
import { BenefitApplication, BenefitStatus, BenefitType } from './benefit-application.entity';

export interface BenefitWithTrail {
  application: BenefitApplication;
  trail: BenefitAuditRecord[];
}

/**
 * Special-benefit qualification (FH, NRE): a partner submits, an operator approves or rejects with
 * a reason, once (a decided application stays decided; the partner submits a new one). Every step
 * is written with its audit record in one transaction.
 */
@Injectable()
export class BenefitsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async submit(scope: PartnerScope, benefitType: BenefitType, details: Record<string, unknown>): Promise<BenefitWithTrail> {
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      const now = this.clock.now();
      const application: BenefitApplication = { id: randomUUID(), partnerId: scope.partnerId, benefitType, status: 'submitted', details, rejectReason: null, submittedAt: now, submittedBy: scope.actor, reviewedAt: null, reviewedBy: null };
      await m.getRepository(BenefitApplication).save(application);
      const trail = [await this.audit(m, application, 1, 'submitted', null, now, scope.actor)];
      this.logger.info({ application_id: application.id, partner_id: scope.partnerId, benefit_type: benefitType }, 'special benefit applied for');
      return { application, trail };
    });
  }

  async review(applicationId: string, decision: Exclude<BenefitStatus, 'submitted'>, reason: string | null, by: string): Promise<BenefitWithTrail> {
    return inSystemScope(this.dataSource, async (m) => {
      const application = await m.findOne(BenefitApplication, { where: { id: applicationId }, lock: { mode: 'pessimistic_write' } });
      if (!application) throw new NotFoundError(`Special-benefit application ${applicationId} does not exist.`);
      if (application.status !== 'submitted') throw new ConflictError(`Special-benefit application ${applicationId} was already ${application.status}.`);
      const now = this.clock.now();
      const reviewed: BenefitApplication = { ...application, status: decision, rejectReason: reason, reviewedAt: now, reviewedBy: by };
      await m.update(BenefitApplication, { id: applicationId }, { status: decision, rejectReason: reason, reviewedAt: now, reviewedBy: by });
      const before = await m.find(BenefitAuditRecord, { where: { applicationId }, order: { seq: 'ASC' } });
      const trail = [...before, await this.audit(m, reviewed, before.length + 1, decision, reason, now, by)];
      this.logger.info({ application_id: applicationId, decision, by }, 'special benefit reviewed');
      return { application: reviewed, trail };
    });
  }

  private async audit(m: EntityManager, a: BenefitApplication, seq: number, action: string, reason: string | null, at: Date, by: string): Promise<BenefitAuditRecord> {
    const record: BenefitAuditRecord = { applicationId: a.id, seq, partnerId: a.partnerId, action, reason, at, by };
    await m.insert(BenefitAuditRecord, record);
    return record;
  }

  partnerList(scope: PartnerScope, q: { status?: BenefitStatus; benefitType?: BenefitType; offset: number; limit: number }): Promise<[BenefitApplication[], number]> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) =>
      m.findAndCount(BenefitApplication, { where: { partnerId: scope.partnerId, status: q.status, benefitType: q.benefitType }, order: { submittedAt: 'DESC' }, skip: q.offset, take: q.limit }),
    );
  }

  partnerGet(scope: PartnerScope, applicationId: string): Promise<BenefitWithTrail> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) => this.withTrail(m, applicationId));
  }

  operatorList(q: { partnerId?: string; status?: BenefitStatus; benefitType?: BenefitType; offset: number; limit: number }): Promise<[BenefitApplication[], number]> {
    return inSystemScope(this.dataSource, (m) =>
      m.findAndCount(BenefitApplication, { where: { partnerId: q.partnerId, status: q.status, benefitType: q.benefitType }, order: { submittedAt: 'DESC' }, skip: q.offset, take: q.limit }),
    );
  }

  operatorGet(applicationId: string): Promise<BenefitWithTrail> {
    return inSystemScope(this.dataSource, (m) => this.withTrail(m, applicationId));
  }

  private async withTrail(m: EntityManager, applicationId: string): Promise<BenefitWithTrail> {
    const application = await m.findOneBy(BenefitApplication, { id: applicationId });
    if (!application) throw new NotFoundError(`Special-benefit application ${applicationId} does not exist.`);
    return { application, trail: await m.find(BenefitAuditRecord, { where: { applicationId }, order: { seq: 'ASC' } }) };
  }
}
