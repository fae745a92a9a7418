// Runs the example integrator and shows what it saw at http://127.0.0.1:$PORT/state.
//   KAFKA_BROKERS=127.0.0.1:9092 PORT=8099 node -r @swc-node/register examples/settlement-consumer/src/main.ts
import { createServer } from 'node:http';
import { SettlementConsumer } from './settlement-consumer';

const consumer = new SettlementConsumer({
  brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  groupId: process.env.GROUP_ID ?? 'example.settlement-consumer',
  topicPrefix: process.env.KAFKA_TOPIC_PREFIX ?? '',
  schemasDir: process.env.SCHEMAS_DIR || undefined,
});

const server = createServer((req, res) => {
  const state = consumer.snapshot();
  if (req.url === '/health') {
    res.writeHead(state.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ready: state.ready }));
  } else if (req.url === '/state') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state, null, 2));
  } else {
    res.writeHead(404).end();
  }
});

async function main(): Promise<void> {
  await consumer.start();
  const port = Number(process.env.PORT ?? 8099);
  server.listen(port, '127.0.0.1', () => process.stdout.write(`settlement consumer: state at http://127.0.0.1:${port}/state\n`));
}

async function shutdown(): Promise<void> {
  server.close();
  await consumer.stop();
  const { valid, duplicates, invalid, ledger } = consumer.snapshot();
  process.stdout.write(`${JSON.stringify({ valid, duplicates, invalid: invalid.length, ledger })}\n`);
  process.exit(0);
}

process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
