import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PartnerScope } from '@settle/auth';
import { BadParameterError, BillInvoiceIssuedV1, BillPaymentReceivedV1, ConflictError, EventData, NotFoundError } from '@settle/contracts';
import { OutboxWriter } from '@settle/messaging';
import { Money } from '@settle/money';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { InvoiceInformation } from '../invoice-information/invoice-information.entity';
import { InvoiceInformationService } from '../invoice-information/invoice-information.service';
import { NotificationsService } from '../notifications/notifications.service';
import { BillInvoice, InvoiceInformationSnapshot } from './bill-invoice.entity';
import { InvoiceableBalance } from './invoiceable-balance.entity';
import { BillInvoiceErrors, invoiceable, requestedAmount } from './invoiceable';

export interface BillInvoiceRequest {
  requestId: string;
  currency: string;
  amount: Money | null;
  invoiceInformationId: string | null;
}

function snapshotOf(i: InvoiceInformation): InvoiceInformationSnapshot {
  return {
    title: i.title,
    taxpayer_id: i.taxpayerId,
    invoice_type: i.invoiceType,
    bank_name: i.bankName,
    bank_account: i.bankAccount,
    registered_address: i.registeredAddress,
    registered_phone: i.registeredPhone,
    mailing_recipient: i.mailingRecipient,
    mailing_phone: i.mailingPhone,
    mailing_address: i.mailingAddress,
  };
}

/**
 * Bill invoices: what a partner paid (from billing's payment events) minus what it had invoiced is
 * what it may request an invoice for. A request locks the partner's balance row of the currency,
 * so concurrent requests take turns and the invoiced total never passes the paid total.
 */
