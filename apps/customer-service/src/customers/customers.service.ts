import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PartnerScope, Principal, scopeOf } from '@settle/auth';
import { AccessDeniedError, AccountManagerAssignedV1, BadParameterError, ConflictError, NotFoundError } from '@settle/contracts';
import { OutboxWriter } from '@settle/messaging';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { CustomerAssociation } from '../associations/customer-association.entity';
import { AccountStanding } from '../associations/eligibility';
import { AuditRecord, Customer, CustomerContact, CustomerLabel, CustomerVoucher, VoucherKind } from './customer.entity';
import { MaskedField, maskEmail, maskMobile, maskName } from './masking';
import { PartnerMember } from '../partners/partner-member.entity';

export interface CustomerQuery {
  offset: number;
  limit: number;
  accountName?: string;
  customer?: string;
  label?: string;
  associationType?: number;
  associatedOnBegin?: Date;
  associatedOnEnd?: Date;
  customerId?: string;
  indirectPartnerId?: string;
}

export interface NewCustomer {
  id?: string;
  domainName: string;
  name?: string | null;
  mobile?: string | null;
  email?: string | null;
  xaccountId?: string | null;
  xaccountType?: string | null;
  createdByPartnerId?: string | null;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

@Injectable()
export class CustomersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Registers a customer account; the account name is unique. */
  async register(input: NewCustomer, manager?: EntityManager): Promise<Customer> {
    const m = manager ?? this.dataSource.manager;
    if (await m.existsBy(Customer, { domainName: input.domainName })) throw new ConflictError(`The account name ${input.domainName} is already taken.`);
    if (input.id && (await m.existsBy(Customer, { id: input.id }))) throw new ConflictError(`Customer ${input.id} already exists.`);
    const customer = m.create(Customer, {
      id: input.id ?? randomUUID().replace(/-/g, ''),
      domainName: input.domainName,
      name: input.name ?? null,
      mobile: input.mobile ?? null,
      email: input.email ?? null,
      xaccountId: input.xaccountId ?? null,
      xaccountType: input.xaccountType ?? null,
      createdByPartnerId: input.createdByPartnerId ?? null,
    });
    await m.insert(Customer, customer);
    return customer;
  }

  async get(customerId: string): Promise<Customer> {
    const customer = await this.dataSource.getRepository(Customer).findOneBy({ id: customerId });
    if (!customer) throw new NotFoundError(`Customer ${customerId} does not exist.`);
    return customer;
  }

  /** The account system of record reports a customer's standing (what eligibility reads). */
  async setStanding(customerId: string, standing: AccountStanding): Promise<Customer> {
    const result = await this.dataSource.getRepository(Customer).update({ id: customerId }, standing);
    if (!result.affected) throw new NotFoundError(`Customer ${customerId} does not exist.`);
    return this.get(customerId);
  }

  async addVoucher(customerId: string, input: { kind: VoucherKind; faceValue: string; currency: string }): Promise<CustomerVoucher> {
    await this.get(customerId);
    const voucher = this.dataSource.getRepository(CustomerVoucher).create({ id: randomUUID(), customerId, ...input, status: 'unused', voidedAt: null, voidedByAssociationId: null });
    await this.dataSource.getRepository(CustomerVoucher).insert(voucher);
    return voucher;
  }

  vouchers(customerId: string): Promise<CustomerVoucher[]> {
    return this.dataSource.getRepository(CustomerVoucher).find({ where: { customerId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** One of the caller's customers (404 for anyone else's, so ids cannot be probed). */
  visible(scope: PartnerScope, customerId: string): Promise<{ customer: Customer; association: CustomerAssociation }> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) => this.visibleIn(m, scope, customerId));
  }

  /** `visible` in the caller's partner-scoped transaction. */
  private async visibleIn(m: EntityManager, scope: PartnerScope, customerId: string): Promise<{ customer: Customer; association: CustomerAssociation }> {
    const association = await m.findOneBy(CustomerAssociation, {
      partnerId: scope.partnerId,
      customerId,
      effectiveTo: IsNull(),
      ...(scope.accountManagerId ? { accountManagerId: scope.accountManagerId } : {}),
    });
    if (!association) throw new NotFoundError(`Customer ${customerId} is not one of your customers.`);
    const customer = await m.findOneBy(Customer, { id: customerId });
    if (!customer) throw new NotFoundError(`Customer ${customerId} does not exist.`);
    return { customer, association };
  }

