import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A partner's AK/SK pair. The SK is stored only encrypted; it is shown once, when issued. */
@Entity({ name: 'access_keys' })
export class AccessKey {
  @PrimaryColumn({ type: 'text' })
  accessKey!: string;

  @Index('access_keys_partner_id_idx')
  @Column({ type: 'text' })
  partnerId!: string;

  /** AES-256-GCM: base64(iv | tag | ciphertext). */
  @Column({ type: 'text' })
  secretCiphertext!: string;

  @Column({ type: 'text', default: 'active' })
  status!: 'active' | 'revoked';

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
