import { Controller, Get, Res } from '@nestjs/common';
import { Public } from '@settle/auth';
import type { Response } from 'express';
import { HealthRegistry } from './health-registry';

@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  /** The process is up and its event loop turns; says nothing about dependencies. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready only when every dependency (PostgreSQL, Redis, Kafka…) answers. */
  @Get('ready')
  async ready(@Res() res: Response): Promise<void> {
    const report = await this.registry.readiness();
    res.status(report.ready ? 200 : 503).json({ status: report.ready ? 'ok' : 'unavailable', checks: report.checks });
  }
}
