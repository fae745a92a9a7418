import { SignatureStore, StoredAnswer } from '@settle/auth';
import { ConflictError, UnauthenticatedError } from '@settle/contracts';
import type { Response } from 'express';
import { setTimeout as delay } from 'node:timers/promises';
import { UpstreamUnavailableError } from '../proxy/proxy';

/** Marks an answer that is the recorded answer of an earlier request with the same signature. */
export const REPLAYED_HEADER = 'x-settle-replayed';

/**
 * Requests that change nothing: a repeated signature on them is simply answered again. Besides GET
 * and HEAD, the partner API's queries are POSTs with their filters in the body (`…/query`,
 * `…/batch-query`); the provider's SDK repeats one within a second with the same signature, and
 * that repeat must see the data as it is now, not the first answer.
 */
export function isRead(method: string, path = ''): boolean {
  return method === 'GET' || method === 'HEAD' || (method === 'POST' && /\/(batch-)?query$/.test(path));
}

export interface MutationReplayOptions {
  /** How long a repeat waits for the first request's answer (longer than the upstream timeout). */
  waitMs?: number;
  /** Largest answer recorded for replay; a larger one is answered once, its repeats get 409. */
  maxAnswerBytes?: number;
  /** Told when an answer could not be recorded (its repeats will wait, then get 409). */
  onRecordFailure?: (error: unknown, key: string) => void;
}

export interface SignedMutation {
  /** `<access key>:<signature>`. */
  key: string;
  bodyDigest: string;
  ttlSeconds: number;
}

/**
 * A signed mutation applies at most once per signature: the first request with a signature goes
 * to the service and its answer (status, headers, body) is recorded for the signature's window; a
 * repeat with the same body gets that answer (waiting for it while the first is in flight, from
 * any gateway replica); the same signature with another body is refused.
 */
export class MutationReplay {
  private readonly waitMs: number;
  private readonly maxAnswerBytes: number;
  private readonly onRecordFailure: (error: unknown, key: string) => void;

  constructor(
    private readonly store: SignatureStore,
    options: MutationReplayOptions = {},
  ) {
    this.waitMs = options.waitMs ?? 65_000;
    this.maxAnswerBytes = options.maxAnswerBytes ?? 1024 * 1024;
    this.onRecordFailure = options.onRecordFailure ?? (() => undefined);
  }

  async handle(mutation: SignedMutation, response: Response, apply: () => Promise<StoredAnswer>): Promise<void> {
    const deadline = Date.now() + this.waitMs;
    for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
      const claim = await this.store.claim(mutation.key, mutation.bodyDigest, mutation.ttlSeconds);
      if (claim.outcome === 'first') return this.applyFirst(mutation, response, apply);
      if (claim.outcome === 'conflict') {
        throw new UnauthenticatedError('This signature was already used for a request with another body: sign every request afresh.');
      }
      if (claim.answer) return write(response, claim.answer, true);
      if (claim.unreplayable === 'too-large') {
        throw new ConflictError('A request with this signature was already applied; its answer was too large to keep. Query the resource for its state.');
      }
      if (claim.unreplayable === 'outcome-unknown') {
        throw new ConflictError('A request with this signature did not complete, and may or may not have applied. Query the resource for its state, then sign a new request.');
      }
      if (Date.now() + pause > deadline) {
        throw new ConflictError('A request with this signature is still in progress. Query the resource for its state, then sign a new request.');
      }
      // Polling Redis, not a timer in a test: the first request may be on another replica.
      await delay(pause);
    }
  }

  private async applyFirst(mutation: SignedMutation, response: Response, apply: () => Promise<StoredAnswer>): Promise<void> {
    let answer: StoredAnswer;
    try {
      answer = await apply();
    } catch (error) {
      const settle =
        error instanceof UpstreamUnavailableError && !error.mayHaveReached
          ? this.store.release(mutation.key) // never reached the service: a repeat may try again
          : this.store.complete(mutation.key, mutation.bodyDigest, 'outcome-unknown');
      await settle.catch((failure: unknown) => this.onRecordFailure(failure, mutation.key));
      throw error;
    }
    const tooLarge = Buffer.byteLength(answer.body, 'base64') > this.maxAnswerBytes;
    try {
      // Recorded before the client sees it: a client that repeats on receipt finds the answer.
      await this.store.complete(mutation.key, mutation.bodyDigest, tooLarge ? 'too-large' : answer);
    } catch (error) {
      // The mutation applied: its caller still gets the answer.
      this.onRecordFailure(error, mutation.key);
    }
    write(response, answer, false);
  }
}

function write(response: Response, answer: StoredAnswer, replayed: boolean): void {
  const headers: Record<string, string | string[]> = { ...answer.headers };
  if (replayed) {
    // The first answer's date is not this answer's; Node writes the current one.
    delete headers.date;
    headers[REPLAYED_HEADER] = 'true';
  }
  response.writeHead(answer.status, headers);
  response.end(Buffer.from(answer.body, 'base64'));
}
