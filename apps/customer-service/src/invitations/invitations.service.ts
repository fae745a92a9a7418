import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PartnerScope } from '@settle/auth';
import { ApiError, AssociationType, ConflictError, InvitationCreatedV1, InvitationExpiredV1, NotFoundError } from '@settle/contracts';
import { OutboxWriter } from '@settle/messaging';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { AssociationsService } from '../associations/associations.service';
import { CustomerAssociation } from '../associations/customer-association.entity';
import { CustomersService } from '../customers/customers.service';
import { Invitation, InvitationStatus } from './invitation.entity';

export const ONLINE_INVITATION_VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

export const InvitationErrors = {
  Expired: 'CBC.7010',
  MobileMismatch: 'CBC.7011',
  NotPending: 'CBC.7012',
} as const;

export interface IssuedInvitation {
  invitation: Invitation;
  /** The secret of the link / QR code; only its hash is stored, so it is shown once. */
  token: string;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The status a reader should see: a pending online invitation past its expiry is expired, job or not. */
export function effectiveStatus(invitation: Pick<Invitation, 'status' | 'expiresAt'>, now = new Date()): InvitationStatus {
  if (invitation.status === 'pending' && invitation.expiresAt && invitation.expiresAt <= now) return 'expired';
  return invitation.status;
}

@Injectable()
export class InvitationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly associations: AssociationsService,
    private readonly customers: CustomersService,
  ) {}

  private async issue(
    m: EntityManager,
    input: { partnerId: string; accountManagerId: string | null; kind: 'online' | 'offline'; mobile: string | null; associationType: AssociationType; replaces?: Invitation },
  ): Promise<IssuedInvitation> {
    const token = randomBytes(24).toString('base64url');
    const now = new Date();
    const invitation = m.create(Invitation, {
      id: randomUUID(),
      partnerId: input.partnerId,
      kind: input.kind,
      tokenHash: hashToken(token),
      mobile: input.mobile,
      associationType: input.associationType,
      status: 'pending',
      expiresAt: input.kind === 'online' ? new Date(now.getTime() + ONLINE_INVITATION_VALIDITY_MS) : null,
      acceptedCustomerId: null,
      acceptedAt: null,
      replacedById: null,
      replacesId: input.replaces?.id ?? null,
      accountManagerId: input.accountManagerId,
    });
    await m.insert(Invitation, invitation);
    await this.outbox.append(
      m,
      InvitationCreatedV1,
      {
        invitation_id: invitation.id,
        partner_id: invitation.partnerId,
        kind: invitation.kind,
        association_type: input.associationType,
        expires_at: invitation.expiresAt?.toISOString() ?? null,
        replaces_invitation_id: invitation.replacesId,
      },
      { partitionKey: invitation.partnerId, subject: invitation.id },
    );
    return { invitation: (await m.findOneByOrFail(Invitation, { id: invitation.id })), token };
  }

  create(scope: PartnerScope, input: { kind: 'online' | 'offline'; mobile: string | null; associationType: AssociationType }): Promise<IssuedInvitation> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) => this.issue(m, { partnerId: scope.partnerId, accountManagerId: scope.accountManagerId ?? null, ...input }));
  }

  async list(scope: PartnerScope, q: { status?: InvitationStatus; offset: number; limit: number }, now = new Date()): Promise<{ total: number; rows: Invitation[] }> {
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      const qb = m.getRepository(Invitation).createQueryBuilder('i').where('i.partner_id = :partnerId', { partnerId: scope.partnerId });
      if (scope.accountManagerId !== undefined) qb.andWhere('i.account_manager_id = :manager', { manager: scope.accountManagerId });
      if (q.status === 'expired') qb.andWhere("(i.status = 'expired' OR (i.status = 'pending' AND i.expires_at <= :now))", { now });
      else if (q.status === 'pending') qb.andWhere("i.status = 'pending' AND (i.expires_at IS NULL OR i.expires_at > :now)", { now });
      else if (q.status) qb.andWhere('i.status = :status', { status: q.status });
      const total = await qb.getCount();
      const rows = await qb.orderBy('i.created_at', 'DESC').addOrderBy('i.id', 'ASC').offset(q.offset).limit(q.limit).getMany();
      return { total, rows };
    });
  }

  /**
   * Re-sends expired invitations: each gets a new link (a new invitation that replaces it) and the
   * old one becomes void. Per-id failures are reported, as the partner API's batch calls do.
   */
  async resend(scope: PartnerScope, ids: string[]): Promise<{ issued: Array<IssuedInvitation & { replaced: string }>; errors: Array<{ id: string; error_code: string; error_msg: string }> }> {
    const issued: Array<IssuedInvitation & { replaced: string }> = [];
    const errors: Array<{ id: string; error_code: string; error_msg: string }> = [];
    for (const id of [...new Set(ids)]) {
      try {
        const result = await inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
          const mine = { id, partnerId: scope.partnerId, ...(scope.accountManagerId !== undefined ? { accountManagerId: scope.accountManagerId } : {}) };
          const old = await m.findOne(Invitation, { where: mine, lock: { mode: 'pessimistic_write' } });
          if (!old) throw new NotFoundError(`Invitation ${id} does not exist.`);
          if (effectiveStatus(old) !== 'expired') {
            throw new ConflictError(`Invitation ${id} is ${effectiveStatus(old)}; only expired invitations can be re-sent.`, InvitationErrors.NotPending);
          }
          const next = await this.issue(m, { partnerId: old.partnerId, accountManagerId: old.accountManagerId, kind: old.kind, mobile: old.mobile, associationType: old.associationType as AssociationType, replaces: old });
          await m.update(Invitation, { id: old.id }, { status: 'void', replacedById: next.invitation.id });
          return { ...next, replaced: old.id };
        });
        issued.push(result);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        errors.push({ id, error_code: error.errorCode, error_msg: error.message });
      }
    }
    return { issued, errors };
  }

  /**
   * A prospect registers through an invitation (the customer console calls this): the account is
   * created and associated with the inviting partner in one transaction, and the invitation is
   * accepted. Expired, void or used invitations and a mobile number other than the one the partner
   * reported are refused with their own codes.
   */
  async accept(input: { token: string; domainName: string; mobile: string; name?: string | null; email?: string | null }): Promise<{ invitation: Invitation; association: CustomerAssociation }> {
    return inSystemScope(this.dataSource, async (m) => {
      const invitation = await m.findOne(Invitation, { where: { tokenHash: hashToken(input.token) }, lock: { mode: 'pessimistic_write' } });
      if (!invitation) throw new NotFoundError('No invitation has this link.');
      const status = effectiveStatus(invitation);
      if (status === 'expired') {
        throw new ApiError(409, InvitationErrors.Expired, `The invitation expired at ${invitation.expiresAt?.toISOString()}; ask the partner to re-send it.`);
      }
      if (status !== 'pending') {
        throw new ConflictError(status === 'void' ? 'The invitation was replaced by a newer link.' : 'The invitation was already used.', InvitationErrors.NotPending);
      }
      if (invitation.kind === 'online' && invitation.mobile !== input.mobile) {
        throw new ApiError(400, InvitationErrors.MobileMismatch, 'The mobile number does not match the number the partner reported for this invitation.');
      }
      const customer = await this.customers.register({ domainName: input.domainName, mobile: input.mobile, name: input.name, email: input.email }, m);
      const association = await this.associations.associate(
        {
          partnerId: invitation.partnerId,
          customerId: customer.id,
          associationType: invitation.associationType as AssociationType,
          source: 'invitation',
          accountManagerId: invitation.accountManagerId,
        },
        m,
      );
      const acceptedAt = association.effectiveFrom;
      await m.update(Invitation, { id: invitation.id }, { status: 'accepted', acceptedCustomerId: customer.id, acceptedAt });
      return { invitation: { ...invitation, status: 'accepted', acceptedCustomerId: customer.id, acceptedAt }, association };
    });
  }

  /** The scheduled job's work: expire due invitations, in batches, announcing each. Idempotent. */
  async expireDue(now = new Date(), batchSize = 500): Promise<number> {
    let expired = 0;
    for (;;) {
      const n = await inSystemScope(this.dataSource, async (m) => {
        const due = await m
          .getRepository(Invitation)
          .createQueryBuilder('i')
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .where("i.status = 'pending' AND i.expires_at <= :now", { now })
          .orderBy('i.expires_at', 'ASC')
          .limit(batchSize)
          .getMany();
        if (!due.length) return 0;
        await m.update(Invitation, { id: In(due.map((i) => i.id)) }, { status: 'expired' });
        for (const i of due) {
          await this.outbox.append(
            m,
            InvitationExpiredV1,
            { invitation_id: i.id, partner_id: i.partnerId, expired_at: (i.expiresAt as Date).toISOString() },
            { partitionKey: i.partnerId, subject: i.id, occurredAt: i.expiresAt as Date },
          );
        }
        return due.length;
      });
      expired += n;
      if (n < batchSize) return expired;
    }
  }
}
