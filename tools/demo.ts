// The last step of `npm run up`: shows the platform working end to end.
import { signRequest } from '@settle/auth';
import { billCycleOf } from '@settle/contracts';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const base = process.env.SETTLE_URL ?? 'http://127.0.0.1:8080';
const home = process.env.SETTLE_HOME ?? join(__dirname, '..', '.local');
const cli = (...args: string[]) => JSON.parse(execFileSync('npx', ['settle', ...args, '--json'], { encoding: 'utf8' }));

async function main(): Promise<void> {
  const partner = cli('partner', 'create', '--name', 'Demo Partner', '--kind', 'reseller');
  writeFileSync(join(home, 'demo-partner.json'), JSON.stringify(partner, null, 2));
  console.log(`partner ${partner.partner_id} created; AK ${partner.access_key} (credentials in .local/demo-partner.json)`);

  const customerId = `demo-customer-${randomBytes(4).toString('hex')}`;
  cli('customer', 'register', '--customer', customerId, '--domain-name', customerId.replace(/-/g, '_'), '--name', 'Demo Customer', '--mobile', '13800000000');
  cli('customer', 'associate', '--partner', partner.partner_id, '--customer', customerId, '--mode', 'agency');
  console.log(`customer ${customerId} associated (agency-sale) in customer-service`);

  const started = Date.now();
  for (;;) {
    try {
      const owner = cli('customer', 'owner', '--customer', customerId);
      console.log(`billing-service knows: ${customerId} belongs to ${owner.partner_id} since ${owner.effective_from} (${Date.now() - started} ms through Kafka)`);
      break;
    } catch {
      if (Date.now() - started > 30_000) throw new Error('the association did not reach billing-service within 30 s; see .local/logs');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** A partner API call signed with the partner's AK/SK (SDK-HMAC-SHA256), as an SDK client makes it. */
  const asPartner = async (method: string, pathAndQuery: string, payload?: unknown) => {
    const url = new URL(pathAndQuery, base);
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const headers = { 'content-type': 'application/json', host: url.host };
    const signed = signRequest({ method, url: `${url.pathname}${url.search}`, headers, body }, { accessKey: partner.access_key, secretKey: partner.secret_key });
    const response = await fetch(url, { method, headers: { ...headers, ...signed }, body: payload === undefined ? undefined : body });
    const text = await response.text();
    console.log(`signed partner API call ${method} ${pathAndQuery} -> ${response.status} ${text}`);
    if (!response.ok) throw new Error(`the signed partner API call ${method} ${url.pathname} failed`);
    return JSON.parse(text);
  };
  const token = execFileSync('npx', ['settle', 'operator-token', '--subject', 'demo', '--ttl', '600'], { encoding: 'utf8' }).trim();
  type Answer = Record<string, string & number>;
  const asOperator = async (method: string, path: string, payload?: unknown): Promise<Answer> => {
    const response = await fetch(new URL(path, base), { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: payload === undefined ? undefined : JSON.stringify(payload) });
    const body = (await response.json()) as Answer;
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(body)}`);
    return body;
  };

  await asPartner('POST', '/v2/partners/sub-customers/query', { offset: 0, limit: 10 });

  // Billing: a recharge, a usage record, a (draft) bill of this cycle, funding the customer.
  const cycle = billCycleOf(new Date());
  await asOperator('POST', '/operator/billing/accounts/recharge', { partner_id: partner.partner_id, amount: '1000.00', request_id: `demo-${customerId}` });
  const usage = {
    record_id: `demo-${customerId}-1`, customer_id: customerId, service_type_code: 'hws.service.type.ec2', resource_type_code: 'hws.resource.type.vm',
    resource_id: 'demo-vm', region_code: 'cn-north-4', usage: '3600', usage_measure_id: 9, charge_mode: 'on-demand', record_type: 'consumption',
    official_amount: '128.00', currency: 'CNY', occurred_at: new Date().toISOString(), bill_cycle: cycle,
  };
  const ingested = await asOperator('POST', '/operator/billing/usage-records/batch', { records: [usage] });
  console.log(`usage record ingested: ${JSON.stringify({ rated: ingested.rated_count, unattributed: ingested.unattributed_count, errors: ingested.error_details })}`);
  const run = await asOperator('POST', '/operator/billing/bill-runs', { bill_cycle: cycle });
  const runStarted = Date.now();
  for (;;) {
    const progress = await asOperator('GET', `/operator/billing/bill-runs/${run.run_id}`);
    if (progress.status !== 'running') {
      console.log(`bill run ${run.run_id} for ${cycle}: ${progress.status}, ${progress.partners_done}/${progress.partners_total} partners (${Date.now() - runStarted} ms on BullMQ)`);
      break;
    }
    if (Date.now() - runStarted > 30_000) throw new Error('the bill run did not complete within 30 s; see .local/logs/billing-service.log');
    await new Promise((r) => setTimeout(r, 200));
  }
  await asPartner('GET', `/v2/bills/partner-bills/postpaid-bill-summary?bill_cycle=${cycle}`);
  await asPartner('POST', '/v2/accounts/partner-accounts/adjust-amount', { customer_id: customerId, amount: '50.00' });
  await asPartner('GET', '/v2/accounts/partner-accounts/balances');

  const document = await fetch(`${base}/openapi.json`);
  if (!document.ok) throw new Error(`GET /openapi.json answered ${document.status}: ${await document.text()}`);
  const paths = ((await document.json()) as { paths: Record<string, object> }).paths;
  const operations = Object.values(paths).reduce((n, item) => n + Object.keys(item).length, 0);
  console.log(`API document: ${operations} operations at ${base}/openapi.json, browsable at ${base}/docs`);
  console.log(`\nSettle is up. Partner API and operator API: ${base} | logs: .local/logs/ | stop: npm run down`);
}

main().catch((error: Error) => {
  console.error(`demo failed: ${error.message}`);
  process.exit(1);
});
