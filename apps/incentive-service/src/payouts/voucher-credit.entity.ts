import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Voucher credit (返代金券) a voucher payout granted the partner; one per application. */
@Entity({ name: 'voucher_credits' })
@Index('voucher_credits_application_key', ['applicationId'], { unique: true })
export class VoucherCredit {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'uuid' })
  applicationId!: string;

  @Column({ type: 'uuid' })
  payoutId!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'bigint' })
  amountMinor!: string;

  @Column({ type: 'timestamptz' })
  grantedAt!: Date;
}
