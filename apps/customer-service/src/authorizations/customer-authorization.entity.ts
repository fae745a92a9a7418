import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { AuthorizationStatus } from './authorization-state';

/**
 * A partner's request to operate on a customer's behalf (代客操作授权) and the customer's answer.
 * pending → approved | rejected; approved → revoked. At most one pending-or-approved row per
 * (partner, customer): the partial unique index enforces it even for concurrent requests.
 */
@Entity({ name: 'customer_authorizations' })
@Index('customer_authorizations_one_live_per_pair', ['partnerId', 'customerId'], { unique: true, where: "status IN ('pending', 'approved')" })
@Index('customer_authorizations_partner_idx', ['partnerId', 'createdAt'])
@Index('customer_authorizations_customer_idx', ['customerId', 'createdAt'])
export class CustomerAuthorization {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  customerId!: string;

  /** What the partner may do on the customer's behalf; `all` unless the partner narrows it. */
  @Column({ type: 'text' })
  scope!: string;

  @Column({ type: 'text' })
  status!: AuthorizationStatus;

  /** The access key and member that made the request. */
  @Column({ type: 'text' })
  requestedByAccessKey!: string;

  @Column({ type: 'text', nullable: true })
  requestedByMemberId!: string | null;

  /** When the customer approved or rejected it. */
  @Column({ type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  /** Who answered in the customer console (the operator token's subject). */
  @Column({ type: 'text', nullable: true })
  decidedBy!: string | null;

  /** The customer's reason for a rejection or a revocation. */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * A partner's acceptance of the agency-operation agreement, recorded once, on its first
 * authorization request: who accepted it (access key, member), when, and which version.
 */
@Entity({ name: 'partner_agreement_acceptances' })
export class PartnerAgreementAcceptance {
  @PrimaryColumn({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  agreementVersion!: string;

  @Column({ type: 'text' })
  acceptedByAccessKey!: string;

  @Column({ type: 'text', nullable: true })
  acceptedByMemberId!: string | null;

  @Column({ type: 'timestamptz' })
  acceptedAt!: Date;
}
