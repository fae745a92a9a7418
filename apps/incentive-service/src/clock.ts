import { Global, Module } from '@nestjs/common';

/** The time incentive-service works at; injected so tests and jobs never read the wall clock directly. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('incentive.clock');

export const systemClock: Clock = { now: () => new Date() };

@Global()
@Module({ providers: [{ provide: CLOCK, useValue: systemClock }], exports: [CLOCK] })
export class ClockModule {}
