import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PartnerScope } from '@settle/auth';
import {
  ConflictError,
  EventData,
  IncentivePayoutAppliedV1,
  IncentivePayoutPaidV1,
  IncentivePayoutReleasedV1,
  InvoiceApprovedV1,
  InvoiceRejectedV1,
  NotFoundError,
  PayoutMethod,
} from '@settle/contracts';
import { OutboxWriter, RejectedEventError } from '@settle/messaging';
import { Money } from '@settle/money';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { LOGGER, Logger } from '@settle/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock } from '../clock';
import { Notice } from '../notices/notice.entity';
import { PartnersService } from '../partners/partners.service';
import { TaxpayerType, invoiceAmountsOf } from '../tax/tax-rules';
import { PayoutRefusedError } from './payout-errors';
import { PayoutApplication, PayoutStatus } from './payout-application.entity';
import { PayoutStep } from './payout-step.entity';
import { VoucherCredit } from './voucher-credit.entity';

const money = (minor: string, currency: string) => Money.fromMinor(minor, currency);

/**
 * Payout applications. Each step is one transaction with its rows, its audit step and its event:
 * applying (the notice row locked, one application per notice by a unique index, refused without
 * certification), releasing (once: only an application still awaiting its invoice is released,
 * under its row lock, so a redelivered or repeated `invoice.approved` finds it released), and
 * marking a bank transfer paid.
 */
