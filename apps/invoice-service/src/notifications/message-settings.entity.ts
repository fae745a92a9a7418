import { Column, Entity, PrimaryColumn } from 'typeorm';

export type NotificationLanguage = 'zh-CN' | 'en-US';

/**
 * A partner's message-receiving settings (消息接收设置) for invoice notifications: the language
 * templates are rendered in, the time zone dates are shown in, and the channels (email to these
 * addresses; webhooks to every registered endpoint). Without a row, nothing is sent.
 */
@Entity({ name: 'message_settings' })
export class MessageSettings {
  @PrimaryColumn({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  language!: NotificationLanguage;

  /** An IANA time zone, e.g. Asia/Shanghai. */
  @Column({ type: 'text' })
  timeZone!: string;

  @Column({ type: 'boolean' })
  emailEnabled!: boolean;

  @Column({ type: 'jsonb' })
  emailAddresses!: string[];

  @Column({ type: 'boolean' })
  webhookEnabled!: boolean;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'text' })
  updatedBy!: string;
}
