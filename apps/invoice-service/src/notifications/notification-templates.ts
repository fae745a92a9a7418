import { NotificationLanguage } from './message-settings.entity';
import { NotificationKind } from './notification.entity';

export interface RenderedEmail {
  subject: string;
  text: string;
}

/**
 * A time as the partner reads it: `YYYY-MM-DD HH:mm` in its time zone, followed by the zone
 * (e.g. `2026-04-01 02:30 (Asia/Shanghai)`). The same digits in both languages, so a date never
 * reads differently from one template to the other.
 */
export function formatTime(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} (${timeZone})`;
}

/** Whether the runtime knows the IANA time zone. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

type Template = { subject: string; body: string };

/** Placeholders: `{name}` from the params; `{name_at}` values are formatted as times in the partner's zone. */
const TEMPLATES: Record<NotificationKind, Record<NotificationLanguage, Template>> = {
  'list-ready': {
    'zh-CN': {
      subject: '开票清单已生成：{period} 激励发放',
      body: '您的激励发放申请（{application_id}，申请时间 {applied_at}）需要开具发票。\n开票清单 {invoicing_list_id}：不含税金额 {net_amount} {currency}，税额 {tax_amount} {currency}，价税合计 {gross_amount} {currency}。\n请开具发票并连同清单邮寄至：{mailing_address}。',
    },
    'en-US': {
      subject: 'Invoicing list ready: incentive payout for {period}',
      body: 'Your incentive payout application ({application_id}, applied {applied_at}) needs an invoice.\nInvoicing list {invoicing_list_id}: net {net_amount} {currency}, tax {tax_amount} {currency}, total {gross_amount} {currency}.\nPlease issue the invoice and mail it with the list to: {mailing_address}.',
    },
  },
  'invoice-received': {
    'zh-CN': { subject: '已收到发票 {invoice_number}', body: '我们已于 {submitted_at} 收到您针对开票清单 {invoicing_list_id} 提交的发票 {invoice_number}（第 {submission} 次提交），正在审核。' },
    'en-US': { subject: 'Invoice {invoice_number} received', body: 'We received invoice {invoice_number} for invoicing list {invoicing_list_id} on {submitted_at} (submission {submission}); it is under review.' },
  },
  'invoice-approved': {
    'zh-CN': { subject: '发票 {invoice_number} 审核通过', body: '您针对开票清单 {invoicing_list_id} 提交的发票 {invoice_number} 已于 {approved_at} 审核通过，激励（{gross_amount} {currency}）将按您选择的方式发放。' },
    'en-US': { subject: 'Invoice {invoice_number} approved', body: 'Invoice {invoice_number} for invoicing list {invoicing_list_id} was approved on {approved_at}; the incentive ({gross_amount} {currency}) will be paid by the method you chose.' },
  },
  'invoice-rejected': {
    'zh-CN': { subject: '发票 {invoice_number} 审核未通过', body: '您针对开票清单 {invoicing_list_id} 提交的发票 {invoice_number} 于 {rejected_at} 审核未通过。原因：{reason}\n请更正后重新提交。' },
    'en-US': { subject: 'Invoice {invoice_number} rejected', body: 'Invoice {invoice_number} for invoicing list {invoicing_list_id} was rejected on {rejected_at}. Reason: {reason}\nPlease correct it and submit it again.' },
  },
  'payout-paid': {
    'zh-CN': { subject: '激励已发放：{amount} {currency}', body: '激励发放 {payout_id}（{period}）已于 {paid_at} 发放，金额 {amount} {currency}，方式：{method}。' },
    'en-US': { subject: 'Incentive paid: {amount} {currency}', body: 'Incentive payout {payout_id} ({period}) was paid on {paid_at}: {amount} {currency} by {method}.' },
  },
  'bill-invoice-issued': {
    'zh-CN': { subject: '账单发票已开具：{invoice_number}', body: '您申请的账单发票 {bill_invoice_id} 已于 {issued_at} 开具，发票号码 {invoice_number}，金额 {amount} {currency}，抬头：{title}。' },
    'en-US': { subject: 'Bill invoice issued: {invoice_number}', body: 'Your bill invoice {bill_invoice_id} was issued on {issued_at}: invoice number {invoice_number}, {amount} {currency}, title: {title}.' },
  },
};

function fill(text: string, params: Record<string, string>, timeZone: string): string {
  return text.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) return '';
    return name.endsWith('_at') ? formatTime(value, timeZone) : value;
  });
}

/** The email of a notification in the partner's language, its times in the partner's time zone. */
export function renderEmail(kind: NotificationKind, language: NotificationLanguage, timeZone: string, params: Record<string, string>): RenderedEmail {
  const t = TEMPLATES[kind][language];
  return { subject: fill(t.subject, params, timeZone), text: fill(t.body, params, timeZone) };
}

/** Every kind has a template in every language (the spec checks it). */
export const templateKinds = (): Array<[NotificationKind, NotificationLanguage]> =>
  (Object.keys(TEMPLATES) as NotificationKind[]).flatMap((k) => (Object.keys(TEMPLATES[k]) as NotificationLanguage[]).map((l) => [k, l] as [NotificationKind, NotificationLanguage]));
