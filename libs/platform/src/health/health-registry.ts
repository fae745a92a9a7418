import { Injectable } from '@nestjs/common';

/** A dependency the service cannot work without; `check` throws (or rejects) when it is down. */
export interface HealthIndicator {
  readonly name: string;
  check(): Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, 'up' | string>;
}

const CHECK_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthRegistry {
  private readonly indicators: HealthIndicator[] = [];
  private draining = false;

  register(indicator: HealthIndicator): void {
    this.indicators.push(indicator);
  }

  /** Once shutdown starts the service reports not-ready, so load balancers stop sending work. */
  markDraining(): void {
    this.draining = true;
  }

  async readiness(): Promise<ReadinessReport> {
    const checks: Record<string, string> = {};
    await Promise.all(
      this.indicators.map(async (indicator) => {
        try {
          await withTimeout(indicator.check(), CHECK_TIMEOUT_MS, `${indicator.name} did not answer within ${CHECK_TIMEOUT_MS} ms`);
          checks[indicator.name] = 'up';
        } catch (error) {
          checks[indicator.name] = `down: ${error instanceof Error ? error.message : String(error)}`;
        }
      }),
    );
    if (this.draining) checks['shutdown'] = 'down: shutting down';
    return { ready: Object.values(checks).every((c) => c === 'up'), checks };
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
