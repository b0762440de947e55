/**
 * What each API route takes and answers, for the OpenAPI document at /docs. Request parts are the
 * very zod schemas the routes pass to `parse()` (src/shared/api.ts); responses are the documented
 * shapes of response-schemas.ts. test/api/ops.test.ts checks that this list and the routes
 * registered in Fastify are the same, both ways.
 */
import { z } from 'zod';
import {
  AreaHoldRequest,
  AreaParams,
  WaitlistRequest,
  BulkUsersRequest,
  CalendarQuery,
  CheckinRequest,
  CheckoutRequest,
  CreateEventRequest,
  CreateShowRequest,
  CreateVenueRequest,
  SitePageParams,
  UpdateSitePageRequest,
  UpdateAreaRequest,
  UpdateVenueRequest,
  VenueAreaParams,
  VenueParams,
  EventParams,
  EventSearchQuery,
  LoginRequest,
  OrderParams,
  PasswordResetConfirmRequest,
  PasswordResetRequest,
  PayRequest,
  SeatParams,
  SeatsQuery,
  ShowParams,
  SignupRequest,
  StatsHistoryQuery,
  UpdateEventRequest,
  UpdateShowRequest,
} from '../../../shared/api.js';
import type { ErrorCode } from '../../../shared/errors.js';
import {
  AuthResponseDoc,
  BulkUserDoc,
  EventDetailDoc,
  EventDoc,
  EventSummaryDoc,
  OrderDoc,
  QueueResponseDoc,
  DrawResponseDoc,
  SeatDoc,
  ShowDetailDoc,
  ShowStatsDoc,
  CheckinTicketDoc,
  UserDoc,
  SitePageDoc,
  VenueDoc,
  AdminOrderSummaryDoc,
  AdminWaitlistEntryDoc,
  WaitlistEntryDoc,
  MailListDoc,
  SalesHistoryDoc,
} from './response-schemas.js';

/** Who may call: anyone, a logged-in account, or an admin. */
export type Access = 'public' | 'user' | 'admin';

export interface RouteDoc {
  tag: 'Health' | 'Accounts' | 'Catalogue' | 'Waiting room' | 'Seats and orders' | 'Admin';
  summary: string;
  description?: string;
  access: Access;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success answer; no schema means no body (204). */
  ok: { status: 200 | 201 | 202 | 204; description: string; schema?: z.ZodType; /** A file, not JSON (application/pdf, text/csv). */ contentType?: string };
  /** Refusals besides the ones the access rule and the validated parts imply. */
  errors?: ErrorCode[];
}

const admittedOnly = 'Only for an account admitted to the show\'s selling page (else 403 `NOT_ADMITTED`).';

