import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A customer account. Identity and contact data are personal: every partner-facing response masks
 * them unless the caller reveals one field explicitly (and that reveal is audited).
 *
 * The account-standing columns are what the eligibility rules of association read; the account
 * system of record keeps them current through the operator API.
 */
@Entity({ name: 'customers' })
export class Customer {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  /** The account name (`domain_name` / `account_name` in the partner API). */
  @Index('customers_domain_name_key', { unique: true })
  @Column({ type: 'text' })
  domainName!: string;

  /** The real-name verified name (`customer` in the partner API). */
  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ type: 'text', nullable: true })
  mobile!: string | null;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  /** The partner platform's own user id and platform type (create-customer API). */
  @Column({ type: 'text', nullable: true })
  xaccountId!: string | null;

  @Column({ type: 'text', nullable: true })
  xaccountType!: string | null;

  /** The partner whose API call created the account, if one did. */
  @Column({ type: 'text', nullable: true })
  createdByPartnerId!: string | null;

  @Column({ type: 'integer', default: 0 })
  unclosedResources!: number;

  @Column({ type: 'boolean', default: false })
  hasArrears!: boolean;

  /** Cash balance as an exact decimal string; must be zero to join a partner. */
  @Column({ type: 'numeric', precision: 20, scale: 2, default: '0' })
  cashBalance!: string;

  @Column({ type: 'boolean', default: false })
  hasUninvoicedAmount!: boolean;

  @Column({ type: 'boolean', default: false })
  postpaid!: boolean;

  @Column({ type: 'boolean', default: false })
  specialContract!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

export const VoucherKinds = ['voucher', 'discount', 'stored-value-card'] as const;
export type VoucherKind = (typeof VoucherKinds)[number];

/** A customer's voucher, discount or stored-value card; unused ones become void when it joins a partner. */
@Entity({ name: 'customer_vouchers' })
@Index('customer_vouchers_customer_idx', ['customerId', 'status'])
export class CustomerVoucher {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  customerId!: string;

  @Column({ type: 'text' })
  kind!: VoucherKind;

  @Column({ type: 'numeric', precision: 20, scale: 2 })
  faceValue!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  /** unused | used | void */
  @Column({ type: 'text', default: 'unused' })
  status!: 'unused' | 'used' | 'void';

  @Column({ type: 'timestamptz', nullable: true })
  voidedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  voidedByAssociationId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** A partner's own label on one of its customers. */
@Entity({ name: 'customer_labels' })
export class CustomerLabel {
  @PrimaryColumn({ type: 'text' })
  partnerId!: string;

  @PrimaryColumn({ type: 'text' })
  customerId!: string;

  @PrimaryColumn({ type: 'text' })
  label!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** A contact person of the partner, shown to the customer in its console. */
@Entity({ name: 'customer_contacts' })
@Index('customer_contacts_customer_idx', ['partnerId', 'customerId'])
export class CustomerContact {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  customerId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', nullable: true })
  mobile!: string | null;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** Who saw which unmasked personal field of which customer, when. Append-only. */
@Entity({ name: 'audit_records' })
@Index('audit_records_customer_idx', ['customerId', 'at'])
export class AuditRecord {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  accessKey!: string;

  @Column({ type: 'text', nullable: true })
  memberId!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text' })
  customerId!: string;

  @Column({ type: 'text' })
  field!: string;

  @Column({ type: 'text' })
  requestId!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
