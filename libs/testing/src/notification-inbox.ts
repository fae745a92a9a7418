import { Server, createServer } from 'node:http';
import { waitFor } from './wait-for';

export interface DeliveredNotification {
  notification_id: string;
  channel: string;
  recipient: string;
  template: string;
  text: string;
}

/**
 * The far end of customer-service's `webhook` notification channel: what an SMS or email provider
 * would receive, so a test reads a verification code where a customer would (its phone), not from
 * the platform, which never serves it readable. Start it, then give the service
 * `NOTIFICATION_CHANNEL=webhook` and `NOTIFICATION_WEBHOOK_URL=inbox.url`.
 */
export class NotificationInbox {
  readonly messages: DeliveredNotification[] = [];
  private server?: Server;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/messages`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as DeliveredNotification;
        // A provider takes the notification id as an idempotency key: a retried send is one message.
        if (!this.messages.some((m) => m.notification_id === message.notification_id)) this.messages.push(message);
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  for(recipient: string): DeliveredNotification[] {
    return this.messages.filter((m) => m.recipient === recipient);
  }

  /** The 6-digit code of the latest message to `recipient`, once `count` messages have arrived. */
  async latestCode(recipient: string, count = 1): Promise<string> {
    const message = await waitFor(() => {
      const received = this.for(recipient);
      return received.length >= count ? received[received.length - 1] : undefined;
    }, `message ${count} to ${recipient}`);
    const code = /(\d{6})/.exec(message.text)?.[1];
    if (!code) throw new Error(`no code in the message to ${recipient}`);
    return code;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