@Injectable()
export class BillInvoicesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly information: InvoiceInformationService,
    private readonly notifications: NotificationsService,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  /** Counts a payment once (its payment id), in the consumer's transaction. */
  async recordPayment(m: EntityManager, d: EventData<typeof BillPaymentReceivedV1>, eventId: string): Promise<boolean> {
    const amount = Money.of(d.amount, d.currency);
    const inserted: unknown[] = await m.query(
      `INSERT INTO bill_payments (payment_id, partner_id, bill_id, bill_cycle, currency, amount_minor, paid_at, source_event_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (payment_id) DO NOTHING RETURNING payment_id`,
      [d.payment_id, d.partner_id, d.bill_id ?? null, d.bill_cycle ?? null, d.currency, amount.minor.toString(), new Date(d.paid_at), eventId],
    );
    if (!inserted.length) return false;
    await m.query(
      `INSERT INTO invoiceable_balances AS b (partner_id, currency, paid_minor, invoiced_minor, updated_at) VALUES ($1, $2, $3, 0, $4)
       ON CONFLICT (partner_id, currency) DO UPDATE SET paid_minor = b.paid_minor + EXCLUDED.paid_minor, updated_at = EXCLUDED.updated_at`,
      [d.partner_id, d.currency, amount.minor.toString(), this.clock.now()],
    );
    return true;
  }

  /** Paid, invoiced and invoiceable of the partner in a currency. */
  balance(scope: PartnerScope, currency: string): Promise<{ paid: Money; invoiced: Money; invoiceable: Money }> {
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      const row = await m.findOneBy(InvoiceableBalance, { partnerId: scope.partnerId, currency });
      const paid = Money.fromMinor(row?.paidMinor ?? '0', currency);
      const invoiced = Money.fromMinor(row?.invoicedMinor ?? '0', currency);
      return { paid, invoiced, invoiceable: invoiceable(paid, invoiced) };
    });
  }

  async request(scope: PartnerScope, input: BillInvoiceRequest): Promise<{ invoice: BillInvoice; created: boolean }> {
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      const existing = await m.findOneBy(BillInvoice, { partnerId: scope.partnerId, requestId: input.requestId });
      if (existing) {
        const same = existing.currency === input.currency && (!input.amount || existing.amountMinor === input.amount.minor.toString());
        if (!same) throw new ConflictError(`request_id ${input.requestId} was used for another request.`, BillInvoiceErrors.RequestIdReused);
        return { invoice: existing, created: false };
      }
      const info = await this.chooseInformation(m, scope.partnerId, input.invoiceInformationId);
      // The lock every request of this partner and currency takes, in turn.
      const [row] = await m.query(`SELECT paid_minor, invoiced_minor FROM invoiceable_balances WHERE partner_id = $1 AND currency = $2 FOR UPDATE`, [scope.partnerId, input.currency]);
      const paid = Money.fromMinor(row?.paid_minor ?? '0', input.currency);
      const invoiced = Money.fromMinor(row?.invoiced_minor ?? '0', input.currency);
      const decided = requestedAmount(input.amount, invoiceable(paid, invoiced));
      if ('refused' in decided) throw new ConflictError(decided.refused, BillInvoiceErrors.ExceedsInvoiceable);
      const now = this.clock.now();
      await m.query(`UPDATE invoiceable_balances SET invoiced_minor = invoiced_minor + $3, updated_at = $4 WHERE partner_id = $1 AND currency = $2`, [scope.partnerId, input.currency, decided.amount.minor.toString(), now]);
      const invoice: BillInvoice = {
        id: randomUUID(),
        partnerId: scope.partnerId,
        requestId: input.requestId,
        currency: input.currency,
        amountMinor: decided.amount.minor.toString(),
        invoiceInformationId: info.id,
        information: snapshotOf(info),
        status: 'requested',
        requestedAt: now,
        requestedBy: scope.actor,
        invoiceNumber: null,
        invoiceCode: null,
        issuedAt: null,
        issuedBy: null,
      };
      await m.createQueryBuilder().insert().into(BillInvoice).values(invoice as never).execute();
      return { invoice, created: true };
    });
  }

  list(scope: PartnerScope, page: { offset: number; limit: number }): Promise<[BillInvoice[], number]> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) => m.findAndCount(BillInvoice, { where: { partnerId: scope.partnerId }, order: { requestedAt: 'DESC', id: 'ASC' }, skip: page.offset, take: page.limit }));
  }

  get(scope: PartnerScope, id: string): Promise<BillInvoice> {
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      const invoice = await m.findOneBy(BillInvoice, { id, partnerId: scope.partnerId });
      if (!invoice) throw new NotFoundError(`Bill invoice ${id} does not exist.`);
      return invoice;
    });
  }

  operatorList(filter: { partnerId?: string; status?: BillInvoice['status']; offset: number; limit: number }): Promise<[BillInvoice[], number]> {
    return inSystemScope(this.dataSource, (m) =>
      m.findAndCount(BillInvoice, { where: { ...(filter.partnerId ? { partnerId: filter.partnerId } : {}), ...(filter.status ? { status: filter.status } : {}) }, order: { requestedAt: 'ASC', id: 'ASC' }, skip: filter.offset, take: filter.limit }),
    );
  }

  /** The platform issued the invoice: its number is recorded and the partner told. */
  async issue(id: string, number: { invoiceNumber: string; invoiceCode: string | null }, by: string): Promise<BillInvoice> {
    const { invoice, deliveries } = await inSystemScope(this.dataSource, async (m) => {
      const current = await m.findOne(BillInvoice, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw new NotFoundError(`Bill invoice ${id} does not exist.`);
      if (current.status !== 'requested') throw new ConflictError(`Bill invoice ${id} is ${current.status}.`);
      const now = this.clock.now();
      const next: BillInvoice = { ...current, status: 'issued', invoiceNumber: number.invoiceNumber, invoiceCode: number.invoiceCode, issuedAt: now, issuedBy: by };
      await m.update(BillInvoice, { id }, { status: 'issued', invoiceNumber: number.invoiceNumber, invoiceCode: number.invoiceCode, issuedAt: now, issuedBy: by });
      const amount = Money.fromMinor(current.amountMinor, current.currency).toString();
      await this.outbox.append(
        m,
        BillInvoiceIssuedV1,
        {
          bill_invoice_id: id,
          partner_id: current.partnerId,
          amount,
          currency: current.currency,
          invoice_number: number.invoiceNumber,
          ...(number.invoiceCode ? { invoice_code: number.invoiceCode } : {}),
          title: current.information.title,
          taxpayer_id: current.information.taxpayer_id,
          invoice_type: current.information.invoice_type as 'vat-general' | 'vat-special',
          issued_at: now.toISOString(),
          issued_by: by,
        },
        { partitionKey: current.partnerId, subject: id, occurredAt: now },
      );
      const deliveries = await this.notifications.record(m, {
        partnerId: current.partnerId,
        kind: 'bill-invoice-issued',
        sourceKey: id,
        occurredAt: now,
        params: { bill_invoice_id: id, invoice_number: number.invoiceNumber, amount: Money.fromMinor(current.amountMinor, current.currency).toString(), currency: current.currency, title: current.information.title, issued_at: now.toISOString() },
      });
      return { invoice: next, deliveries };
    });
    await this.notifications.dispatch(deliveries);
    return invoice;
  }

  private async chooseInformation(m: EntityManager, partnerId: string, id: string | null): Promise<InvoiceInformation> {
    const valid = await this.information.validOf(m, partnerId);
    if (id) {
      const chosen = valid.find((v) => v.id === id);
      if (!chosen) throw new BadParameterError(`invoice_information_id: ${id} is not a valid invoice information of this account.`);
      return chosen;
    }
    if (!valid.length) throw new ConflictError('The account holds no valid invoice information: add one first.', BillInvoiceErrors.NoInvoiceInformation);
    if (valid.length > 1) throw new BadParameterError(`The account holds ${valid.length} valid invoice information records: name one in invoice_information_id.`, BillInvoiceErrors.ChooseInvoiceInformation);
    return valid[0];
  }
}
