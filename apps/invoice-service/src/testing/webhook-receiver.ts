import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  /** The status this receiver answered (undefined: it never answered, e.g. the sender went away). */
  answered?: number;
  at: number;
}

/**
 * A partner's webhook receiver, scripted by the test: `answer` decides each request's status from
 * how many came before (e.g. fail twice, then accept), or returns 'hold' to keep the request open
 * until `release()` (a send in flight).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private server?: Server;
  private held: Array<() => void> = [];
  port = 0;

  constructor(public answer: (index: number, hook: ReceivedWebhook) => number | 'hold' = () => 200) {}

  url(path = '/hooks'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  accepted(): ReceivedWebhook[] {
    return this.received.filter((r) => r.answered !== undefined && r.answered >= 200 && r.answered < 300);
  }

  release(): void {
    for (const r of this.held.splice(0)) r();
  }

  async start(): Promise<this> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const hook: ReceivedWebhook = { headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
        const index = this.received.push(hook) - 1;
        const status = this.answer(index, hook);
        const respond = (code: number) => {
          // The sender went away while this request was held (killed): it never got an answer.
          if (res.destroyed || res.writableEnded || req.socket.destroyed) return;
          hook.answered = code;
          res.writeHead(code, { 'content-type': 'text/plain' }).end(code < 300 ? 'ok' : 'no');
        };
        if (status === 'hold') this.held.push(() => respond(200));
        else respond(status);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