  /** The partner API customer list: filters and paging as the public API, masked, scoped. */
  async query(scope: PartnerScope, q: CustomerQuery): Promise<{ total: number; rows: Array<{ customer: Customer; association: CustomerAssociation; labels: string[] }> }> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) => this.queryIn(m, scope, q));
  }

  private async queryIn(m: EntityManager, scope: PartnerScope, q: CustomerQuery): Promise<{ total: number; rows: Array<{ customer: Customer; association: CustomerAssociation; labels: string[] }> }> {
    const qb = m
      .getRepository(CustomerAssociation)
      .createQueryBuilder('a')
      .innerJoin(Customer, 'c', 'c.id = a.customer_id')
      .where('a.partner_id = :partnerId AND a.effective_to IS NULL', { partnerId: scope.partnerId });
    if (scope.accountManagerId) qb.andWhere('a.account_manager_id = :manager', { manager: scope.accountManagerId });
    if (q.accountName) qb.andWhere("c.domain_name ILIKE :accountName ESCAPE '\\'", { accountName: `%${escapeLike(q.accountName)}%` });
    if (q.customer) qb.andWhere("c.name ILIKE :customer ESCAPE '\\'", { customer: `%${escapeLike(q.customer)}%` });
    if (q.label) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM customer_labels l WHERE l.partner_id = a.partner_id AND l.customer_id = a.customer_id AND l.label LIKE :label ESCAPE '\\')`,
        { label: `%${escapeLike(q.label)}%` },
      );
    }
    if (q.associationType) qb.andWhere('a.association_type = :type', { type: q.associationType });
    if (q.associatedOnBegin) qb.andWhere('a.effective_from >= :begin', { begin: q.associatedOnBegin });
    if (q.associatedOnEnd) qb.andWhere('a.effective_from <= :end', { end: q.associatedOnEnd });
    if (q.customerId) qb.andWhere('a.customer_id = :customerId', { customerId: q.customerId });
    if (q.indirectPartnerId) qb.andWhere('a.indirect_partner_id = :indirect', { indirect: q.indirectPartnerId });
    const total = await qb.getCount();
    const associations = await qb.orderBy('a.effective_from', 'DESC').addOrderBy('a.id', 'ASC').offset(q.offset).limit(q.limit).getMany();
    if (!associations.length) return { total, rows: [] };
    const ids = associations.map((a) => a.customerId);
    const customers = await m.getRepository(Customer).createQueryBuilder('c').where('c.id IN (:...ids)', { ids }).getMany();
    const labels = await m
      .getRepository(CustomerLabel)
      .createQueryBuilder('l')
      .where('l.partner_id = :partnerId AND l.customer_id IN (:...ids)', { partnerId: scope.partnerId, ids })
      .orderBy('l.label', 'ASC')
      .getMany();
    const byId = new Map(customers.map((c) => [c.id, c]));
    return {
      total,
      rows: associations.map((association) => ({
        association,
        customer: byId.get(association.customerId) as Customer,
        labels: labels.filter((l) => l.customerId === association.customerId).map((l) => l.label),
      })),
    };
  }

  async labelsOf(partnerId: string, customerId: string): Promise<string[]> {
    const rows = await inPartnerScope(this.dataSource, partnerId, (m) => m.find(CustomerLabel, { where: { partnerId, customerId }, order: { label: 'ASC' } }));
    return rows.map((r) => r.label);
  }

  /** Replaces the partner's labels on one of its customers. */
  async setLabels(scope: PartnerScope, customerId: string, labels: string[]): Promise<string[]> {
    const unique = [...new Set(labels)];
    await inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      await this.visibleIn(m, scope, customerId);
      await m.delete(CustomerLabel, { partnerId: scope.partnerId, customerId });
      if (unique.length) await m.insert(CustomerLabel, unique.map((label) => ({ partnerId: scope.partnerId, customerId, label })));
    });
    return unique.sort();
  }

  /**
   * Assigns (or, with null, unassigns) the salesperson who manages one of the partner's customers,
   * and says so (other services scope what a salesperson sees by it). Re-assigning the same member
   * changes nothing and publishes nothing.
   */
  async assign(scope: PartnerScope, customerId: string, memberId: string | null): Promise<CustomerAssociation> {
    const { partnerId } = scope;
    return inPartnerScope(this.dataSource, partnerId, async (m) => {
      const { association } = await this.visibleIn(m, scope, customerId);
      if (memberId !== null) {
        const member = await m.findOneBy(PartnerMember, { id: memberId, partnerId });
        // Another partner's member reads exactly like a missing one: nothing about other tenants leaks.
        if (!member) throw new BadParameterError(`member_id: ${memberId} is not a member of your organization.`);
        if (member.role !== 'salesperson') throw new BadParameterError(`member_id: ${memberId} is a ${member.role}, not a salesperson; only salespeople manage customers.`);
      }
      const locked = await m.findOne(CustomerAssociation, { where: { id: association.id }, lock: { mode: 'pessimistic_write' } });
      if (!locked || locked.effectiveTo !== null) throw new NotFoundError(`Customer ${customerId} is not one of your customers.`);
      if (locked.accountManagerId === memberId) return locked;
      const at = new Date();
      await m.update(CustomerAssociation, { id: locked.id }, { accountManagerId: memberId });
      await this.outbox.append(
        m,
        AccountManagerAssignedV1,
        { association_id: locked.id, partner_id: locked.partnerId, customer_id: locked.customerId, account_manager_id: memberId, assigned_at: at.toISOString() },
        { partitionKey: locked.partnerId, subject: locked.customerId, occurredAt: at },
      );
      return { ...locked, accountManagerId: memberId };
    });
  }

  async addContact(scope: PartnerScope, customerId: string, input: { name: string; mobile?: string | null; email?: string | null }): Promise<CustomerContact> {
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      await this.visibleIn(m, scope, customerId);
      const contact = m.create(CustomerContact, { id: randomUUID(), partnerId: scope.partnerId, customerId, name: input.name, mobile: input.mobile ?? null, email: input.email ?? null });
      await m.insert(CustomerContact, contact);
      return contact;
    });
  }

  contacts(partnerId: string, customerId: string): Promise<CustomerContact[]> {
    return inPartnerScope(this.dataSource, partnerId, (m) => m.find(CustomerContact, { where: { partnerId, customerId }, order: { createdAt: 'ASC', id: 'ASC' } }));
  }

  /**
   * The contacts the customer sees: those of the partner it is associated with now. In system
   * scope: the customer console asks by customer, and which partner's contacts to show is what
   * the open association answers.
   */
  async contactsShownToCustomer(customerId: string): Promise<{ partnerId: string | null; contacts: CustomerContact[] }> {
    await this.get(customerId);
    return inSystemScope(this.dataSource, async (m) => {
      const open = await m.findOneBy(CustomerAssociation, { customerId, effectiveTo: IsNull() });
      if (!open) return { partnerId: null, contacts: [] };
      const contacts = await m.find(CustomerContact, { where: { partnerId: open.partnerId, customerId }, order: { createdAt: 'ASC', id: 'ASC' } });
      return { partnerId: open.partnerId, contacts };
    });
  }

  /** Returns one personal field unmasked and records who saw it, in one transaction. */
  async reveal(principal: Principal, customerId: string, field: MaskedField): Promise<string | null> {
    if (principal.kind !== 'partner') throw new AccessDeniedError('Only a partner may reveal its customers\' data.');
    const scope = scopeOf(principal);
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      const { customer } = await this.visibleIn(m, scope, customerId);
      await m.insert(AuditRecord, {
        id: randomUUID(),
        partnerId: principal.partnerId,
        accessKey: principal.accessKey,
        memberId: principal.memberId ?? null,
        action: 'reveal',
        customerId,
        field,
        requestId: principal.requestId,
        at: new Date(),
      });
      return customer[field];
    });
  }

  /** Operator view: who saw the customer's personal data, whichever partner it was (system scope). */
  auditRecords(customerId: string): Promise<AuditRecord[]> {
    return inSystemScope(this.dataSource, (m) => m.find(AuditRecord, { where: { customerId }, order: { at: 'ASC', id: 'ASC' } }));
  }
}

/** A customer as partners see it: personal fields masked. */
export function maskedCustomer(customer: Customer) {
  return {
    account_name: customer.domainName,
    customer: maskName(customer.name),
    mobile_phone: maskMobile(customer.mobile),
    email: maskEmail(customer.email),
  };
}
