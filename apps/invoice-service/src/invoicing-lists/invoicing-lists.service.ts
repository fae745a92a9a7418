import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PartnerScope } from '@settle/auth';
import { ApiError, BadParameterError, ConflictError, EventData, IncentivePayoutAppliedV1, InvoiceApprovedV1, InvoiceRejectedV1, NotFoundError } from '@settle/contracts';
import { OutboxWriter, RejectedEventError } from '@settle/messaging';
import { Money } from '@settle/money';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { LOGGER, Logger, SERVICE_CONFIG } from '@settle/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, FindOptionsWhere } from 'typeorm';
import { Clock } from '../common/clock';
import { InvoiceConfig } from '../config';
import { NotificationsService } from '../notifications/notifications.service';
import { PartnersService } from '../partners/partners.service';
import { InvoiceSubmission } from './invoice-submission.entity';
import { InvoicingListErrors, addsUp, describeMismatches, mismatchesOf } from './invoice-review';
import { BillingEntity, InvoicingList, InvoicingListStatus, MailingAddress } from './invoicing-list.entity';

export interface RecordedInvoice {
  invoiceNumber: string;
  invoiceCode: string | null;
  invoiceDate: string;
  net: Money;
  tax: Money;
  gross: Money;
  taxRate: string;
  trackingNumber: string;
}

export interface ListPage {
  status?: InvoicingListStatus;
  offset: number;
  limit: number;
}

const amount = (minor: string, currency: string) => Money.fromMinor(minor, currency);
const amountsOf = (l: InvoicingList | InvoiceSubmission, currency: string) => ({ net: amount(l.netMinor, currency), tax: amount(l.taxMinor, currency), gross: amount(l.grossMinor, currency), taxRate: l.taxRate });

/**
 * Invoicing lists: opened from payout applications (consumer), seen and answered by the partner
 * once its business information certification is complete, reviewed by operators. Each step is one
 * transaction with its event (outbox) and its notification; the list row is locked for every step,
 * so two approvals of one list cannot both publish.
 */
