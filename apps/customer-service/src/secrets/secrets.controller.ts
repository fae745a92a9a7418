import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { RequireOperator } from '@settle/auth';
import { ApiRoute, ValidBody } from '@settle/platform';
import { z } from 'zod';
import { ResealService } from './reseal.service';

/** No body reads as `{}` (the default batch size). */
const ResealBody = z.preprocess((b) => b ?? {}, z.object({ batch_size: z.number().int().min(1).max(1_000).optional() }).strict());

/** Sealed values per table and key. */
const SealedCounts = z.array(
  z.object({
    table: z.string(),
    key_id: z.string().describe('The sealing key\'s id; "legacy" for values in the first release\'s unversioned format'),
    count: z.number().int().min(0),
  }),
);
const KeysResponse = z.object({ active_key_id: z.string(), key_ids: z.array(z.string()).describe('Every key of the ring (the active one and those still read)'), sealed: SealedCounts });
const ResealResponse = z.object({
  active_key_id: z.string(),
  resealed: z.number().int().min(0).describe('Values sealed again under the active key by this run'),
  unreadable: z
    .array(z.object({ table: z.string(), id: z.string(), reason: z.string() }))
    .describe('Values no configured key opens (their key left the ring too early): left as they are'),
  sealed: SealedCounts.describe('After the run'),
});

/** Operator API: the sealing keys and the secrets sealed under each (`npx settle secrets`). */
@Controller()
export class SecretsController {
  constructor(private readonly reseal: ResealService) {}

  @Get('operator/secrets/keys')
  @RequireOperator()
  @ApiRoute({ summary: 'The sealing keys and how many secrets each seals', response: KeysResponse })
  async keys() {
    return { active_key_id: this.reseal.activeKeyId, key_ids: this.reseal.keyIds, sealed: await this.reseal.sealedCounts() };
  }

  /** Re-seals every secret under the active key; safe to repeat. */
  @Post('operator/secrets/reseal')
  @HttpCode(200)
  @RequireOperator()
  @ApiRoute({ summary: 'Re-seals every secret not yet under the active key (safe to repeat)', response: ResealResponse })
  async run(@ValidBody(ResealBody) input: z.infer<typeof ResealBody>) {
    return this.reseal.reseal(input.batch_size);
  }
}
