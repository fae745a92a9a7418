import { Injectable } from '@nestjs/common';
import { PartnerScope } from '@settle/auth';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AuthorizationGrantedV1,
  AuthorizationRejectedV1,
  AuthorizationRequestedV1,
  AuthorizationRevokedV1,
  BadParameterError,
  ConflictError,
  NotFoundError,
} from '@settle/contracts';
import { OutboxWriter } from '@settle/messaging';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull, QueryFailedError, SelectQueryBuilder } from 'typeorm';
import { CustomerAssociation } from '../associations/customer-association.entity';
import { AuthorizationAction, AuthorizationStatus, nextStatus } from './authorization-state';
import { CustomerAuthorization, PartnerAgreementAcceptance } from './customer-authorization.entity';

export const DEFAULT_AUTHORIZATION_SCOPE = 'all';

/** Who, of a partner, makes a request: the signing access key and, when known, the member. */
type PartnerActor = Pick<PartnerScope, 'partnerId' | 'accessKey' | 'memberId'>;

/** A salesperson's customers are those whose open association it manages now. */
const MANAGED_BY = `EXISTS (SELECT 1 FROM customer_associations ca WHERE ca.partner_id = a.partner_id AND ca.customer_id = a.customer_id
  AND ca.effective_to IS NULL AND ca.account_manager_id = :manager)`;

function scoped(qb: SelectQueryBuilder<CustomerAuthorization>, scope: PartnerScope): SelectQueryBuilder<CustomerAuthorization> {
  qb.where('a.partner_id = :partnerId', { partnerId: scope.partnerId });
  if (scope.accountManagerId !== undefined) qb.andWhere(MANAGED_BY, { manager: scope.accountManagerId });
  return qb;
}

export interface RequestInput {
  customerId: string;
  scope: string;
  agreementAccepted: boolean;
  agreementVersion: string | null;
}

export interface ListFilter {
  status?: AuthorizationStatus;
  offset: number;
  limit: number;
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
  return driverError?.code === '23505' && driverError.constraint === constraint;
}

