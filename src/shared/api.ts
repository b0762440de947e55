/**
 * The API contract (docs/api.md) as zod schemas, one per request part and one per response body:
 * the routes declare them (`schema: { params, querystring, body, response }`), Fastify validates
 * requests with them, /docs is generated from them, and each response type is inferred from its
 * schema, so what a handler returns and what /docs says cannot drift. The web app reuses the
 * request schemas for inline form validation and the types for what it reads.
 *
 * Response schemas document; the server does not filter responses through them (JSON.stringify).
 */
import { z } from 'zod';
import { isTimeZone } from './time-zones.js';

// PostgreSQL text cannot hold a NUL character: refused here with a 400, not a database error.
// Exported so a test can check that every string field of every request carries this very check.
export const NO_NUL = z.refine<string>((v) => !v.includes('\u0000'), 'must not contain NUL characters');
/**
 * The one base of every string field in a request (ids, emails, URLs, passwords, codes, query
 * strings): build fields on it, never on z.string(), so no field can forget the NUL rule.
 */
export const str = () => z.string().check(NO_NUL);
const text = (max: number) => str().trim().max(max);
/**
 * Ids are uuids, and PostgreSQL reads every spelling of one as the same value, while the waiting
 * room, locks, rooms and metric labels key on the string: lower-cased here, where ids enter, so
 * the rest of the code only ever sees one spelling of an id.
 */
export const Id = str().check(z.uuid({ message: 'must be an id' })).toLowerCase();
/** The highest ticket limit a show may have: no account holds, orders or owns more places of one show. */
export const MAX_TICKETS_PER_ACCOUNT = 20;

// Bounded so a syntactically valid but absurd year (0000) is a 400, not a database error.
const MIN_DATE = Date.parse('1970-01-01T00:00:00Z');
const MAX_DATE = Date.parse('9999-12-31T23:59:59Z');
// Response parts (nothing parses responses: these describe what the server sends).
const id = z.string().describe('opaque id (UUID)');
const instant = z.iso.datetime({ offset: true });
const int = () => z.number().int();
const timeZone = z.string().describe('IANA time zone ("Asia/Taipei"): times are shown to people in it, labelled');

