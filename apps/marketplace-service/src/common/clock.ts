import { Global, Module } from '@nestjs/common';

/** The time, injected: tests and replays decide what "now" is (expiry of links, closed periods). */
export const CLOCK = Symbol('marketplace.clock');

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

@Global()
@Module({ providers: [{ provide: CLOCK, useValue: systemClock }], exports: [CLOCK] })
export class ClockModule {}