@Injectable()
export class AuthorizationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * A partner asks to operate on the behalf of one of its customers. The customer must be
   * associated with the partner now (404 otherwise, as for any id the partner may not see); a
   * partner that never accepted the agency-operation agreement must accept it with this request
   * (recorded once); a pending or approved authorization for the same customer is a conflict.
   * A salesperson may ask only for the customers it manages.
   */
  async request(scope: PartnerScope, input: RequestInput): Promise<{ authorization: CustomerAuthorization; agreement: PartnerAgreementAcceptance }> {
    try {
      return await inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
        const mine = { partnerId: scope.partnerId, customerId: input.customerId, effectiveTo: IsNull(), ...(scope.accountManagerId !== undefined ? { accountManagerId: scope.accountManagerId } : {}) };
        if (!(await m.existsBy(CustomerAssociation, mine))) throw new NotFoundError(`Customer ${input.customerId} is not associated with this partner.`);
        const actor = scope;

        const agreement = await this.ensureAgreement(m, actor, input);
        const now = new Date();
        const authorization = m.create(CustomerAuthorization, {
          id: randomUUID(),
          partnerId: actor.partnerId,
          customerId: input.customerId,
          scope: input.scope,
          status: 'pending',
          requestedByAccessKey: actor.accessKey,
          requestedByMemberId: actor.memberId ?? null,
          decidedAt: null,
          decidedBy: null,
          reason: null,
          revokedAt: null,
          createdAt: now,
          updatedAt: now,
        });
        await m.insert(CustomerAuthorization, authorization);
        await this.outbox.append(
          m,
          AuthorizationRequestedV1,
          { authorization_id: authorization.id, partner_id: actor.partnerId, customer_id: input.customerId, scope: input.scope, requested_at: now.toISOString() },
          { partitionKey: actor.partnerId, subject: input.customerId, occurredAt: now },
        );
        return { authorization, agreement };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'customer_authorizations_one_live_per_pair')) {
        throw new ConflictError(`An authorization for customer ${input.customerId} is already pending or approved.`);
      }
      throw error;
    }
  }

  /** The partner's acceptance of the agreement: the recorded one, or the one this request carries. */
  private async ensureAgreement(m: EntityManager, actor: PartnerActor, input: RequestInput): Promise<PartnerAgreementAcceptance> {
    const recorded = await m.findOneBy(PartnerAgreementAcceptance, { partnerId: actor.partnerId });
    if (recorded) return recorded;
    if (!input.agreementAccepted || !input.agreementVersion) {
      throw new BadParameterError(
        'agreement_accepted: the agency-operation agreement must be accepted (agreement_accepted: true with its agreement_version) with the first authorization request.',
      );
    }
    // Two first requests at once: the first insert wins, the other keeps what was recorded.
    await m
      .createQueryBuilder()
      .insert()
      .into(PartnerAgreementAcceptance)
      .values({
        partnerId: actor.partnerId,
        agreementVersion: input.agreementVersion,
        acceptedByAccessKey: actor.accessKey,
        acceptedByMemberId: actor.memberId ?? null,
        acceptedAt: new Date(),
      })
      .orIgnore()
      .execute();
    return m.findOneByOrFail(PartnerAgreementAcceptance, { partnerId: actor.partnerId });
  }

  agreementOf(partnerId: string): Promise<PartnerAgreementAcceptance | null> {
    return inSystemScope(this.dataSource, (m) => m.findOneBy(PartnerAgreementAcceptance, { partnerId }));
  }

  async listForPartner(scope: PartnerScope, filter: ListFilter & { customerId?: string }): Promise<{ total: number; rows: CustomerAuthorization[] }> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) => {
      const qb = scoped(m.getRepository(CustomerAuthorization).createQueryBuilder('a'), scope);
      if (filter.customerId) qb.andWhere('a.customer_id = :customerId', { customerId: filter.customerId });
      if (filter.status) qb.andWhere('a.status = :status', { status: filter.status });
      return this.page(qb, filter);
    });
  }

  async getForPartner(scope: PartnerScope, id: string): Promise<CustomerAuthorization> {
    const found = await inPartnerScope(this.dataSource, scope.partnerId, (m) =>
      scoped(m.getRepository(CustomerAuthorization).createQueryBuilder('a'), scope).andWhere('a.id = :id', { id }).getOne(),
    );
    if (!found) throw new NotFoundError(`Authorization ${id} does not exist.`);
    return found;
  }

  async listForCustomer(customerId: string, filter: ListFilter): Promise<{ total: number; rows: CustomerAuthorization[] }> {
    return inSystemScope(this.dataSource, (m) => {
      const qb = m.getRepository(CustomerAuthorization).createQueryBuilder('a').where('a.customer_id = :customerId', { customerId });
      if (filter.status) qb.andWhere('a.status = :status', { status: filter.status });
      return this.page(qb, filter);
    });
  }

  private async page(qb: SelectQueryBuilder<CustomerAuthorization>, filter: ListFilter): Promise<{ total: number; rows: CustomerAuthorization[] }> {
    const total = await qb.getCount();
    const rows = await qb.orderBy('a.created_at', 'DESC').addOrderBy('a.id', 'ASC').offset(filter.offset).limit(filter.limit).getMany();
    return { total, rows };
  }

  /**
   * The customer answers in its console. The row is locked for the decision, so of two
   * concurrent answers to one request the second sees the first's status and gets a 409.
   */
  decide(customerId: string, id: string, action: AuthorizationAction, by: string, reason: string | null): Promise<CustomerAuthorization> {
    return inSystemScope(this.dataSource, async (m) => {
      const current = await m.findOne(CustomerAuthorization, { where: { id, customerId }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw new NotFoundError(`Authorization ${id} does not exist for customer ${customerId}.`);
      const status = nextStatus(current.status, action);
      const now = new Date();
      const changes: Partial<CustomerAuthorization> =
        action === 'revoke' ? { status, revokedAt: now, reason } : { status, decidedAt: now, decidedBy: by, reason };
      if (action === 'approve') {
        // The partner must still be the customer's partner when the customer grants it.
        const associated = await m.existsBy(CustomerAssociation, { partnerId: current.partnerId, customerId, effectiveTo: IsNull() });
        if (!associated) throw new ConflictError(`The partner of authorization ${id} is no longer associated with customer ${customerId}; it can only be rejected.`);
      }
      const updated = await m.update(CustomerAuthorization, { id, status: current.status }, { ...changes, updatedAt: now });
      if (updated.affected !== 1) throw new ConflictError(`Authorization ${id} changed meanwhile; read it again.`);
      const next = { ...current, ...changes, updatedAt: now } as CustomerAuthorization;
      const base = { authorization_id: id, partner_id: current.partnerId, customer_id: customerId };
      const options = { partitionKey: current.partnerId, subject: customerId, occurredAt: now };
      if (action === 'approve') await this.outbox.append(m, AuthorizationGrantedV1, { ...base, scope: current.scope, granted_at: now.toISOString() }, options);
      else if (action === 'reject') await this.outbox.append(m, AuthorizationRejectedV1, { ...base, reason: reason ?? '', rejected_at: now.toISOString() }, options);
      else await this.outbox.append(m, AuthorizationRevokedV1, { ...base, reason, revoked_at: now.toISOString() }, options);
      return next;
    });
  }
}
