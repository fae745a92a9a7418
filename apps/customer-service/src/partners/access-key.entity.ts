import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type AccessKeyStatus = 'active' | 'revoked';

/**
 * A partner's AK/SK pair. The SK is stored only encrypted; it is shown once, when issued. A key
 * bound to a member acts as that member with the member's role; a key without a member acts as
 * the partner's admin.
 */
@Entity({ name: 'access_keys' })
export class AccessKey {
  @PrimaryColumn({ type: 'text' })
  accessKey!: string;

  @Index('access_keys_partner_id_idx')
  @Column({ type: 'text' })
  partnerId!: string;

  @Index('access_keys_member_id_idx')
  @Column({ type: 'text', nullable: true })
  memberId!: string | null;

  /** AES-256-GCM, sealed by SecretBox: `v2:<key id>:<iv>:<tag>:<ciphertext>` (or the first release's unversioned format). */
  @Column({ type: 'text' })
  secretCiphertext!: string;

  @Column({ type: 'text', default: 'active' })
  status!: AccessKeyStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** Who revoked it: `operator:<subject>`, `partner:<access key>`, or `rotation`. */
  @Column({ type: 'text', nullable: true })
  revokedBy!: string | null;

  /** The key that replaced this one when it was rotated. */
  @Column({ type: 'text', nullable: true })
  replacedBy!: string | null;
}
