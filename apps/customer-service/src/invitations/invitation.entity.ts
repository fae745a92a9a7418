import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type InvitationStatus = 'pending' | 'accepted' | 'expired' | 'void';

/**
 * An invitation for a prospect to register and become the partner's customer. Online ones are
 * valid 7 days and must be accepted with the mobile number the partner reported; offline ones
 * (link or QR code sent by mail, SMS or chat) never expire. Re-sending replaces the old one,
 * which becomes void.
 */
@Entity({ name: 'invitations' })
@Index('invitations_partner_idx', ['partnerId', 'createdAt'])
@Index('invitations_expiry_idx', ['expiresAt'], { where: "status = 'pending'" })
export class Invitation {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  /** online | offline */
  @Column({ type: 'text' })
  kind!: 'online' | 'offline';

  /** The secret in the link or QR code; only its SHA-256 is stored. */
  @Index('invitations_token_hash_key', { unique: true })
  @Column({ type: 'text' })
  tokenHash!: string;

  /** The mobile number the partner reported for the prospect (online invitations). */
  @Column({ type: 'text', nullable: true })
  mobile!: string | null;

  @Column({ type: 'smallint' })
  associationType!: number;

  @Column({ type: 'text' })
  status!: InvitationStatus;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  acceptedCustomerId!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  replacedById!: string | null;

  @Column({ type: 'text', nullable: true })
  replacesId!: string | null;

  /**
   * The salesperson who invited (null when an admin did): only that salesperson sees the
   * invitation among salespeople, and the customer it brings is assigned to them.
   */
  @Column({ type: 'text', nullable: true })
  accountManagerId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
