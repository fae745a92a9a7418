/**
 * An order or refund that cannot be booked. `retryable`: it may apply later (a refund whose order
 * has not arrived yet); otherwise it never will (an unknown product, a refund beyond its order).
 */
export class OrderRejectedError extends Error {
  constructor(
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'OrderRejectedError';
  }
}
