import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AssociationType, BadParameterError, CustomerCreatedV1 } from '@settle/contracts';
import { OutboxWriter } from '@settle/messaging';
import { inPartnerScope } from '@settle/persistence';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Partner } from '../partners/partner.entity';
import { Customer } from './customer.entity';
import { CustomersService } from './customers.service';

/** What customer creation needs of verification codes (provided by the verification module). */
export interface VerificationCodeConsumer {
  /** Resolves if `code` is valid for `receiver` and marks it used in `manager`'s transaction; throws a 4xx ApiError otherwise. */
  consume(input: { partnerId: string; receiver: string; code: string; scene: string }, manager?: EntityManager): Promise<unknown>;
}
export const VERIFICATION_CODES = Symbol('settle.verification-codes');

/** The scene of codes sent for registering a customer (the public API's scene 29). */
export const REGISTER_CUSTOMER_SCENE = '29';

export interface CreateCustomerInput {
  partnerId: string;
  xaccountId: string;
  xaccountType: string;
  domainName?: string | null;
  mobile?: string | null;
  verificationCode?: string | null;
  indirectPartnerId?: string | null;
  /** A salesperson creating a customer becomes its account manager (so they can see it). */
  accountManagerId?: string | null;
}

function randomDomainName(): string {
  return `settle_${randomBytes(6).toString('hex')}`;
}

/**
 * The partner API's "create customer": the account is created at once (agency-sale by default)
 * and `customer.created` goes to the outbox in the same transaction; the association with the
 * partner completes asynchronously when customer-service consumes that event, and shows in the
 * customer list.
 */
@Injectable()
export class CustomerCreationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly customers: CustomersService,
    @Inject(VERIFICATION_CODES) private readonly codes: VerificationCodeConsumer,
  ) {}

  /** In the creating partner's scope: the verification code it consumes must be one it sent. */
  async create(input: CreateCustomerInput): Promise<Customer> {
    return inPartnerScope(this.dataSource, input.partnerId, async (m) => {
      if (input.indirectPartnerId && !(await m.existsBy(Partner, { id: input.indirectPartnerId, parentPartnerId: input.partnerId }))) {
        throw new BadParameterError(`indirect_partner_id: ${input.indirectPartnerId} is not one of your tier-2 resellers.`);
      }
      if (input.mobile) {
        if (!input.verificationCode) throw new BadParameterError('verification_code: is required when mobile_phone is given; get one with POST /v2/bases/verificationcode/send.');
        await this.codes.consume({ partnerId: input.partnerId, receiver: input.mobile, code: input.verificationCode, scene: REGISTER_CUSTOMER_SCENE }, m);
      }
      const customer = await this.customers.register(
        {
          domainName: input.domainName || randomDomainName(),
          mobile: input.mobile ?? null,
          xaccountId: input.xaccountId,
          xaccountType: input.xaccountType,
          createdByPartnerId: input.partnerId,
        },
        m,
      );
      await this.outbox.append(
        m,
        CustomerCreatedV1,
        {
          customer_id: customer.id,
          domain_name: customer.domainName,
          partner_id: input.partnerId,
          indirect_partner_id: input.indirectPartnerId ?? null,
          association_type: 2 satisfies AssociationType,
          account_manager_id: input.accountManagerId ?? null,
          created_at: customer.createdAt.toISOString(),
        },
        { partitionKey: input.partnerId, subject: customer.id },
      );
      return customer;
    });
  }
}
