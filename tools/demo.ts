// The last step of `npm run up`: shows the platform working end to end.
import { signRequest } from '@settle/auth';
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

  const path = '/v2/partners/sub-customers/query';
  const body = JSON.stringify({ offset: 0, limit: 10 });
  const url = new URL(path, base);
  const headers = { 'content-type': 'application/json', host: url.host };
  const signed = signRequest({ method: 'POST', url: path, headers, body }, { accessKey: partner.access_key, secretKey: partner.secret_key });
  const response = await fetch(url, { method: 'POST', headers: { ...headers, ...signed }, body });
  console.log(`signed partner API call POST ${path} -> ${response.status} ${await response.text()}`);
  if (!response.ok) throw new Error('the signed partner API call failed');

  console.log(`\nSettle is up. Partner API and operator API: ${base} | logs: .local/logs/ | stop: npm run down`);
}

main().catch((error: Error) => {
  console.error(`demo failed: ${error.message}`);
  process.exit(1);
});
