import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { RequireOperator } from '@settle/auth';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { ResealService } from './reseal.service';

const ResealBody = z.object({ batch_size: z.number().int().min(1).max(1_000).optional() }).strict();

/** Operator API: the sealing keys and the secrets sealed under each (`npx settle secrets`). */
@Controller()
export class SecretsController {
  constructor(private readonly reseal: ResealService) {}

  @Get('operator/secrets/keys')
  @RequireOperator()
  async keys() {
    return { active_key_id: this.reseal.activeKeyId, key_ids: this.reseal.keyIds, sealed: await this.reseal.sealedCounts() };
  }

  /** Re-seals every secret under the active key; safe to repeat. */
  @Post('operator/secrets/reseal')
  @HttpCode(200)
  @RequireOperator()
  async run(@Body() body: unknown) {
    const input = parseInput(ResealBody, body ?? {});
    return this.reseal.reseal(input.batch_size);
  }
}
