import { createTransport, Transporter } from 'nodemailer';
import { WebhookHeaders, signWebhook } from './webhook-signature';

/** A send that did not get through; `detail` is what the delivery log shows (never the message). */
export class DeliveryFailed extends Error {}

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  /** Stable per delivery (`<delivery id@settle.invoice>`): a resend after a crash is recognisably the same message. */
  messageId: string;
}

/** Email over SMTP with nodemailer (SMTP_URL); without a server configured, email is not a channel of this deployment. */
export class EmailSender {
  private readonly transport?: Transporter;

  constructor(smtpUrl: string | undefined, private readonly from: string) {
    this.transport = smtpUrl ? createTransport(smtpUrl) : undefined;
  }

  get enabled(): boolean {
    return this.transport !== undefined;
  }

  /** Resolves with the server's reply; rejects with DeliveryFailed. */
  async send(email: OutgoingEmail): Promise<string> {
    if (!this.transport) throw new DeliveryFailed('no SMTP server configured');
    try {
      const info = await this.transport.sendMail({ from: this.from, to: email.to, subject: email.subject, text: email.text, messageId: email.messageId });
      return `smtp: ${String(info.response).slice(0, 200)}`;
    } catch (error) {
      throw new DeliveryFailed(`smtp: ${(error as Error).message.slice(0, 300)}`);
    }
  }

  close(): void {
    this.transport?.close();
  }
}

export interface OutgoingWebhook {
  url: string;
  secret: string;
  deliveryId: string;
  body: string;
  timestampSeconds: number;
}

/** HTTP POST of the signed JSON body; a 2xx answer is accepted, anything else (or no answer in time) failed. */
export class WebhookSender {
  constructor(private readonly timeoutMs: number) {}

  async send(w: OutgoingWebhook): Promise<string> {
    let res: Response;
    try {
      res = await fetch(w.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Settle-Webhooks/1',
          [WebhookHeaders.Id]: w.deliveryId,
          [WebhookHeaders.Timestamp]: String(w.timestampSeconds),
          [WebhookHeaders.Signature]: signWebhook(w.secret, w.timestampSeconds, w.body),
        },
        body: w.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const e = error as Error & { cause?: { code?: string } };
      throw new DeliveryFailed(e.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : `request failed: ${e.cause?.code ?? e.message}`);
    }
    // The status only: a receiver's answer body is not ours to store.
    await res.body?.cancel().catch(() => undefined);
    if (res.status < 200 || res.status >= 300) throw new DeliveryFailed(`HTTP ${res.status}`);
    return `HTTP ${res.status}`;
  }
}
