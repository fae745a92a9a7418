import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BadParameterError, ThrottledError } from '@settle/contracts';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { SERVICE_CONFIG } from '@settle/platform';
import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CustomerServiceConfig, secretBoxOf } from '../config';
import { VerificationCodeConsumer } from '../customers/customer-creation.service';
import { NotificationsService } from './notifications';
import { VerificationCode } from './verification-code.entity';

/** Codes per receiver: 15 in any rolling hour, 60 in any rolling day, across all partners. */
export const CODE_LIMITS = [
  { windowMs: 60 * 60 * 1000, max: 15, label: '15 codes per number per hour' },
  { windowMs: 24 * 60 * 60 * 1000, max: 60, label: '60 codes per number per day' },
] as const;
export const MAX_WRONG_ATTEMPTS = 5;

/** The public API: default 10 minutes; a value above 60 is taken as 5. */
export function effectiveTimeoutMinutes(timeout: number | null | undefined): number {
  if (timeout === undefined || timeout === null) return 10;
  return timeout > 60 ? 5 : timeout;
}

@Injectable()
export class VerificationService implements VerificationCodeConsumer {
  /** The hashing key under the active sealing key first; the others still accept codes hashed before a rotation. */
  private readonly keys: Buffer[];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    @Inject(SERVICE_CONFIG) config: CustomerServiceConfig,
  ) {
    // Keys of their own, derived from the service's secret material: codes are never stored readable.
    this.keys = secretBoxOf(config).derivedKeys('settle.verification-codes');
  }

  private hash(receiver: string, code: string, key = this.keys[0]): string {
    return createHmac('sha256', key).update(`${receiver}\n${code}`).digest('hex');
  }

  private matches(stored: string, receiver: string, code: string): boolean {
    const expected = Buffer.from(stored, 'hex');
    let match = false;
    for (const key of this.keys) {
      const given = Buffer.from(this.hash(receiver, code, key), 'hex');
      if (given.length === expected.length && timingSafeEqual(expected, given)) match = true;
    }
    return match;
  }

  /**
   * Sends a code. The per-receiver limits are counted in PostgreSQL under a transaction-scoped
   * advisory lock on the receiver: concurrent requests for one number queue up, so the limit holds
   * exactly under any concurrency and across restarts and instances. The code and its SMS are
   * written in the same transaction; delivery follows through the notification channel.
   *
   * In system scope, deliberately: the limits protect the receiver, so they count the codes every
   * partner sent to the number (only the count leaves the query; the code row written is the
   * caller's).
   */
  async send(input: { partnerId: string; mobile: string; scene: string; timeoutMinutes: number; lang: string }, now = new Date()): Promise<void> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const notification = await inSystemScope(this.dataSource, async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`verification:${input.mobile}`]);
      for (const limit of CODE_LIMITS) {
        const [{ count }] = await m.query(
          `SELECT count(*)::int AS count FROM verification_codes WHERE receiver = $1 AND created_at > $2`,
          [input.mobile, new Date(now.getTime() - limit.windowMs)],
        );
        if (count >= limit.max) throw new ThrottledError(`Too many verification codes for this number: at most ${limit.label}.`);
      }
      await m.insert(VerificationCode, {
        id: randomUUID(),
        receiver: input.mobile,
        scene: input.scene,
        codeHash: this.hash(input.mobile, code),
        partnerId: input.partnerId,
        expiresAt: new Date(now.getTime() + input.timeoutMinutes * 60_000),
        consumedAt: null,
        failedAttempts: 0,
        createdAt: now,
      });
      // The text is rendered only at delivery; the code travels sealed and is erased once sent.
      return this.notifications.request(m, {
        channel: 'sms',
        recipient: input.mobile,
        template: `verification-code.${input.scene}`,
        params: { lang: input.lang === 'en-us' ? 'en-us' : 'zh-cn', minutes: input.timeoutMinutes },
        secrets: { code },
      });
    });
    await this.notifications.dispatch(notification.id);
  }

  /**
   * Accepts the latest code sent to `receiver` for `scene` once. A wrong code counts against the
   * code outside the caller's transaction (which rolls back with the error), so guessing is
   * bounded; the row is read without a lock so that count never waits on the caller.
   *
   * `partnerId` is the partner using the code: it sees only the codes it sent itself, so a code
   * another partner sent to the same number is no code for it (its transaction, or ours, is in
   * that partner's scope).
   */
  async consume(input: { partnerId: string; receiver: string; code: string; scene: string }, manager?: EntityManager): Promise<void> {
    const run = async (m: EntityManager) => {
      const latest = await m
        .getRepository(VerificationCode)
        .createQueryBuilder('v')
        .where('v.receiver = :receiver AND v.scene = :scene AND v.partner_id = :partnerId', input)
        .orderBy('v.created_at', 'DESC')
        .limit(1)
        .getOne();
      if (!latest) throw new BadParameterError('verification_code: no code was sent to this number; send one with POST /v2/bases/verificationcode/send.');
      if (latest.consumedAt) throw new BadParameterError('verification_code: this code was already used; send a new one.');
      if (latest.expiresAt <= new Date()) throw new BadParameterError('verification_code: the code has expired; send a new one.');
      if (latest.failedAttempts >= MAX_WRONG_ATTEMPTS) throw new BadParameterError('verification_code: too many wrong attempts; send a new code.');
      if (!this.matches(latest.codeHash, input.receiver, input.code)) {
        await inPartnerScope(this.dataSource, latest.partnerId, (own) => own.query('UPDATE verification_codes SET failed_attempts = failed_attempts + 1 WHERE id = $1', [latest.id]));
        throw new BadParameterError('verification_code: the code is wrong.');
      }
      // Conditional: of two requests with the same code, one consumes it and the other is refused.
      const used = await m.createQueryBuilder().update(VerificationCode).set({ consumedAt: new Date() }).where('id = :id AND consumed_at IS NULL', { id: latest.id }).execute();
      if (!used.affected) throw new BadParameterError('verification_code: this code was already used; send a new one.');
    };
    await (manager ? run(manager) : inPartnerScope(this.dataSource, input.partnerId, run));
  }
}
