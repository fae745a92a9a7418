import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { StopWaiting, waitFor } from './wait-for';

/** The repository root: services are started from their sources, as `npm run up` does. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Runs a service's migrate command as an operator would. */
export function migrateService(service: string, env: NodeJS.ProcessEnv): void {
  const result = spawnSync(process.execPath, ['-r', '@swc-node/register', join('apps', service, 'src', 'migrate.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`${service} migrate failed: ${result.stderr || result.stdout}`);
}

/** A service started as its own process, exactly as `npm run up` starts it. */
export class ServiceProcess {
  private child?: ChildProcess;
  readonly output: string[] = [];
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  exited = false;

  constructor(
    readonly service: string,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The service's process id while it runs (the bench samples its memory from /proc). */
  get pid(): number | undefined {
    return this.exited ? undefined : this.child?.pid;
  }

  async start(): Promise<this> {
    // The same heap bound as `npm run up` and the container image (SERVICE_HEAP_MB, default 256).
    const heap = `--max-old-space-size=${process.env.SERVICE_HEAP_MB ?? '256'}`;
    const child = spawn(process.execPath, [heap, '-r', '@swc-node/register', join('apps', this.service, 'src', 'main.ts')], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    child.on('exit', (code, signal) => {
      this.exitCode = code;
      this.exitSignal = signal;
      this.exited = true;
    });
    await waitFor(
      async () => {
        if (this.exited) throw new StopWaiting(`${this.service} exited with ${this.exitCode}: ${this.output.join('').slice(-2000)}`);
        const res = await fetch(`${this.url}/health/ready`).catch(() => undefined);
        return res?.ok;
      },
      `${this.service} to become ready`,
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    return this;
  }

  /**
   * SIGTERM, as an orchestrator stops a pod. Resolves with how the process ended; `forced` when
   * it had to be killed because it did not finish shutting down in time.
   */
  async stop(timeoutMs = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; forced: boolean; ms: number }> {
    const child = this.child;
    const started = Date.now();
    if (!child || this.exited) return { code: this.exitCode, signal: this.exitSignal, forced: false, ms: 0 };
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    let forced = false;
    const timer = setTimeout(() => {
      forced = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    await exited;
    clearTimeout(timer);
    return { code: this.exitCode, signal: this.exitSignal, forced, ms: Date.now() - started };
  }

  /** SIGKILL, as a crash or an OOM kill: no shutdown hook runs. Resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || this.exited) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  logLines(): Record<string, unknown>[] {
    return this.output
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          return {};
        }
      });
  }
}
