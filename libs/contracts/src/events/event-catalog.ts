import { AccountManagerAssignedV1 } from './customer/account-manager-assigned.event';
import { AssociationEndedV1 } from './customer/association-ended.event';
import { CustomerAssociatedV1 } from './customer/customer-associated.event';
import { CustomerCreatedV1 } from './customer/customer-created.event';
import { CustomerVouchersVoidedV1 } from './customer/customer-vouchers-voided.event';
import { InvitationCreatedV1, InvitationExpiredV1 } from './customer/invitation.events';
import { AuthorizationGrantedV1 } from './customer/authorization-granted.event';
import { AuthorizationRejectedV1 } from './customer/authorization-rejected.event';
import { AuthorizationRequestedV1 } from './customer/authorization-requested.event';
import { AuthorizationRevokedV1 } from './customer/authorization-revoked.event';
import { PartnerProfileChangedV1 } from './customer/partner-profile-changed.event';
import { PartnerRegisteredV1 } from './customer/partner-registered.event';
import { BillGeneratedV1 } from './billing/bill.events';
import { ConsumptionAdjustedV1, ConsumptionSummaryV1 } from './billing/consumption.events';
import { BillPaymentReceivedV1 } from './billing/bill-payment.events';
import { CouponQuotaGrantedV1, CouponQuotaIssuedV1, CouponQuotaReclaimedV1 } from './billing/coupon-quota.events';
import { BalanceAlertV1, WithdrawalStatusChangedV1 } from './billing/ledger.events';
import { PartnerCouponIssuedV1, PartnerCouponReclaimedV1 } from './billing/partner-coupon.events';
import { StatementConfirmedV1, StatementDisputedV1, StatementGeneratedV1 } from './billing/statement.events';
import { EventDefinition } from './define-event';
import { IncentiveNoticeIssuedV1 } from './incentive/notice.events';
import { IncentivePayoutAppliedV1, IncentivePayoutPaidV1, IncentivePayoutReleasedV1 } from './incentive/payout.events';
import { InvoiceApprovedV1, InvoiceRejectedV1 } from './invoice/invoice.events';
import { OrderPaidV1, OrderRefundedV1 } from './marketplace/order.events';
import { SplitBillIssuedV1 } from './marketplace/split-bill.events';
import { BillInvoiceIssuedV1 } from './invoice/bill-invoice.events';
import { SplitSettledV1 } from './marketplace/split.events';
import { OperatorActionRecordedV1 } from './operations/operator-action.event';
import { StatementSplitSectionAttachedV1 } from './billing/statement-split-section.events';
import { UsageRecordV1 } from './usage/usage-record.event';

/**
 * Every event type the platform publishes. A consumer that looks up a type here gets its
 * schema; the JSON Schemas in `libs/contracts/schemas/` are generated from this list.
 */
export const EventCatalog = [
  CustomerAssociatedV1,
  AssociationEndedV1,
  CustomerCreatedV1,
  CustomerVouchersVoidedV1,
  AccountManagerAssignedV1,
  InvitationCreatedV1,
  InvitationExpiredV1,
  AuthorizationRequestedV1,
  AuthorizationGrantedV1,
  AuthorizationRejectedV1,
  AuthorizationRevokedV1,
  UsageRecordV1,
  PartnerRegisteredV1,
  PartnerProfileChangedV1,
  BillGeneratedV1,
  ConsumptionSummaryV1,
  ConsumptionAdjustedV1,
  BalanceAlertV1,
  WithdrawalStatusChangedV1,
  StatementGeneratedV1,
  StatementConfirmedV1,
  StatementDisputedV1,
  CouponQuotaGrantedV1,
  CouponQuotaIssuedV1,
  CouponQuotaReclaimedV1,
  PartnerCouponIssuedV1,
  PartnerCouponReclaimedV1,
  IncentiveNoticeIssuedV1,
  IncentivePayoutReleasedV1,
  IncentivePayoutAppliedV1,
  IncentivePayoutPaidV1,
  InvoiceApprovedV1,
  InvoiceRejectedV1,
  SplitSettledV1,
  OperatorActionRecordedV1,
  BillPaymentReceivedV1,
  OrderPaidV1,
  OrderRefundedV1,
  SplitBillIssuedV1,
  StatementSplitSectionAttachedV1,
  BillInvoiceIssuedV1,
] as const satisfies readonly EventDefinition[];

export type CatalogEvent = (typeof EventCatalog)[number];
export type CatalogEventType = CatalogEvent['type'];

const byType = new Map<string, EventDefinition>(EventCatalog.map((d) => [d.type, d]));

export function eventDefinitionOf(type: string): EventDefinition | undefined {
  return byType.get(type);
}