@Injectable()
export class PayoutsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly partners: PartnersService,
    private readonly outbox: OutboxWriter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async apply(scope: PartnerScope, noticeId: string, method: PayoutMethod): Promise<PayoutApplication> {
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      // The notice's row lock serializes every application for it; the unique index is the backstop.
      const notice = await m.findOne(Notice, { where: { id: noticeId, partnerId: scope.partnerId }, lock: { mode: 'pessimistic_write' } });
      if (!notice) throw new NotFoundError(`Notice ${noticeId} does not exist.`);
      const existing = await m.findOneBy(PayoutApplication, { noticeId });
      if (existing) throw new PayoutRefusedError('NoticeAlreadyApplied', { application_id: existing.id });
      const profile = await this.partners.get(m, scope.partnerId);
      if (profile?.certificationStatus !== 'certified') throw new PayoutRefusedError('CertificationRequired');
      const amount = money(notice.totalMinor, notice.currency);
      if (!amount.isPositive()) throw new PayoutRefusedError('NothingToPay');
      const invoiceRequired = method !== 'voucher';
      const invoice = invoiceRequired ? invoiceAmountsOf(amount, notice.period, profile.taxpayerType as TaxpayerType) : null;
      const now = this.clock.now();
      const application: PayoutApplication = {
        id: randomUUID(),
        partnerId: scope.partnerId,
        noticeId,
        period: notice.period,
        method,
        status: 'awaiting-invoice',
        currency: notice.currency,
        amountMinor: notice.totalMinor,
        invoiceRequired,
        invoiceNetMinor: invoice?.net.minor.toString() ?? null,
        invoiceTaxMinor: invoice?.tax.minor.toString() ?? null,
        invoiceGrossMinor: invoice?.gross.minor.toString() ?? null,
        invoiceTaxRate: invoice?.taxRate ?? null,
        taxpayerType: invoice?.taxpayerType ?? null,
        invoiceStatus: invoiceRequired ? 'awaiting' : 'not-required',
        payoutId: null,
        bankReference: null,
        appliedAt: now,
        appliedBy: scope.actor,
        releasedAt: null,
        paidAt: null,
        paidBy: null,
      };
      await m.insert(PayoutApplication, application);
      await m.update(Notice, { id: noticeId }, { status: 'applied' });
      await this.step(m, application, 'applied', { method, amount: amount.toString(), invoice_required: invoiceRequired }, now, scope.actor);
      await this.outbox.append(
        m,
        IncentivePayoutAppliedV1,
        {
          application_id: application.id,
          partner_id: scope.partnerId,
          notice_ids: [noticeId],
          period: notice.period,
          method,
          invoice_required: invoiceRequired,
          amount: amount.toString(),
          currency: notice.currency,
          ...(invoice
            ? { invoice: { net_amount: invoice.net.toString(), tax_amount: invoice.tax.toString(), gross_amount: invoice.gross.toString(), tax_rate: invoice.taxRate, taxpayer_type: invoice.taxpayerType } }
            : {}),
          applied_at: now.toISOString(),
        },
        { partitionKey: scope.partnerId, subject: application.id },
      );
      this.logger.info({ application_id: application.id, notice_id: noticeId, partner_id: scope.partnerId, method, amount: amount.toString() }, 'payout applied');
      // Vouchers need no invoice: released at once, in the same transaction.
      return method === 'voucher' ? this.release(m, application, now, scope.actor) : application;
    });
  }

  /** Releases an application (voucher at once; bank transfer and recharge on the approved invoice). */
  private async release(m: EntityManager, application: PayoutApplication, now: Date, by: string): Promise<PayoutApplication> {
    const payoutId = randomUUID();
    const amount = money(application.amountMinor, application.currency);
    const released: PayoutApplication = { ...application, status: 'released', payoutId, releasedAt: now };
    await m.update(PayoutApplication, { id: application.id }, { status: 'released', payoutId, releasedAt: now, invoiceStatus: application.invoiceRequired ? 'approved' : 'not-required' });
    // A recharge and vouchers are complete when released; a bank transfer is paid when the operator records it.
    if (application.method !== 'bank-transfer') await m.update(Notice, { id: application.noticeId }, { status: 'paid' });
    if (application.method === 'voucher') {
      await m.insert(VoucherCredit, { id: randomUUID(), partnerId: application.partnerId, applicationId: application.id, payoutId, currency: application.currency, amountMinor: application.amountMinor, grantedAt: now });
    }
    const detail = application.method === 'bank-transfer' ? { payout_id: payoutId, payment_instruction: 'awaiting bank transfer' } : { payout_id: payoutId };
    await this.step(m, released, 'released', detail, now, by);
    await this.outbox.append(
      m,
      IncentivePayoutReleasedV1,
      {
        payout_id: payoutId,
        partner_id: application.partnerId,
        notice_ids: [application.noticeId],
        period: application.period,
        method: application.method,
        amount: amount.toString(),
        currency: application.currency,
        released_at: now.toISOString(),
      },
      { partitionKey: application.partnerId, subject: payoutId },
    );
    this.logger.info({ application_id: application.id, payout_id: payoutId, method: application.method, amount: amount.toString() }, 'payout released');
    return released;
  }

  /** invoice-service approved the invoice: releases the application, exactly once. */
  async invoiceApproved(m: EntityManager, d: EventData<typeof InvoiceApprovedV1>, eventId: string): Promise<'released' | 'already-released'> {
    const application = await this.lockedForInvoice(m, d.application_id, d.partner_id);
    if (application.status !== 'awaiting-invoice') return 'already-released';
    const gross = application.invoiceGrossMinor as string;
    if (d.currency !== application.currency || Money.of(d.gross_amount, d.currency).minor.toString() !== gross) {
      throw new RejectedEventError(
        `invoice ${d.invoice_number} for application ${d.application_id} is ${d.gross_amount} ${d.currency}; the invoicing list asked for ${money(gross, application.currency).toString()} ${application.currency}.`,
      );
    }
    const now = this.clock.now();
    await this.step(m, application, 'invoice-approved', { invoice_number: d.invoice_number, submission: d.submission, approved_by: d.approved_by }, now, `event:${eventId}`);
    await this.release(m, application, now, `event:${eventId}`);
    return 'released';
  }

  /** invoice-service rejected the invoice: recorded as progress; the application keeps waiting for a corrected one. */
  async invoiceRejected(m: EntityManager, d: EventData<typeof InvoiceRejectedV1>, eventId: string): Promise<'recorded' | 'ignored'> {
    const application = await this.lockedForInvoice(m, d.application_id, d.partner_id);
    if (application.status !== 'awaiting-invoice') return 'ignored';
    await m.update(PayoutApplication, { id: application.id }, { invoiceStatus: 'rejected' });
    await this.step(m, application, 'invoice-rejected', { invoice_number: d.invoice_number, submission: d.submission, reason: d.reason }, this.clock.now(), `event:${eventId}`);
    return 'recorded';
  }

  private async lockedForInvoice(m: EntityManager, applicationId: string, partnerId: string): Promise<PayoutApplication> {
    const application = await m.findOne(PayoutApplication, { where: { id: applicationId }, lock: { mode: 'pessimistic_write' } });
    if (!application) throw new RejectedEventError(`there is no payout application ${applicationId}.`);
    if (application.partnerId !== partnerId) throw new RejectedEventError(`payout application ${applicationId} is not partner ${partnerId}'s.`);
    if (!application.invoiceRequired) throw new RejectedEventError(`payout application ${applicationId} (${application.method}) needs no invoice.`);
    return application;
  }

  /** The operator records the bank's reference of a released bank transfer. Repeating it with the same reference changes nothing. */
  async markPaid(applicationId: string, bankReference: string, by: string): Promise<PayoutApplication> {
    return inSystemScope(this.dataSource, async (m) => {
      const application = await m.findOne(PayoutApplication, { where: { id: applicationId }, lock: { mode: 'pessimistic_write' } });
      if (!application) throw new NotFoundError(`Payout application ${applicationId} does not exist.`);
      if (application.method !== 'bank-transfer') throw new ConflictError(`Payout application ${applicationId} is a ${application.method} payout; only a bank transfer is marked paid.`);
      if (application.status === 'paid') {
        if (application.bankReference === bankReference) return application;
        throw new ConflictError(`Payout application ${applicationId} was already paid with bank reference ${application.bankReference}.`);
      }
      if (application.status !== 'released') throw new ConflictError(`Payout application ${applicationId} is ${application.status}; it can be paid once its invoice was approved.`);
      const now = this.clock.now();
      const paid: PayoutApplication = { ...application, status: 'paid', bankReference, paidAt: now, paidBy: by };
      await m.update(PayoutApplication, { id: applicationId }, { status: 'paid', bankReference, paidAt: now, paidBy: by });
      await m.update(Notice, { id: application.noticeId }, { status: 'paid' });
      await this.step(m, paid, 'paid', { bank_reference: bankReference }, now, by);
      await this.outbox.append(
        m,
        IncentivePayoutPaidV1,
        {
          payout_id: application.payoutId as string,
          application_id: applicationId,
          partner_id: application.partnerId,
          amount: money(application.amountMinor, application.currency).toString(),
          currency: application.currency,
          bank_reference: bankReference,
          paid_at: now.toISOString(),
          paid_by: by,
        },
        { partitionKey: application.partnerId, subject: application.payoutId as string },
      );
      this.logger.info({ application_id: applicationId, payout_id: application.payoutId, by }, 'bank transfer payout paid');
      return paid;
    });
  }

  private async step(m: EntityManager, a: PayoutApplication, step: string, detail: Record<string, unknown>, at: Date, by: string): Promise<void> {
    await m.query(
      `INSERT INTO payout_steps (application_id, step_no, partner_id, step, detail, at, by)
       SELECT $1, COALESCE(max(step_no), 0) + 1, $2, $3, $4, $5, $6 FROM payout_steps WHERE application_id = $1`,
      [a.id, a.partnerId, step, JSON.stringify(detail), at, by],
    );
  }

  // ---- reads ----

  partnerApplications(scope: PartnerScope, q: { status?: PayoutStatus; offset: number; limit: number }): Promise<[PayoutApplication[], number]> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) =>
      m.findAndCount(PayoutApplication, { where: { partnerId: scope.partnerId, status: q.status }, order: { appliedAt: 'DESC' }, skip: q.offset, take: q.limit }),
    );
  }

  partnerApplication(scope: PartnerScope, applicationId: string): Promise<{ application: PayoutApplication; steps: PayoutStep[] }> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) => this.withSteps(m, applicationId));
  }

  voucherCredits(scope: PartnerScope, q: { offset: number; limit: number }): Promise<[VoucherCredit[], number]> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) => m.findAndCount(VoucherCredit, { where: { partnerId: scope.partnerId }, order: { grantedAt: 'DESC' }, skip: q.offset, take: q.limit }));
  }

  operatorApplications(q: { partnerId?: string; status?: PayoutStatus; offset: number; limit: number }): Promise<[PayoutApplication[], number]> {
    return inSystemScope(this.dataSource, (m) => m.findAndCount(PayoutApplication, { where: { partnerId: q.partnerId, status: q.status }, order: { appliedAt: 'DESC' }, skip: q.offset, take: q.limit }));
  }

  operatorApplication(applicationId: string): Promise<{ application: PayoutApplication; steps: PayoutStep[] }> {
    return inSystemScope(this.dataSource, (m) => this.withSteps(m, applicationId));
  }

  private async withSteps(m: EntityManager, applicationId: string): Promise<{ application: PayoutApplication; steps: PayoutStep[] }> {
    const application = await m.findOneBy(PayoutApplication, { id: applicationId });
    if (!application) throw new NotFoundError(`Payout application ${applicationId} does not exist.`);
    return { application, steps: await m.find(PayoutStep, { where: { applicationId }, order: { stepNo: 'ASC' } }) };
  }
}
