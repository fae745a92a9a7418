import { Injectable } from '@nestjs/common';

/**
 * Where the service reads "now": every date rule (the 2020-08-01 invoice-information cut-off,
 * review and request times) asks this provider, never `new Date()` in the rule, so the rules stay
 * pure functions of their inputs and a test can pin the time by providing another clock.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