@Injectable()
export class InvoicingListsService implements OnModuleInit {
  private readonly billingEntity: BillingEntity;
  private readonly mailingAddress: MailingAddress;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly partners: PartnersService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) config: InvoiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.billingEntity = {
      name: config.INVOICE_BILLING_ENTITY_NAME,
      taxpayer_id: config.INVOICE_BILLING_ENTITY_TAXPAYER_ID,
      bank: config.INVOICE_BILLING_ENTITY_BANK,
      account: config.INVOICE_BILLING_ENTITY_ACCOUNT,
      address: config.INVOICE_BILLING_ENTITY_ADDRESS,
      phone: config.INVOICE_BILLING_ENTITY_PHONE,
    };
    this.mailingAddress = { recipient: config.INVOICE_MAILING_RECIPIENT, phone: config.INVOICE_MAILING_PHONE, address: config.INVOICE_MAILING_ADDRESS };
  }

  onModuleInit(): void {
    // A list opened before the certification was complete becomes visible now: tell the partner then.
    this.partners.onCertified(async (m, partnerId) => {
      const waiting = await m.find(InvoicingList, { where: { partnerId, status: 'awaiting-invoice' } });
      for (const list of waiting) await this.notifyReady(m, list);
    });
  }

  /**
   * Opens the list of a payout application that needs an invoice (in the consumer's transaction).
   * One list per application: the same application re-published under another event id opens none.
   */
  async open(m: EntityManager, d: EventData<typeof IncentivePayoutAppliedV1>): Promise<InvoicingList | null> {
    if (!d.invoice_required || !d.invoice) return null;
    const currency = d.currency;
    const net = Money.of(d.invoice.net_amount, currency);
    const tax = Money.of(d.invoice.tax_amount, currency);
    const gross = Money.of(d.invoice.gross_amount, currency);
    if (!addsUp({ net, tax, gross })) throw new RejectedEventError(`application ${d.application_id}: invoice net ${net} + tax ${tax} is not gross ${gross}`);
    const list: InvoicingList = {
      id: randomUUID(),
      partnerId: d.partner_id,
      applicationId: d.application_id,
      noticeIds: d.notice_ids,
      period: d.period,
      method: d.method,
      currency,
      amountMinor: Money.of(d.amount, currency).minor.toString(),
      netMinor: net.minor.toString(),
      taxMinor: tax.minor.toString(),
      grossMinor: gross.minor.toString(),
      taxRate: d.invoice.tax_rate,
      taxpayerType: d.invoice.taxpayer_type,
      billingEntity: this.billingEntity,
      mailingAddress: this.mailingAddress,
      status: 'awaiting-invoice',
      submissions: 0,
      appliedAt: new Date(d.applied_at),
      openedAt: this.clock.now(),
      approvedAt: null,
      approvedBy: null,
    };
    const inserted: unknown[] = await m
      .createQueryBuilder()
      .insert()
      .into(InvoicingList)
      .values(list as never)
      .orIgnore()
      .returning(['id'])
      .execute()
      .then((r) => r.raw as unknown[]);
    if (!inserted.length) return null;
    // Visible (and so announced) only once the partner's certification is complete; else when it is.
    if (await this.partners.isCertified(list.partnerId, m)) await this.notifyReady(m, list);
    return list;
  }

  private async notifyReady(m: EntityManager, list: InvoicingList): Promise<void> {
    await this.notifications.record(m, {
      partnerId: list.partnerId,
      kind: 'list-ready',
      sourceKey: list.id,
      occurredAt: list.openedAt,
      params: { ...this.notificationParams(list), applied_at: list.appliedAt.toISOString() },
    });
  }

  list(scope: PartnerScope, page: ListPage): Promise<[InvoicingList[], number]> {
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      await this.requireCertified(m, scope.partnerId);
      const where: FindOptionsWhere<InvoicingList> = { partnerId: scope.partnerId, ...(page.status ? { status: page.status } : {}) };
      return m.findAndCount(InvoicingList, { where, order: { openedAt: 'DESC', id: 'ASC' }, skip: page.offset, take: page.limit });
    });
  }

  get(scope: PartnerScope, id: string): Promise<{ list: InvoicingList; submissions: InvoiceSubmission[] }> {
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      await this.requireCertified(m, scope.partnerId);
      return this.withSubmissions(m, await this.find(m, id, scope.partnerId));
    });
  }

  /** The partner records the invoice it issued against the list (first time, or after a rejection). */
  submit(scope: PartnerScope, id: string, invoice: RecordedInvoice): Promise<{ list: InvoicingList; submissions: InvoiceSubmission[] }> {
    const submitted = inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      await this.requireCertified(m, scope.partnerId);
      const list = await this.find(m, id, scope.partnerId, true);
      if (list.status !== 'awaiting-invoice' && list.status !== 'rejected') {
        throw new ConflictError(`Invoicing list ${id} is ${list.status}: it takes no invoice now.`, InvoicingListErrors.NotAwaitingInvoice);
      }
      if (invoice.net.currencyCode !== list.currency) throw new BadParameterError(`The invoice must be in ${list.currency}.`);
      if (!addsUp(invoice)) throw new BadParameterError(`net_amount ${invoice.net} + tax_amount ${invoice.tax} is not gross_amount ${invoice.gross}.`, InvoicingListErrors.AmountsDoNotAddUp);
      const now = this.clock.now();
      const submission: InvoiceSubmission = {
        id: randomUUID(),
        listId: list.id,
        partnerId: list.partnerId,
        submission: list.submissions + 1,
        invoiceNumber: invoice.invoiceNumber,
        invoiceCode: invoice.invoiceCode,
        invoiceDate: invoice.invoiceDate,
        netMinor: invoice.net.minor.toString(),
        taxMinor: invoice.tax.minor.toString(),
        grossMinor: invoice.gross.minor.toString(),
        taxRate: invoice.taxRate,
        trackingNumber: invoice.trackingNumber,
        submittedAt: now,
        submittedBy: scope.actor,
        status: 'pending',
        reviewedAt: null,
        reviewedBy: null,
        rejectReason: null,
        mismatches: null,
      };
      await m.insert(InvoiceSubmission, submission);
      await m.update(InvoicingList, { id }, { status: 'submitted', submissions: submission.submission });
      const deliveries = await this.notifications.record(m, {
        partnerId: list.partnerId,
        kind: 'invoice-received',
        sourceKey: submission.id,
        occurredAt: now,
        params: { ...this.notificationParams(list), invoice_number: submission.invoiceNumber, submission: String(submission.submission), submitted_at: now.toISOString() },
      });
      return { deliveries, result: await this.withSubmissions(m, { ...list, status: 'submitted', submissions: submission.submission }) };
    });
    return this.afterCommit(submitted);
  }

  /**
   * Approves the invoice under review: its amounts and tax must be the list's. Publishes
   * `settle.invoice.approved.v1` in the same transaction, once: the list is locked and only a
   * submitted list can be approved, so a second approval finds it approved and is refused.
   */
  approve(id: string, by: string): Promise<{ list: InvoicingList; submissions: InvoiceSubmission[] }> {
    return this.afterCommit(
      this.review(id, async (m, list, pending, now) => {
        const mismatches = mismatchesOf(amountsOf(list, list.currency), amountsOf(pending, list.currency));
        if (mismatches.length) {
          throw new ApiError(409, InvoicingListErrors.InvoiceDoesNotMatch, `The invoice does not match the list: ${describeMismatches(mismatches)}. Reject it with the reason.`, { mismatches });
        }
        await m.update(InvoiceSubmission, { id: pending.id }, { status: 'approved', reviewedAt: now, reviewedBy: by, mismatches: [] });
        await m.update(InvoicingList, { id }, { status: 'approved', approvedAt: now, approvedBy: by });
        await this.outbox.append(m, InvoiceApprovedV1, { ...this.reviewedFields(list, pending), approved_at: now.toISOString(), approved_by: by }, { partitionKey: list.partnerId, subject: list.id, occurredAt: now });
        const deliveries = await this.notifications.record(m, {
          partnerId: list.partnerId,
          kind: 'invoice-approved',
          sourceKey: pending.id,
          occurredAt: now,
          params: { ...this.notificationParams(list), invoice_number: pending.invoiceNumber, approved_at: now.toISOString() },
        });
        this.logger.info({ invoicing_list_id: id, application_id: list.applicationId, submission: pending.submission }, 'invoice approved');
        return { deliveries, result: { ...list, status: 'approved' as const, approvedAt: now, approvedBy: by } };
      }),
    );
  }

  /** Rejects the invoice under review with a reason (and what differed from the list); the partner may resubmit. */
  reject(id: string, reason: string, by: string): Promise<{ list: InvoicingList; submissions: InvoiceSubmission[] }> {
    return this.afterCommit(
      this.review(id, async (m, list, pending, now) => {
        const mismatches = mismatchesOf(amountsOf(list, list.currency), amountsOf(pending, list.currency));
        await m.update(InvoiceSubmission, { id: pending.id }, { status: 'rejected', reviewedAt: now, reviewedBy: by, rejectReason: reason, mismatches });
        await m.update(InvoicingList, { id }, { status: 'rejected' });
        await this.outbox.append(m, InvoiceRejectedV1, { ...this.reviewedFields(list, pending), rejected_at: now.toISOString(), rejected_by: by, reason }, { partitionKey: list.partnerId, subject: list.id, occurredAt: now });
        const deliveries = await this.notifications.record(m, {
          partnerId: list.partnerId,
          kind: 'invoice-rejected',
          sourceKey: pending.id,
          occurredAt: now,
          params: { ...this.notificationParams(list), invoice_number: pending.invoiceNumber, reason, rejected_at: now.toISOString() },
        });
        return { deliveries, result: { ...list, status: 'rejected' as const } };
      }),
    );
  }

  operatorList(filter: ListPage & { partnerId?: string }): Promise<[InvoicingList[], number]> {
    return inSystemScope(this.dataSource, (m) =>
      m.findAndCount(InvoicingList, {
        where: { ...(filter.partnerId ? { partnerId: filter.partnerId } : {}), ...(filter.status ? { status: filter.status } : {}) },
        order: { openedAt: 'DESC', id: 'ASC' },
        skip: filter.offset,
        take: filter.limit,
      }),
    );
  }

  operatorGet(id: string): Promise<{ list: InvoicingList; submissions: InvoiceSubmission[] }> {
    return inSystemScope(this.dataSource, async (m) => this.withSubmissions(m, await this.find(m, id)));
  }

  private review(
    id: string,
    step: (m: EntityManager, list: InvoicingList, pending: InvoiceSubmission, now: Date) => Promise<{ deliveries: string[]; result: InvoicingList }>,
  ): Promise<{ deliveries: string[]; result: { list: InvoicingList; submissions: InvoiceSubmission[] } }> {
    return inSystemScope(this.dataSource, async (m) => {
      const list = await this.find(m, id, undefined, true);
      const pending = list.status === 'submitted' ? await m.findOneBy(InvoiceSubmission, { listId: id, submission: list.submissions }) : null;
      if (!pending || pending.status !== 'pending') throw new ConflictError(`Invoicing list ${id} is ${list.status}: no invoice is under review.`, InvoicingListErrors.NothingToReview);
      const { deliveries, result } = await step(m, list, pending, this.clock.now());
      return { deliveries, result: await this.withSubmissions(m, result) };
    });
  }

  /** Hands the step's notifications to the queue once its transaction committed (the sweep catches a miss). */
  private async afterCommit<T>(committed: Promise<{ deliveries: string[]; result: T }>): Promise<T> {
    const { deliveries, result } = await committed;
    await this.notifications.dispatch(deliveries);
    return result;
  }

  private reviewedFields(list: InvoicingList, s: InvoiceSubmission) {
    return {
      invoicing_list_id: list.id,
      application_id: list.applicationId,
      partner_id: list.partnerId,
      invoice_number: s.invoiceNumber,
      ...(s.invoiceCode ? { invoice_code: s.invoiceCode } : {}),
      net_amount: amount(s.netMinor, list.currency).toString(),
      tax_amount: amount(s.taxMinor, list.currency).toString(),
      gross_amount: amount(s.grossMinor, list.currency).toString(),
      currency: list.currency,
      submission: s.submission,
    };
  }

  private notificationParams(list: InvoicingList): Record<string, string> {
    return {
      invoicing_list_id: list.id,
      application_id: list.applicationId,
      period: list.period,
      currency: list.currency,
      net_amount: amount(list.netMinor, list.currency).toString(),
      tax_amount: amount(list.taxMinor, list.currency).toString(),
      gross_amount: amount(list.grossMinor, list.currency).toString(),
      mailing_address: `${list.mailingAddress.recipient}, ${list.mailingAddress.phone}, ${list.mailingAddress.address}`,
    };
  }

  private async requireCertified(m: EntityManager, partnerId: string): Promise<void> {
    if (!(await this.partners.isCertified(partnerId, m))) {
      throw new ApiError(403, InvoicingListErrors.CertificationIncomplete, 'Invoicing lists are visible once your business information certification is complete.');
    }
  }

  private async find(m: EntityManager, id: string, partnerId?: string, lock = false): Promise<InvoicingList> {
    const list = await m.findOne(InvoicingList, { where: { id, ...(partnerId ? { partnerId } : {}) }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!list) throw new NotFoundError(`Invoicing list ${id} does not exist.`);
    return list;
  }

  private async withSubmissions(m: EntityManager, list: InvoicingList): Promise<{ list: InvoicingList; submissions: InvoiceSubmission[] }> {
    return { list, submissions: await m.find(InvoiceSubmission, { where: { listId: list.id }, order: { submission: 'ASC' } }) };
  }
}
