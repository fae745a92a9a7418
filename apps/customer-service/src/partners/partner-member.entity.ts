import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { MemberRoleName } from '@settle/auth';

/** A partner's staff member (组织成员) with a role; platform operators are never members. */
@Entity({ name: 'partner_members' })
@Index('partner_members_partner_idx', ['partnerId', 'createdAt'])
export class PartnerMember {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  role!: MemberRoleName;

  @Column({ type: 'text', nullable: true })
  mobile!: string | null;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  /** Who added the member: `operator:<subject>` or `partner:<access key>`. */
  @Column({ type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
