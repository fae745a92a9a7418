/** A record billing cannot book, whatever the retry: it goes to the dead-letter topic (or the batch's error_details). */
export class UsageRecordRejectedError extends Error {
  /**
   * `retryable`: the record may become bookable soon (its original is a moment behind), so a
   * consumer retries before dead-lettering; otherwise no retry can help.
   */
  constructor(
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'UsageRecordRejectedError';
  }
}
