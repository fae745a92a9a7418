import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AssociationEndedV1,
  AssociationRefusedError,
  AssociationType,
  BadParameterError,
  CustomerAssociatedV1,
  CustomerVouchersVoidedV1,
  NotFoundError,
} from '@settle/contracts';
import { OutboxWriter } from '@settle/messaging';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { Customer, CustomerVoucher } from '../customers/customer.entity';
import { Partner } from '../partners/partner.entity';
import { CustomerAssociation } from './customer-association.entity';
import { associationRefusals } from './eligibility';

export interface AssociateInput {
  partnerId: string;
  customerId: string;
  associationType: AssociationType;
  effectiveFrom?: Date;
  indirectPartnerId?: string | null;
  accountManagerId?: string | null;
  source?: 'operator' | 'api' | 'invitation';
}

export interface EndAssociationInput {
  customerId: string;
  /** When given, the open association must be with this partner. */
  partnerId?: string;
  effectiveTo?: Date;
  reason: string;
}

@Injectable()
export class AssociationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * The caller's transaction (a consumer's inbox transaction, an invitation's acceptance: both in
   * system scope), or one of our own in system scope: associating and ending are platform acts
   * that must see the customer's open association whichever partner holds it.
   */
  private inTransaction<T>(manager: EntityManager | undefined, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return manager ? work(manager) : inSystemScope(this.dataSource, work);
  }

  /**
   * Makes a customer the partner's customer. In one transaction, with the customer row locked so
   * two attempts for one customer run one after the other: the eligibility rules are checked (every
   * broken rule is reported), the association row is written, the customer's unused vouchers,
   * discounts and stored-value cards become void, and `customer.associated` (plus
   * `customer.vouchers-voided` when any were voided) go to the outbox.
   */
  async associate(input: AssociateInput, manager?: EntityManager): Promise<CustomerAssociation> {
    return this.inTransaction(manager, async (m) => {
      if (!(await m.existsBy(Partner, { id: input.partnerId }))) throw new NotFoundError(`Partner ${input.partnerId} does not exist.`);
      // The indirect partner is a tier-2 reseller selling under this partner; any other id reads the same, existing or not.
      if (input.indirectPartnerId && !(await m.existsBy(Partner, { id: input.indirectPartnerId, parentPartnerId: input.partnerId }))) {
        throw new BadParameterError(`indirect_partner_id: ${input.indirectPartnerId} is not one of partner ${input.partnerId}'s tier-2 resellers.`);
      }
      const customer = await m.findOne(Customer, { where: { id: input.customerId }, lock: { mode: 'pessimistic_write' } });
      if (!customer) throw new NotFoundError(`Customer ${input.customerId} does not exist; register it first.`);
      const open = await m.findOneBy(CustomerAssociation, { customerId: input.customerId, effectiveTo: IsNull() });
      const refusals = associationRefusals(customer, Boolean(open));
      if (refusals.length) throw new AssociationRefusedError(refusals);

      const effectiveFrom = input.effectiveFrom ?? new Date();
      const association = m.create(CustomerAssociation, {
        id: randomUUID(),
        partnerId: input.partnerId,
        customerId: input.customerId,
        associationType: input.associationType,
        indirectPartnerId: input.indirectPartnerId ?? null,
        accountManagerId: input.accountManagerId ?? null,
        source: input.source ?? 'operator',
        effectiveFrom,
        effectiveTo: null,
        endedReason: null,
      });
      await m.insert(CustomerAssociation, association);

      const unused = await m.find(CustomerVoucher, { where: { customerId: input.customerId, status: 'unused' }, order: { createdAt: 'ASC', id: 'ASC' } });
      if (unused.length) {
        await m.update(CustomerVoucher, unused.map((v) => v.id), { status: 'void', voidedAt: effectiveFrom, voidedByAssociationId: association.id });
        await this.outbox.append(
          m,
          CustomerVouchersVoidedV1,
          {
            customer_id: input.customerId,
            partner_id: input.partnerId,
            association_id: association.id,
            voided_at: effectiveFrom.toISOString(),
            vouchers: unused.map((v) => ({ voucher_id: v.id, kind: v.kind, face_value: v.faceValue, currency: v.currency })),
          },
          { partitionKey: input.partnerId, subject: input.customerId, occurredAt: effectiveFrom },
        );
      }
      await this.outbox.append(
        m,
        CustomerAssociatedV1,
        {
          association_id: association.id,
          partner_id: association.partnerId,
          customer_id: association.customerId,
          association_type: input.associationType,
          effective_from: effectiveFrom.toISOString(),
          indirect_partner_id: association.indirectPartnerId,
          account_manager_id: association.accountManagerId,
        },
        { partitionKey: association.partnerId, subject: association.customerId, occurredAt: effectiveFrom },
      );
      return association;
    });
  }

  /** Ends the customer's open association at `effectiveTo` (default now) and says so. */
  async end(input: EndAssociationInput): Promise<CustomerAssociation> {
    return inSystemScope(this.dataSource, async (m) => {
      const open = await m.findOne(CustomerAssociation, { where: { customerId: input.customerId, effectiveTo: IsNull() }, lock: { mode: 'pessimistic_write' } });
      if (!open || (input.partnerId && open.partnerId !== input.partnerId)) {
        throw new NotFoundError(`Customer ${input.customerId} has no open association${input.partnerId ? ' with this partner' : ''}.`);
      }
      const effectiveTo = input.effectiveTo ?? new Date();
      if (effectiveTo <= open.effectiveFrom) {
        throw new BadParameterError(`effective_to must be after the association began (${open.effectiveFrom.toISOString()}).`);
      }
      await m.update(CustomerAssociation, { id: open.id }, { effectiveTo, endedReason: input.reason });
      await this.outbox.append(
        m,
        AssociationEndedV1,
        {
          association_id: open.id,
          partner_id: open.partnerId,
          customer_id: open.customerId,
          association_type: open.associationType as AssociationType,
          effective_from: open.effectiveFrom.toISOString(),
          effective_to: effectiveTo.toISOString(),
          reason: input.reason,
        },
        { partitionKey: open.partnerId, subject: open.customerId, occurredAt: effectiveTo },
      );
      return { ...open, effectiveTo, endedReason: input.reason };
    });
  }

  /** Operator view: which partner owned the customer, in which mode, at `at` (history is kept; [from, to)), whichever partner it was. */
  async ownerAt(customerId: string, at: Date): Promise<CustomerAssociation | null> {
    return inSystemScope(this.dataSource, (m) =>
      m
        .getRepository(CustomerAssociation)
        .createQueryBuilder('a')
        .where('a.customer_id = :customerId', { customerId })
        .andWhere('a.effective_from <= :at', { at })
        .andWhere('(a.effective_to IS NULL OR a.effective_to > :at)', { at })
        .getOne(),
    );
  }

  /** Operator view: the customer's associations with every partner it had. */
  history(customerId: string): Promise<CustomerAssociation[]> {
    return inSystemScope(this.dataSource, (m) => m.find(CustomerAssociation, { where: { customerId }, order: { effectiveFrom: 'ASC' } }));
  }

  /** The open association of one of this partner's customers, or 404 (also for other partners' customers). */
  async openFor(partnerId: string, customerId: string): Promise<CustomerAssociation> {
    const open = await inPartnerScope(this.dataSource, partnerId, (m) => m.findOneBy(CustomerAssociation, { partnerId, customerId, effectiveTo: IsNull() }));
    if (!open) throw new NotFoundError(`Customer ${customerId} is not one of your customers.`);
    return open;
  }
}
