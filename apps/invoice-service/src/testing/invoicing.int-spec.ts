import { Topics } from '@settle/contracts';
import { billInvoiceScenarios } from '../bill-invoices/bill-invoices.scenarios';
import { invoiceInformationScenarios } from '../invoice-information/invoice-information.scenarios';
import { invoicingListScenarios } from '../invoicing-lists/invoicing-lists.scenarios';
import { InvoiceStack, startInvoiceStack } from './invoice-stack';
import { tenancyScenarios } from './tenancy.scenarios';

/**
 * invoice-service's feature scenarios on one stack (starting a stack costs customer-service, the
 * gateway and a migration: one per file keeps `npm test` fast). Each feature keeps its scenarios
 * next to its code (`<feature>/<feature>.scenarios.ts`); every scenario works on partners of its
 * own, so they share the stack without sharing data. Notifications and the worker kill run on
 * stacks of their own (their settings differ).
 */
let stack: InvoiceStack;
beforeAll(async () => {
  stack = await startInvoiceStack({}, { deadLetterTopics: [Topics.IncentiveEvents] });
}, 180_000);
afterAll(() => stack?.close(), 60_000);

const current = () => stack;
invoiceInformationScenarios(current);
invoicingListScenarios(current);
billInvoiceScenarios(current);
tenancyScenarios(current);