/** Keyed by `METHOD /path` exactly as the route is registered (`:param` style). */
export const API_ROUTES: Record<string, RouteDoc> = {
  'GET /api/health': {
    tag: 'Health',
    summary: 'Whether the server can serve (database and queue store reachable)',
    access: 'public',
    ok: { status: 200, description: 'Ready', schema: z.object({ status: z.literal('ok') }) },
    errors: ['UNAVAILABLE', 'INTERNAL'],
  },

  'GET /api/config': {
    tag: 'Health',
    summary: 'What the web app needs to know about this deployment',
    access: 'public',
    ok: { status: 200, description: 'Deployment settings', schema: z.object({ demo: z.boolean(), currency: z.string(), defaultTimeZone: z.string().describe('the zone of a venue created without one') }) },
  },

  'POST /api/auth/signup': {
    tag: 'Accounts',
    summary: 'Create a customer account and log in',
    description: 'Sets the HttpOnly `tc_session` cookie and returns the same session as `token`. Limited per client IP.',
    access: 'public',
    body: SignupRequest,
    ok: { status: 201, description: 'Signed up and logged in', schema: AuthResponseDoc },
    errors: ['EMAIL_TAKEN', 'RATE_LIMITED'],
  },
  'POST /api/auth/login': {
    tag: 'Accounts',
    summary: 'Log in with email and password',
    description: 'Sets the `tc_session` cookie. Failed attempts are limited per email and per IP.',
    access: 'public',
    body: LoginRequest,
    ok: { status: 200, description: 'Logged in', schema: AuthResponseDoc },
    errors: ['INVALID_CREDENTIALS', 'RATE_LIMITED'],
  },
  'POST /api/auth/logout': {
    tag: 'Accounts',
    summary: 'End this session (the token and cookie stop working)',
    access: 'user',
    ok: { status: 204, description: 'Logged out' },
  },
  'POST /api/auth/password-reset': {
    tag: 'Accounts',
    summary: 'Forgot password: email a single-use link (valid 60 minutes) if an account has this email',
    description: 'Always 202, account or not. Limited per client IP (429) and, silently, per account.',
    access: 'public',
    body: PasswordResetRequest,
    ok: { status: 202, description: 'Accepted (whether or not the email has an account)', schema: z.object({ message: z.string() }) },
    errors: ['RATE_LIMITED'],
  },
  'POST /api/auth/password-reset/confirm': {
    tag: 'Accounts',
    summary: 'Set a new password with the emailed token; every session of the account ends',
    access: 'public',
    body: PasswordResetConfirmRequest,
    ok: { status: 204, description: 'Password changed' },
    errors: ['RESET_TOKEN_INVALID'],
  },
  'GET /api/me': {
    tag: 'Accounts',
    summary: 'The logged-in account',
    access: 'user',
    ok: { status: 200, description: 'The account', schema: z.object({ user: UserDoc }) },
  },

  'GET /api/events': {
    tag: 'Catalogue',
    summary: 'List events; `q` matches title, artist, venue name or city (case-insensitive)',
    access: 'public',
    query: EventSearchQuery,
    ok: { status: 200, description: 'Events', schema: z.object({ events: z.array(EventSummaryDoc) }) },
  },
  'GET /api/events/:eventId': {
    tag: 'Catalogue',
    summary: 'One event with its shows',
    access: 'public',
    params: EventParams,
    ok: { status: 200, description: 'The event', schema: z.object({ event: EventDetailDoc }) },
    errors: ['NOT_FOUND'],
  },
  'GET /api/shows/:showId': {
    tag: 'Catalogue',
    summary: 'One show with its areas, prices and availability',
    access: 'public',
    params: ShowParams,
    ok: { status: 200, description: 'The show', schema: z.object({ show: ShowDetailDoc }) },
    errors: ['NOT_FOUND'],
  },
  'GET /api/shows/:showId/calendar.ics': {
    tag: 'Catalogue',
    summary: 'An iCalendar file (text/calendar) for the show\'s on-sale (`for=onsale`, from the pre-queue\'s opening) or the show (`for=show`)',
    description: 'Times in UTC; the event title, the venue with its address; a UID stable per show and kind, so adding it again updates the entry.',
    access: 'public',
    params: ShowParams,
    query: CalendarQuery,
    ok: { status: 200, description: 'The .ics file (text/calendar)', schema: z.string() },
    errors: ['NOT_FOUND'],
  },

  'GET /api/pages/:slug': {
    tag: 'Catalogue',
    summary: 'A site page the organizer wrote: help, terms, privacy or contact (Markdown body)',
    access: 'public',
    params: SitePageParams,
    ok: { status: 200, description: 'The page', schema: z.object({ page: SitePageDoc }) },
    errors: ['NOT_FOUND'],
  },

  'POST /api/shows/:showId/queue': {
    tag: 'Waiting room',
    summary: 'Join the waiting room (idempotent: a retry gets the place it already has)',
    description: 'Limited per account (a retry storm is answered 429 with retry-after). Keep a `queue:watch` socket open to keep the place.',
    access: 'user',
    params: ShowParams,
    ok: { status: 200, description: 'Admitted, or waiting with a position and ETA', schema: QueueResponseDoc },
    errors: ['NOT_FOUND', 'NOT_ON_SALE', 'SALE_ENDED', 'SOLD_OUT', 'TICKET_LIMIT_REACHED', 'RATE_LIMITED'],
  },
  'GET /api/shows/:showId/queue': {
    tag: 'Waiting room',
    summary: 'This account\'s place for the show',
    access: 'user',
    params: ShowParams,
    ok: { status: 200, description: 'Admitted, waiting, or `{state:"none"}`', schema: QueueResponseDoc },
    errors: ['NOT_FOUND'],
  },
  'DELETE /api/shows/:showId/queue': {
    tag: 'Waiting room',
    summary: 'Leave the line or the selling page (held seats are released)',
    access: 'user',
    params: ShowParams,
    ok: { status: 204, description: 'Left (an entry in the pre-queue is removed from the draw)' },
    errors: ['NOT_FOUND'],
  },
  'GET /api/shows/:showId/draw': {
    tag: 'Waiting room',
    summary: 'The pre-queue\'s draw: the seed\'s commitment from queueOpensAt, the seed and drawn order after onSaleAt',
    description: 'The order is reproducible: entries sorted ascending by hex HMAC-SHA256(key: the seed\'s bytes, message: the entryId). 409 NOT_ON_SALE before queueOpensAt.',
    access: 'public',
    params: ShowParams,
    ok: { status: 200, description: 'The commitment, and after the draw the seed and entries', schema: DrawResponseDoc },
    errors: ['NOT_FOUND', 'NOT_ON_SALE'],
  },

  'GET /api/shows/:showId/seats': {
    tag: 'Seats and orders',
    summary: 'The seat map, optionally of one area',
    description: admittedOnly,
    access: 'user',
    params: ShowParams,
    query: SeatsQuery,
    ok: { status: 200, description: 'Seats', schema: z.object({ seats: z.array(SeatDoc) }) },
    errors: ['NOT_ADMITTED', 'NOT_FOUND'],
  },
  'POST /api/shows/:showId/seats/:seatId/hold': {
    tag: 'Seats and orders',
    summary: 'Hold a seat (it becomes `selected` for the caller)',
    description: admittedOnly,
    access: 'user',
    params: SeatParams,
    ok: { status: 200, description: 'The held seat', schema: z.object({ seat: SeatDoc }) },
    errors: ['NOT_ADMITTED', 'NOT_FOUND', 'SEAT_UNAVAILABLE', 'TICKET_LIMIT_REACHED'],
  },
  'POST /api/shows/:showId/areas/:areaId/hold': {
    tag: 'Seats and orders',
    summary: 'Hold `quantity` places of one area at once (all or none): standing places, or the best available block',
    description: `${admittedOnly} A seated area gives adjacent seats of one row, lowest row first, not leaving a single empty seat between taken seats where another block avoids it.`,
    access: 'user',
    params: AreaParams,
    body: AreaHoldRequest,
    ok: { status: 200, description: 'The held places', schema: z.object({ seats: z.array(SeatDoc) }) },
    errors: ['NOT_ADMITTED', 'NOT_FOUND', 'SEAT_UNAVAILABLE', 'TICKET_LIMIT_REACHED'],
  },
  'POST /api/shows/:showId/waitlist': {
    tag: 'Seats and orders',
    summary: 'Join the waitlist of a sold-out show with the places wanted (idempotent)',
    access: 'user',
    params: ShowParams,
    body: WaitlistRequest,
    ok: { status: 201, description: 'The entry', schema: z.object({ entry: WaitlistEntryDoc }) },
    errors: ['NOT_FOUND', 'NOT_SOLD_OUT', 'SALE_ENDED', 'TICKET_LIMIT_REACHED'],
  },
  'GET /api/shows/:showId/waitlist': {
    tag: 'Seats and orders',
    summary: 'The caller\'s waitlist entry',
    access: 'user',
    params: ShowParams,
    ok: { status: 200, description: 'The entry', schema: z.object({ entry: WaitlistEntryDoc }) },
    errors: ['NOT_FOUND'],
  },
  'DELETE /api/shows/:showId/waitlist': {
    tag: 'Seats and orders',
    summary: 'Leave the waitlist (places offered and not bought go to the next entry)',
    access: 'user',
    params: ShowParams,
    ok: { status: 204, description: 'Left' },
    errors: ['NOT_FOUND'],
  },
  'DELETE /api/shows/:showId/seats/:seatId/hold': {
    tag: 'Seats and orders',
    summary: 'Let go of a seat the caller holds',
    description: admittedOnly,
    access: 'user',
    params: SeatParams,
    ok: { status: 204, description: 'Released' },
    errors: ['NOT_ADMITTED', 'NOT_FOUND', 'SEAT_UNAVAILABLE'],
  },
  'POST /api/shows/:showId/checkout': {
    tag: 'Seats and orders',
    summary: 'Turn held seats into a pending order (all or nothing; the seats become `locked`)',
    description: `${admittedOnly} Idempotent: a retried checkout of exactly the seats of the caller's pending order returns that order (201).`,
    access: 'user',
    params: ShowParams,
    body: CheckoutRequest,
    ok: { status: 201, description: 'The pending order', schema: z.object({ order: OrderDoc }) },
    errors: ['NOT_ADMITTED', 'NOT_FOUND', 'SEAT_UNAVAILABLE'],
  },
  'POST /api/orders/:orderId/pay': {
    tag: 'Seats and orders',
    summary: 'Pay a pending order by card (paying a paid order returns it unchanged)',
    description:
      'The test provider declines card 4000000000000002 and accepts other Luhn-valid numbers. One charge of an order is in flight at a time: ' +
      'a second call waits for it, and answers 503 `UNAVAILABLE` if its outcome is not known yet (retry: the card is not charged twice).',
    access: 'user',
    params: OrderParams,
    body: PayRequest,
    ok: { status: 200, description: 'The paid order with its tickets', schema: z.object({ order: OrderDoc }) },
    errors: ['NOT_FOUND', 'PAYMENT_DECLINED', 'ORDER_EXPIRED', 'UNAVAILABLE'],
  },
  'DELETE /api/orders/:orderId': {
    tag: 'Seats and orders',
    summary: 'Cancel a pending order (its seats become available)',
    access: 'user',
    params: OrderParams,
    ok: { status: 204, description: 'Cancelled' },
    errors: ['NOT_FOUND', 'ORDER_NOT_PENDING'],
  },
  'GET /api/orders': {
    tag: 'Seats and orders',
    summary: 'The caller\'s orders, newest first',
    access: 'user',
    ok: { status: 200, description: 'Orders', schema: z.object({ orders: z.array(OrderDoc) }) },
  },
  'GET /api/orders/:orderId': {
    tag: 'Seats and orders',
    summary: 'One of the caller\'s orders (another account\'s order is a 404)',
    access: 'user',
    params: OrderParams,
    ok: { status: 200, description: 'The order', schema: z.object({ order: OrderDoc }) },
    errors: ['NOT_FOUND'],
  },

  'GET /api/orders/:orderId/tickets.pdf': {
    tag: 'Seats and orders',
    summary: 'The tickets of one of the caller\'s paid orders as a PDF: one page per ticket with its QR code, event, venue, seat and time in the venue\'s zone',
    description: 'Another account\'s order, or one that is not paid, is a 404.',
    access: 'user',
    params: OrderParams,
    ok: { status: 200, description: 'The PDF (`content-disposition: attachment`)', contentType: 'application/pdf' },
    errors: ['NOT_FOUND'],
  },

  'GET /api/admin/mail': {
    tag: 'Admin',
    summary: 'The latest emails of the outbox: to whom, what, whether sent, and (without SMTP_URL) the file each was written to',
    access: 'admin',
    ok: { status: 200, description: 'Messages, newest first', schema: MailListDoc },
  },
  'GET /api/admin/shows/:showId/stats': {
    tag: 'Admin',
    summary: 'Live sale figures of a show',
    access: 'admin',
    params: ShowParams,
    ok: { status: 200, description: 'Figures', schema: ShowStatsDoc },
    errors: ['NOT_FOUND'],
  },
  'GET /api/admin/shows/:showId/orders.csv': {
    tag: 'Admin',
    summary: 'The show\'s orders as CSV, one row per order (not those still in checkout)',
    description: 'Columns: order_id, status, buyer_name, buyer_email, tickets, total, currency, created_at, paid_at. A cell that a spreadsheet would run as a formula starts with an apostrophe.',
    access: 'admin',
    params: ShowParams,
    ok: { status: 200, description: 'text/csv (`content-disposition: attachment`)', contentType: 'text/csv' },
    errors: ['NOT_FOUND'],
  },
  'GET /api/admin/shows/:showId/attendees.csv': {
    tag: 'Admin',
    summary: 'The show\'s attendees as CSV, one row per ticket',
    description: 'Columns: ticket_id, order_id, order_status, name, email, area, row, seat, checked_in_at. A cell that a spreadsheet would run as a formula starts with an apostrophe.',
    access: 'admin',
    params: ShowParams,
    ok: { status: 200, description: 'text/csv (`content-disposition: attachment`)', contentType: 'text/csv' },
    errors: ['NOT_FOUND'],
  },
  'GET /api/admin/shows/:showId/stats/history': {
    tag: 'Admin',
    summary: 'The sale minute by minute from the database (tickets sold, orders paid, revenue): the dashboard\'s charts after a reload',
    description: '`minutes` back from now (1..1440, default 60); every minute is listed, oldest first.',
    access: 'admin',
    params: ShowParams,
    query: StatsHistoryQuery,
    ok: { status: 200, description: 'Per-minute points', schema: SalesHistoryDoc },
    errors: ['NOT_FOUND'],
  },
  'GET /api/admin/venues': {
    tag: 'Admin',
    summary: 'List venues',
    access: 'admin',
    ok: { status: 200, description: 'Venues', schema: z.object({ venues: z.array(VenueDoc) }) },
  },
  'POST /api/admin/venues': {
    tag: 'Admin',
    summary: 'Create a venue with its seat grid',
    description: '`timeZone` is an IANA name (`Asia/Taipei`); unset, the server\'s `DEFAULT_TIME_ZONE`.',
    access: 'admin',
    body: CreateVenueRequest,
    ok: { status: 201, description: 'The venue', schema: z.object({ venue: VenueDoc }) },
  },
  'PATCH /api/admin/venues/:venueId': {
    tag: 'Admin',
    summary: 'Change a venue\'s name, city, address or time zone (not its seat grid)',
    access: 'admin',
    params: VenueParams,
    body: UpdateVenueRequest,
    ok: { status: 200, description: 'The venue', schema: z.object({ venue: VenueDoc }) },
    errors: ['NOT_FOUND'],
  },
  'PATCH /api/admin/venues/:venueId/areas/:areaId': {
    tag: 'Admin',
    summary: 'Rename an area, mark a seated area\'s wheelchair seats, or resize a standing area',
    description:
      '`accessibleSeats` replaces the marked seats (every show of the venue at once; a seat outside the area is a 400). ' +
      '`capacity` (standing, 1..20000) adds places to every show selling the area that has not started, or removes the ' +
      'highest-numbered places free in every show; 409 `SEAT_UNAVAILABLE` with `details.removable` when too few are, and nothing changes.',
    access: 'admin',
    params: VenueAreaParams,
    body: UpdateAreaRequest,
    ok: { status: 200, description: 'The venue', schema: z.object({ venue: VenueDoc }) },
    errors: ['NOT_FOUND', 'SEAT_UNAVAILABLE', 'CONFLICT'],
  },
  'GET /api/admin/pages': {
    tag: 'Admin',
    summary: 'The site pages (help, terms, privacy, contact) for editing',
    access: 'admin',
    ok: { status: 200, description: 'The pages', schema: z.object({ pages: z.array(SitePageDoc) }) },
  },
  'PUT /api/admin/pages/:slug': {
    tag: 'Admin',
    summary: 'Write a site page (Markdown body)',
    access: 'admin',
    params: SitePageParams,
    body: UpdateSitePageRequest,
    ok: { status: 200, description: 'The page', schema: z.object({ page: SitePageDoc }) },
    errors: ['NOT_FOUND'],
  },
  'POST /api/admin/events': {
    tag: 'Admin',
    summary: 'Create an event',
    access: 'admin',
    body: CreateEventRequest,
    ok: { status: 201, description: 'The event', schema: z.object({ event: EventDoc }) },
  },
  'PATCH /api/admin/events/:eventId': {
    tag: 'Admin',
    summary: 'Change an event',
    access: 'admin',
    params: EventParams,
    body: UpdateEventRequest,
    ok: { status: 200, description: 'The event', schema: z.object({ event: EventDoc }) },
    errors: ['NOT_FOUND'],
  },
  'POST /api/admin/shows': {
    tag: 'Admin',
    summary: 'Create a show of an event at a venue, with a price per area',
    access: 'admin',
    body: CreateShowRequest,
    ok: { status: 201, description: 'The show', schema: z.object({ show: ShowDetailDoc }) },
    errors: ['NOT_FOUND'],
  },
  'PATCH /api/admin/shows/:showId': {
    tag: 'Admin',
    summary: 'Change a show\'s dates, sale rules or prices',
    access: 'admin',
    params: ShowParams,
    body: UpdateShowRequest,
    ok: { status: 200, description: 'The show', schema: z.object({ show: ShowDetailDoc }) },
    errors: ['NOT_FOUND'],
  },
  'GET /api/admin/events': {
    tag: 'Admin',
    summary: 'Every event with every show and its sale rules (the organizer console\'s list)',
    access: 'admin',
    ok: { status: 200, description: 'Events', schema: z.object({ events: z.array(EventDetailDoc.extend({ shows: z.array(ShowDetailDoc) })) }) },
  },
  'POST /api/admin/users/bulk': {
    tag: 'Admin',
    summary: 'Create load-test customers, each with a session token',
    description: 'Exists only when the server runs with `ENABLE_LOAD_TEST_API=1`; otherwise 404.',
    access: 'admin',
    body: BulkUsersRequest,
    ok: { status: 201, description: 'The accounts', schema: z.object({ users: z.array(BulkUserDoc) }) },
    errors: ['NOT_FOUND'],
  },
  'GET /api/admin/shows/:showId/orders': {
    tag: 'Admin',
    summary: 'A show\'s orders, newest first (where refunds are made)',
    access: 'admin',
    params: ShowParams,
    ok: { status: 200, description: 'The orders', schema: z.object({ orders: z.array(AdminOrderSummaryDoc) }) },
    errors: ['NOT_FOUND'],
  },
  'POST /api/admin/orders/:orderId/refund': {
    tag: 'Admin',
    summary: 'Refund a paid order through the payment provider: its tickets become void, its places go back on sale',
    description: 'Refunding twice returns it unchanged; of two admins at once one refunds. An order that is not paid is 409 `ORDER_NOT_PENDING`.',
    access: 'admin',
    params: OrderParams,
    ok: { status: 200, description: 'The refunded order', schema: z.object({ order: OrderDoc }) },
    errors: ['NOT_FOUND', 'ORDER_NOT_PENDING'],
  },
  'GET /api/admin/shows/:showId/waitlist': {
    tag: 'Admin',
    summary: 'A show\'s waitlist with each entry\'s state',
    access: 'admin',
    params: ShowParams,
    ok: { status: 200, description: 'The entries', schema: z.object({ entries: z.array(AdminWaitlistEntryDoc) }) },
    errors: ['NOT_FOUND'],
  },
  'POST /api/admin/checkin': {
    tag: 'Admin',
    summary: 'Check a ticket in at the door of one show by its code',
    description:
      'Atomic: of two scans of one ticket exactly one succeeds. A ticket of another show is 409 `WRONG_SHOW` (`details.showId`), a refunded or cancelled order’s ticket 409 `TICKET_VOID`, a used one 409 `ALREADY_CHECKED_IN` (`details.checkedInAt`); these carry the ticket with its event, date and seat in `details.ticket`.',
    access: 'admin',
    body: CheckinRequest,
    ok: { status: 200, description: 'The ticket, now checked in, with its event and show', schema: z.object({ ticket: CheckinTicketDoc }) },
    errors: ['NOT_FOUND', 'ALREADY_CHECKED_IN', 'WRONG_SHOW', 'TICKET_VOID'],
  },
};

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Every refusal an operation can answer with: its own, plus those its access and inputs imply. */
export function errorsOf(key: string, doc: RouteDoc): ErrorCode[] {
  const out = new Set<ErrorCode>();
  const changes = STATE_CHANGING.has(key.split(' ')[0]!);
  // A body that is not JSON is refused even where the route reads none.
  if (doc.params || doc.query || doc.body || changes) out.add('VALIDATION_FAILED');
  if (doc.access !== 'public') out.add('UNAUTHENTICATED');
  if (doc.access === 'admin') out.add('FORBIDDEN');
  if (changes) out.add('CSRF_FAILED');
  for (const c of doc.errors ?? []) out.add(c);
  return [...out];
}
