/**
 * The few failures the platform reports to a client, in the partner API's error shape
 * (`{"error_code": "...", "error_msg": "..."}`). Each has one HTTP status; domain code throws
 * these and one exception filter (libs/platform) maps them, so no stack trace or SQL text ever
 * reaches a caller.
 */
export const ErrorCodes = {
  /** Bad parameter: missing, malformed or out of range. */
  BadParameter: 'CBC.0100',
  /** Authentication failed: unsigned, bad signature, unknown or revoked key, stale date, replay. */
  Unauthenticated: 'CBC.0150',
  /** Authenticated but not allowed: another tenant's data, wrong role, missing gateway proof. */
  AccessDenied: 'CBC.0151',
  /** The resource does not exist (or is not visible to this caller). */
  NotFound: 'CBC.0101',
  /** The request conflicts with the current state (already exists, wrong status). */
  Conflict: 'CBC.0102',
  /** Too many requests for this key or number. */
  Throttled: 'CBC.0250',
  /** Unexpected platform fault. */
  Internal: 'CBC.0999',
  /** Not enough balance for the movement. */
  InsufficientBalance: 'CBC.99005003',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes] | `CBC.${string}`;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: ErrorCode,
    message: string,
    /** Extra fields for the response body (e.g. `error_details` of a batch call). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }

  toBody(): { error_code: string; error_msg: string } & Record<string, unknown> {
    return { error_code: this.errorCode, error_msg: this.message, ...(this.details ?? {}) };
  }
}

export class BadParameterError extends ApiError {
  constructor(message: string, code: ErrorCode = ErrorCodes.BadParameter, details?: Record<string, unknown>) {
    super(400, code, message, details);
  }
}

export class UnauthenticatedError extends ApiError {
  constructor(message: string) {
    super(401, ErrorCodes.Unauthenticated, message);
  }
}

export class AccessDeniedError extends ApiError {
  constructor(message = 'Access denied.') {
    super(403, ErrorCodes.AccessDenied, message);
  }
}

export class NotFoundError extends ApiError {
  constructor(message: string) {
    super(404, ErrorCodes.NotFound, message);
  }
}

export class ConflictError extends ApiError {
  constructor(message: string, code: ErrorCode = ErrorCodes.Conflict) {
    super(409, code, message);
  }
}

export class ThrottledError extends ApiError {
  constructor(message: string, readonly retryAfterSeconds?: number) {
    super(429, ErrorCodes.Throttled, message);
  }
}

export class InsufficientBalanceError extends ApiError {
  constructor(message = 'Insufficient balance.') {
    super(400, ErrorCodes.InsufficientBalance, message);
  }
}
