/** The one catalogue of error codes the API answers with, and the HTTP status of each. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  RESET_TOKEN_INVALID: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  PAYMENT_DECLINED: 402,
  FORBIDDEN: 403,
  NOT_ADMITTED: 403,
  CSRF_FAILED: 403,
  NOT_FOUND: 404,
  EMAIL_TAKEN: 409,
  NOT_ON_SALE: 409,
  SALE_ENDED: 409,
  SOLD_OUT: 409,
  TICKET_LIMIT_REACHED: 409,
  SEAT_UNAVAILABLE: 409,
  ORDER_EXPIRED: 409,
  ORDER_NOT_PENDING: 409,
  ALREADY_CHECKED_IN: 409,
  WRONG_SHOW: 409,
  TICKET_VOID: 409,
  NOT_SOLD_OUT: 409,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** A sentence a person can read for every code; the web app shows these. */
export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'Some of the information sent was not valid.',
  RESET_TOKEN_INVALID: 'This password reset link is invalid, used or expired. Ask for a new one.',
  UNAUTHENTICATED: 'Please log in first.',
  INVALID_CREDENTIALS: 'That email and password do not match an account.',
  PAYMENT_DECLINED: 'Your card was declined. Try another card.',
  FORBIDDEN: 'You are not allowed to do that.',
  NOT_ADMITTED: 'Your turn on the selling page is over, or has not started yet.',
  CSRF_FAILED: 'The request did not come from this site.',
  NOT_FOUND: 'We could not find that.',
  EMAIL_TAKEN: 'An account with that email already exists.',
  NOT_ON_SALE: 'Tickets for this show are not on sale yet.',
  SALE_ENDED: 'The sale for this show has ended.',
  SOLD_OUT: 'This show is sold out.',
  TICKET_LIMIT_REACHED: 'You have reached the ticket limit for this show.',
  SEAT_UNAVAILABLE: 'Sorry, that seat was just taken.',
  ORDER_EXPIRED: 'Your time to pay ran out and the seats were released.',
  ORDER_NOT_PENDING: 'This order can no longer be changed.',
  ALREADY_CHECKED_IN: 'This ticket has already been used.',
  WRONG_SHOW: 'This ticket is for another show.',
  TICKET_VOID: 'This ticket is void: its order was refunded or cancelled.',
  NOT_SOLD_OUT: 'The waitlist opens when the show is sold out: tickets are still on sale.',
  CONFLICT: 'That conflicts with the current state. Refresh and try again.',
  RATE_LIMITED: 'Too many attempts. Please wait a moment and try again.',
  INTERNAL: 'Something went wrong on our side. Please try again.',
  UNAVAILABLE: 'The service is busy. Please try again shortly.',
};