const isoDate = str()
  .check(z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time' }))
  .refine((v) => Date.parse(v) >= MIN_DATE && Date.parse(v) <= MAX_DATE, 'must be between 1970 and 9999');

// ---- Accounts
/** The languages an account can read its emails and ticket PDFs in (the web app's languages). */
export const LOCALES = ['en', 'zh-TW'] as const;
export type Locale = (typeof LOCALES)[number];
const LocaleField = str().pipe(z.enum(LOCALES, { message: `must be one of ${LOCALES.join(', ')}` }));

export const SignupRequest = z.strictObject({
  name: text(60).min(1, 'Enter your name'),
  email: str().check(z.email({ message: 'Enter a valid email address' })).max(254),
  password: str().min(8, 'Use at least 8 characters').max(200),
  /** The language the web app shows (default en): emails and ticket PDFs use it. */
  locale: LocaleField.optional(),
});
export type SignupRequest = z.infer<typeof SignupRequest>;

export const LoginRequest = z.strictObject({
  email: str().trim().min(1, 'Enter your email').max(254),
  password: str().min(1, 'Enter your password').max(200),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** `PATCH /api/me`: the account's language, for its emails and ticket PDFs. */
export const UpdateMeRequest = z.strictObject({ locale: LocaleField });
export type UpdateMeRequest = z.infer<typeof UpdateMeRequest>;

/** "Forgot password": always answered 202, whether or not an account has the email. */
export const PasswordResetRequest = z.strictObject({
  email: str().trim().min(1, 'Enter your email').max(254),
});
export type PasswordResetRequest = z.infer<typeof PasswordResetRequest>;

/** The token from the emailed link, and the new password. */
export const PasswordResetConfirmRequest = z.strictObject({
  token: str().min(20, 'This link is incomplete').max(200),
  password: str().min(8, 'Use at least 8 characters').max(200),
});
export type PasswordResetConfirmRequest = z.infer<typeof PasswordResetConfirmRequest>;

export const User = z.object({ id, name: z.string(), email: z.string(), role: z.enum(['customer', 'admin']) });
export type User = z.infer<typeof User>;
export const AuthResponse = z.object({ user: User, token: z.string().describe('session token for `Authorization: Bearer`') });
export type AuthResponse = z.infer<typeof AuthResponse>;

// ---- Deployment
export const HealthResponse = z.object({ status: z.literal('ok') });
export const PublicConfig = z.object({
  /** True when the server runs with demo data and the built-in test payment provider. */
  demo: z.boolean(),
  /** The currency prices are set in (default TWD). */
  currency: z.string(),
  /** The zone a venue gets when none is chosen (DEFAULT_TIME_ZONE). */
  defaultTimeZone: z.string().describe('the zone of a venue created without one'),
});
export type PublicConfig = z.infer<typeof PublicConfig>;
/** POST /api/auth/password-reset's answer (the same whether or not an account has the email). */
export const PasswordResetAccepted = z.object({ message: z.string() });

// ---- Catalogue
// Query strings tolerate extra keys (cache busters such as `?_=123`); bodies do not.
export const EventSearchQuery = z.object({ q: text(100).optional() });

/** `queue_open`: the pre-queue, from queueOpensAt until onSaleAt (joins are entries in the draw). */
export const ShowStatus = z.enum(['scheduled', 'queue_open', 'on_sale', 'sold_out', 'ended']);
export type ShowStatus = z.infer<typeof ShowStatus>;
export const VenueSummary = z.object({ id, name: z.string(), city: z.string(), timeZone });
export type VenueSummary = z.infer<typeof VenueSummary>;
export const EventSummary = z.object({
  id,
  title: z.string(),
  artist: z.string(),
  imageUrl: z.string().nullable(),
  firstShowAt: instant.nullable(),
  /** The time zone of the venue of the show at `firstShowAt` (null when there is no show). */
  firstShowTimeZone: z.string().nullable().describe('IANA time zone of the venue of the show at `firstShowAt`'),
  onSale: z.boolean(),
  /** When nothing is on sale: the soonest sale opening of a show still to come (the "on sale soon" badge), else null. */
  nextOnSaleAt: instant.nullable().describe('nothing on sale: when the soonest sale of a show still to come opens'),
});
export type EventSummary = z.infer<typeof EventSummary>;
export const ShowSummary = z.object({
  id,
  startsAt: instant,
  onSaleAt: instant,
  /** From then until onSaleAt, a join is an entry in the draw (equal to onSaleAt: no pre-queue). */
  queueOpensAt: instant,
  status: ShowStatus,
  venue: VenueSummary,
});
export type ShowSummary = z.infer<typeof ShowSummary>;
export const EventDetail = z.object({
  id,
  title: z.string(),
  artist: z.string(),
  imageUrl: z.string().nullable(),
  description: z.string(),
  shows: z.array(ShowSummary),
});
export type EventDetail = z.infer<typeof EventDetail>;
/** `standing`: general admission, `seatCount` places with no row or number (docs/selling.md). */
export const AreaKind = z.enum(['seated', 'standing']);
export type AreaKind = z.infer<typeof AreaKind>;
export const AreaSummary = z.object({
  id,
  name: z.string(),
  kind: AreaKind.describe('standing: general admission, places with no row or number'),
  price: int().describe('in the smallest unit of `currency`'),
  currency: z.string(),
  seatCount: int(),
  availableCount: int(),
});
export type AreaSummary = z.infer<typeof AreaSummary>;
export const ShowDetail = ShowSummary.extend({
  eventId: id,
  eventTitle: z.string(),
  artist: z.string(),
  venue: VenueSummary.extend({ address: z.string() }),
  pageCapacity: int(),
  purchaseWindowSeconds: int(),
  maxTicketsPerAccount: int(),
  areas: z.array(AreaSummary),
});
export type ShowDetail = z.infer<typeof ShowDetail>;

// ---- Admin
/** An IANA time zone name this engine knows ("Asia/Taipei"); stored in its canonical spelling. */
export const TimeZoneName = str()
  .trim()
  .max(64)
  .refine(isTimeZone, 'must be an IANA time zone such as Asia/Taipei');

/** A wheelchair place of a seated area, by its row and number. */
const SeatPosition = z.strictObject({ row: z.number().int().min(1).max(200), number: z.number().int().min(1).max(200) });
/** The most places a standing area may have. */
export const MAX_STANDING_CAPACITY = 20_000;
const SeatedArea = z
  .strictObject({
    name: text(40).min(1),
    kind: z.literal('seated').default('seated'),
    rows: z.number().int().min(1).max(200),
    seatsPerRow: z.number().int().min(1).max(200),
    accessibleSeats: z.array(SeatPosition).max(1000).default([]),
  })
  .refine((a) => a.accessibleSeats.every((s) => s.row <= a.rows && s.number <= a.seatsPerRow), {
    message: 'accessible seats must be in the grid',
    path: ['accessibleSeats'],
  });
const StandingArea = z.strictObject({
  name: text(40).min(1),
  kind: z.literal('standing'),
  capacity: z.number().int().min(1).max(MAX_STANDING_CAPACITY),
});
/** What a new area is: a seated grid, or a standing floor of `capacity` places. */
export const AreaInput = z.union([StandingArea, SeatedArea]);
export type AreaInput = z.infer<typeof AreaInput>;
const placesOf = (a: AreaInput): number => (a.kind === 'standing' ? a.capacity : a.rows * a.seatsPerRow);

export const CreateVenueRequest = z.strictObject({
  name: text(120).min(1),
  city: text(80).min(1),
  address: text(200).default(''),
  /** Unset: the server's DEFAULT_TIME_ZONE. */
  timeZone: TimeZoneName.optional(),
  areas: z
    .array(AreaInput)
    .min(1)
    .max(100)
    .refine((a) => new Set(a.map((x) => x.name.toLowerCase())).size === a.length, 'area names must differ')
    .refine((a) => a.reduce((n, x) => n + placesOf(x), 0) <= 200_000, 'at most 200,000 seats'),
});
export type CreateVenueRequest = z.infer<typeof CreateVenueRequest>;

/** What an organizer may change of a venue: its description and its zone, never its seat grid. */
export const UpdateVenueRequest = z
  .strictObject({
    name: text(120).min(1),
    city: text(80).min(1),
    address: text(200),
    timeZone: TimeZoneName,
  })
  .partial();
export type UpdateVenueRequest = z.infer<typeof UpdateVenueRequest>;
export const VenueParams = z.strictObject({ venueId: Id });
/** A venue with its seat grid, as the organizer console edits it. */
export const Venue = z.object({
  id,
  name: z.string(),
  city: z.string(),
  address: z.string(),
  timeZone,
  areas: z.array(
    z.object({
      id,
      name: z.string(),
      kind: AreaKind,
      /** Null for a standing area. */
      rows: int().nullable(),
      seatsPerRow: int().nullable(),
      capacity: int().describe('places (rows x seatsPerRow for a seated area)'),
      accessibleSeats: z.array(z.object({ row: int(), number: int() })),
    }),
  ),
});
export type Venue = z.infer<typeof Venue>;

/**
 * What an organizer may change of one area after the venue exists: its name, a seated area's
 * wheelchair places (the whole set, replacing the marked ones) or a standing area's capacity.
 */
export const UpdateAreaRequest = z.strictObject({
  name: text(40).min(1).optional(),
  accessibleSeats: z.array(SeatPosition).max(1000).optional(),
  capacity: z.number().int().min(1).max(MAX_STANDING_CAPACITY).optional(),
});
export type UpdateAreaRequest = z.infer<typeof UpdateAreaRequest>;
export const VenueAreaParams = z.strictObject({ venueId: Id, areaId: Id });

const imageUrl = str()
  .max(2000)
  .refine((u) => /^(https?:\/\/|\/)[^\s"'<>]*$/.test(u), 'must be an http(s) URL or a site path');

export const CreateEventRequest = z.strictObject({
  title: text(200).min(1),
  artist: text(200).min(1),
  description: text(10_000).default(''),
  imageUrl: imageUrl.optional(),
});
export type CreateEventRequest = z.infer<typeof CreateEventRequest>;
export const UpdateEventRequest = CreateEventRequest.partial();
/** An event as created or changed (without its shows). */
export const Event = z.object({ id, title: z.string(), artist: z.string(), description: z.string(), imageUrl: z.string().nullable() });
export type Event = z.infer<typeof Event>;
/** The organizer console's list: every event with every show and its sale rules. */
export const AdminEvent = EventDetail.extend({ shows: z.array(ShowDetail) });
export type AdminEvent = z.infer<typeof AdminEvent>;

export const CreateShowRequest = z
  .strictObject({
    eventId: Id,
    venueId: Id,
    startsAt: isoDate,
    onSaleAt: isoDate,
    /** Defaults to QUEUE_OPENS_BEFORE_MS before onSaleAt; equal to it: no pre-queue. */
    queueOpensAt: isoDate.optional(),
    pageCapacity: z.number().int().min(1).max(100_000).default(100),
    purchaseWindowSeconds: z.number().int().min(5).max(3600).default(600),
    maxTicketsPerAccount: z.number().int().min(1).max(MAX_TICKETS_PER_ACCOUNT).default(4),
    prices: z
      .array(z.strictObject({ areaId: Id, price: z.number().int().min(0).max(100_000_000) }))
      .min(1)
      .max(100),
  })
  .refine((s) => Date.parse(s.onSaleAt) <= Date.parse(s.startsAt), {
    message: 'onSaleAt must not be after startsAt',
    path: ['onSaleAt'],
  })
  .refine((s) => s.queueOpensAt === undefined || Date.parse(s.queueOpensAt) <= Date.parse(s.onSaleAt), {
    message: 'queueOpensAt must not be after onSaleAt',
    path: ['queueOpensAt'],
  });
/** The pre-queue opens this long before the sale unless the organizer says otherwise. */
export const QUEUE_OPENS_BEFORE_MS = 30 * 60_000;
export type CreateShowRequest = z.infer<typeof CreateShowRequest>;

export const UpdateShowRequest = z
  .strictObject({
    startsAt: isoDate,
    onSaleAt: isoDate,
    queueOpensAt: isoDate,
    pageCapacity: z.number().int().min(1).max(100_000),
    purchaseWindowSeconds: z.number().int().min(5).max(3600),
    maxTicketsPerAccount: z.number().int().min(1).max(MAX_TICKETS_PER_ACCOUNT),
    prices: z
      .array(z.strictObject({ areaId: Id, price: z.number().int().min(0).max(100_000_000) }))
      .min(1)
      .max(100),
  })
  .partial();
export type UpdateShowRequest = z.infer<typeof UpdateShowRequest>;

export const BulkUsersRequest = z.strictObject({
  count: z.number().int().min(1).max(10_000),
  emailPrefix: str()
    .min(1)
    .max(40)
    .regex(/^[a-z0-9._+-]+$/i, 'letters, digits and . _ + - only'),
  password: str().min(8).max(200),
});
export type BulkUsersRequest = z.infer<typeof BulkUsersRequest>;
export const BulkUser = z.object({ id, email: z.string(), token: z.string() });

export const ShowParams = z.strictObject({ showId: Id });
/** The payload of every client -> server socket event about one show (queue:watch, show:watch, stats:watch, ...). */
export const ShowPayload = z.object({ showId: Id });
export const EventParams = z.strictObject({ eventId: Id });
/** GET /api/shows/:showId/calendar.ics: an .ics file for the sale's opening or for the show itself. */
export const CalendarQuery = z.object({ for: z.enum(['onsale', 'show']).default('show') });

// ---- Waiting room
export const EndReason = z.enum(['purchased', 'expired', 'left', 'removed', 'sold_out']);
export type EndReason = z.infer<typeof EndReason>;
export const QueueAdmitted = z.object({ state: z.literal('admitted'), admittedAt: instant, expiresAt: instant });
export const QueueWaiting = z.object({
  state: z.literal('waiting'),
  position: int().describe('1 for the first in line'),
  etaSeconds: int(),
  /** Estimate from the admission rate actually observed for the show. */
  etaLikelySeconds: int(),
  /** Seats neither sold nor held by anyone now (0 with seats held: they may come back). */
  seatsLeft: int().describe('seats neither sold nor held by anyone now'),
});
/** An entry in the pre-queue's draw (docs/waiting-room.md "The pre-queue and the draw"). */
export const QueueEarly = z.object({
  state: z.literal('early'),
  /** The entry's draw ticket: random, and says nothing about the account. */
  entryId: z.string().describe("the entry's draw ticket (random; says nothing about the account)"),
  drawAt: instant,
  /** Entries in the draw so far. */
  entrants: int(),
});
export const QueueNone = z.object({
  state: z.literal('none'),
  /** GET only: how the account's place last ended, within the last hour. */
  lastEnded: z.object({ reason: EndReason, at: instant }).optional().describe('GET only: how the place last ended, within the last hour'),
});
export const QueueResponse = z.discriminatedUnion('state', [QueueAdmitted, QueueWaiting, QueueNone, QueueEarly]);
export type QueueResponse = z.infer<typeof QueueResponse>;

/** GET /api/shows/:showId/draw. */
export const DrawResponse = z.object({
  drawAt: instant,
  /** Hex SHA-256 of the seed's 32 bytes, published from queueOpensAt. */
  commitment: z.string().describe('hex SHA-256 of the 32-byte seed'),
  /** Hex seed, after the draw (else null). */
  seed: z.string().nullable().describe('hex seed, after the draw'),
  /** Every entryId in the draw in drawn order, after it (else null). */
  entries: z.array(z.string()).nullable().describe('every entryId in drawn order, after the draw'),
});
export type DrawResponse = z.infer<typeof DrawResponse>;

// ---- Seats and orders
export const SeatParams = z.strictObject({ showId: Id, seatId: Id });
export const SeatsQuery = z.object({
  areaId: Id.optional(),
  /** `true`: only the caller's own seats (what a refreshed page needs to restore). */
  mine: z.enum(['true', 'false']).optional(),
});
export const OrderParams = z.strictObject({ orderId: Id });

export const SeatStatus = z.enum(['available', 'selected', 'locked', 'sold']);
export type SeatStatus = z.infer<typeof SeatStatus>;
export const Seat = z.object({
  id,
  areaId: id,
  row: int().nullable().describe('null for a standing place'),
  number: int().nullable().describe('null for a standing place'),
  status: SeatStatus,
  mine: z.boolean(),
  /** A wheelchair place (marked per venue). */
  accessible: z.boolean().describe('a wheelchair place'),
});
export type Seat = z.infer<typeof Seat>;

export const AreaParams = z.strictObject({ showId: Id, areaId: Id });
/** POST /api/shows/:showId/areas/:areaId/hold: that many places at once, all or none. */
export const AreaHoldRequest = z.strictObject({ quantity: z.number().int().min(1).max(MAX_TICKETS_PER_ACCOUNT) });
export type AreaHoldRequest = z.infer<typeof AreaHoldRequest>;

// ---- Waitlist (a sold-out show)
export const WaitlistRequest = z.strictObject({ quantity: z.number().int().min(1).max(MAX_TICKETS_PER_ACCOUNT) });
export type WaitlistRequest = z.infer<typeof WaitlistRequest>;
/** waiting -> offered (places held for the fan) -> purchased, or lapsed (they went to the next). */
export const WaitlistState = z.enum(['waiting', 'offered', 'purchased', 'lapsed']);
export type WaitlistState = z.infer<typeof WaitlistState>;
export const WaitlistEntry = z.object({
  position: int().nullable().describe('1 for the first waiting entry; null once offered or done'),
  quantity: int(),
  state: WaitlistState,
  joinedAt: instant,
  /** While offered: until when the places are held. */
  offerExpiresAt: instant.nullable(),
});
export type WaitlistEntry = z.infer<typeof WaitlistEntry>;
/** The console's view of one entry. */
export const AdminWaitlistEntry = WaitlistEntry.extend({ userId: id, name: z.string(), email: z.string() });
export type AdminWaitlistEntry = z.infer<typeof AdminWaitlistEntry>;

export const CheckoutRequest = z.strictObject({
  seatIds: z.array(Id).min(1).max(MAX_TICKETS_PER_ACCOUNT).refine((a) => new Set(a).size === a.length, 'seats must differ'),
});
export type CheckoutRequest = z.infer<typeof CheckoutRequest>;

export const PayRequest = z.strictObject({
  method: z.literal('card'),
  card: z.strictObject({
    number: str().regex(/^[0-9 ]{12,23}$/, 'must be a card number'),
    expMonth: z.number().int().min(1).max(12),
    expYear: z.number().int().min(2000).max(2100),
    cvc: str().regex(/^[0-9]{3,4}$/, 'must be 3 or 4 digits'),
  }),
});
export type PayRequest = z.infer<typeof PayRequest>;

export const OrderStatus = z.enum(['pending', 'paid', 'cancelled', 'expired', 'refunded']);
export const OrderItem = z.object({ seatId: id, areaName: z.string(), row: int().nullable().describe('null for a standing place'), number: int().nullable(), price: int() });
export type OrderItem = z.infer<typeof OrderItem>;
export const Ticket = z.object({
  id,
  seatId: id,
  code: z.string().describe('the QR code content presented at the door'),
  showId: id.optional(),
  areaName: z.string().optional(),
  row: int().nullable().optional(),
  number: int().nullable().optional(),
  checkedInAt: instant.nullable().optional(),
});
export type Ticket = z.infer<typeof Ticket>;
export const Order = z.object({
  id,
  status: OrderStatus,
  showId: id,
  total: int(),
  currency: z.string(),
  expiresAt: instant,
  createdAt: instant,
  paidAt: instant.nullable(),
  refundedAt: instant.nullable(),
  items: z.array(OrderItem),
  tickets: z.array(Ticket),
  /** For display: what the order is for. */
  show: z.object({ startsAt: instant, eventTitle: z.string(), artist: z.string(), venueName: z.string(), venueTimeZone: timeZone }).optional(),
});
export type Order = z.infer<typeof Order>;
/** The console's list of a show's orders (where refunds are made). */
export const AdminOrderSummary = z.object({
  id,
  status: OrderStatus,
  userId: id,
  name: z.string(),
  email: z.string(),
  total: int(),
  currency: z.string(),
  createdAt: instant,
  paidAt: instant.nullable(),
  refundedAt: instant.nullable(),
  seats: int().describe('places in the order'),
});
export type AdminOrderSummary = z.infer<typeof AdminOrderSummary>;

/** At the door of one show: a ticket of another show is refused (WRONG_SHOW). */
export const CheckinRequest = z.strictObject({ code: str().min(1).max(200), showId: Id });

/** A checked ticket with what it is for, so the door sees event, date and seat on every scan. */
export const CheckinTicket = Ticket.extend({
  eventTitle: z.string(),
  artist: z.string(),
  venueName: z.string(),
  /** The venue's IANA zone: the door reads the date on the venue's clock. */
  venueTimeZone: z.string().describe('IANA time zone of the venue'),
  startsAt: instant.describe('when the show starts'),
});
export type CheckinTicket = z.infer<typeof CheckinTicket>;

export const ShowStats = z.object({
  waiting: int(),
  admitted: int(),
  pageCapacity: int(),
  sold: int(),
  held: int(),
  available: int(),
  admissionsPerMinute: z.number(),
  /** Paid orders of the show, and what they brought in (smallest unit of `currency`). */
  paidOrders: int(),
  revenue: int().describe('of the paid orders, in the smallest unit of `currency`'),
  currency: z.string(),
});
export type ShowStats = z.infer<typeof ShowStats>;
/** GET /api/admin/shows/:showId/stats: the figures, and how long the line actually waited. */
export const SaleStats = ShowStats.extend({
  /** How many admissions from the line the wait figures come from. */
  waitSamples: int(),
  meanWaitSeconds: z.number().nullable(),
  p90WaitSeconds: z.number().nullable(),
  /** Median of |predicted etaSeconds - actual wait|. */
  etaErrorSeconds: z.number().nullable(),
  etaLikelyErrorSeconds: z.number().nullable(),
});
export type SaleStats = z.infer<typeof SaleStats>;

/** GET /api/admin/shows/:showId/stats/history: how many minutes back from now (default 60, at most a day). */
export const StatsHistoryQuery = z.object({
  minutes: str()
    .regex(/^\d{1,4}$/, 'must be a whole number of minutes')
    .refine((v) => Number(v) >= 1 && Number(v) <= 1440, 'must be between 1 and 1440')
    .optional(),
});
/**
 * One minute of a show's sale, from the database: tickets sold, orders paid and revenue in it, and
 * the line as it was recorded that minute (0 where it had no live line).
 */
export const StatsMinute = z.object({
  at: instant,
  sold: int(),
  paidOrders: int(),
  revenue: int(),
  waiting: int().describe('waiting in line at the minute\'s last sample'),
  early: int().describe('entries in the pre-queue\'s draw at the minute\'s last sample'),
  admitted: int().describe('on the selling page at the minute\'s last sample'),
  admissions: int().describe('admissions from the line in the minute (as admissionsPerMinute counts them)'),
});
export type StatsMinute = z.infer<typeof StatsMinute>;
export const SalesHistory = z.object({ currency: z.string(), points: z.array(StatsMinute).describe('every minute, oldest first') });
export type SalesHistory = z.infer<typeof SalesHistory>;

// ---- Mail (the console's view of the outbox)
export const MailKind = z.enum(['order-paid', 'order-refunded', 'waitlist-offer', 'password-reset']);
export const MailMessage = z.object({
  id,
  kind: MailKind,
  to: z.string(),
  subject: z.string().nullable().describe('set once sent'),
  status: z.enum(['pending', 'sent']),
  attempts: int(),
  lastError: z.string().nullable(),
  file: z.string().nullable().describe('the .eml file it was written to (no SMTP_URL)'),
  createdAt: instant,
  sentAt: instant.nullable(),
});
export type MailMessage = z.infer<typeof MailMessage>;
export const MailList = z.object({
  transport: z.enum(['smtp', 'file']).nullable().describe('`file`: no SMTP_URL, each message is an .eml file under DATA_DIR/mail'),
  messages: z.array(MailMessage),
});
export type MailList = z.infer<typeof MailList>;

// ---- Site pages (written by the organizer, shown in the footer)
export const SITE_PAGE_SLUGS = ['help', 'terms', 'privacy', 'contact'] as const;
export type SitePageSlug = (typeof SITE_PAGE_SLUGS)[number];
// Any slug parses: one that is not a page is a 404, like any address that leads nowhere.
export const SitePageParams = z.strictObject({ slug: str().max(64).toLowerCase() });
export const isSitePageSlug = (s: string): s is SitePageSlug => (SITE_PAGE_SLUGS as readonly string[]).includes(s);
export const UpdateSitePageRequest = z.strictObject({
  title: text(120).min(1, 'Enter a title'),
  /** Markdown; shown as Markdown, never as HTML. */
  body: str().max(50_000),
});
export type UpdateSitePageRequest = z.infer<typeof UpdateSitePageRequest>;
export const SitePage = z.object({
  slug: z.enum(SITE_PAGE_SLUGS),
  title: z.string(),
  body: z.string().describe('Markdown'),
  updatedAt: instant,
});
export type SitePage = z.infer<typeof SitePage>;
