/**
 * The API contract (docs/api.md) as zod schemas: the server validates requests with these,
 * the web app reuses them for inline form validation, /docs is generated from them.
 */
import { z } from 'zod';
import type { EndReason } from './realtime.js';
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
// Bounded so a syntactically valid but absurd year (0000) is a 400, not a database error.
const MIN_DATE = Date.parse('1970-01-01T00:00:00Z');
const MAX_DATE = Date.parse('9999-12-31T23:59:59Z');
const isoDate = str()
  .check(z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time' }))
  .refine((v) => Date.parse(v) >= MIN_DATE && Date.parse(v) <= MAX_DATE, 'must be between 1970 and 9999');

// ---- Accounts
export const SignupRequest = z.strictObject({
  name: text(60).min(1, 'Enter your name'),
  email: str().check(z.email({ message: 'Enter a valid email address' })).max(254),
  password: str().min(8, 'Use at least 8 characters').max(200),
});
export type SignupRequest = z.infer<typeof SignupRequest>;

export const LoginRequest = z.strictObject({
  email: str().trim().min(1, 'Enter your email').max(254),
  password: str().min(1, 'Enter your password').max(200),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

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

export interface User {
  id: string;
  name: string;
  email: string;
  role: 'customer' | 'admin';
}
export interface AuthResponse {
  user: User;
  token: string;
}

// ---- Catalogue
// Query strings tolerate extra keys (cache busters such as `?_=123`); bodies do not.
export const EventSearchQuery = z.object({ q: text(100).optional() });

/** `queue_open`: the pre-queue, from queueOpensAt until onSaleAt (joins are entries in the draw). */
export type ShowStatus = 'scheduled' | 'queue_open' | 'on_sale' | 'sold_out' | 'ended';
export interface VenueSummary {
  id: string;
  name: string;
  city: string;
  /** IANA time zone ("Asia/Taipei"): show times are shown in it, labelled. */
  timeZone: string;
}
export interface EventSummary {
  id: string;
  title: string;
  artist: string;
  imageUrl: string | null;
  firstShowAt: string | null;
  /** The time zone of the venue of the show at `firstShowAt` (null when there is no show). */
  firstShowTimeZone: string | null;
  onSale: boolean;
  /**
   * When nothing is on sale: the soonest sale opening of a show still to come (the "on sale soon"
   * badge), else null.
   */
  nextOnSaleAt: string | null;
}
export interface ShowSummary {
  id: string;
  startsAt: string;
  onSaleAt: string;
  /** From then until onSaleAt, a join is an entry in the draw (equal to onSaleAt: no pre-queue). */
  queueOpensAt: string;
  status: ShowStatus;
  venue: VenueSummary;
}
export interface EventDetail extends Omit<EventSummary, 'firstShowAt' | 'firstShowTimeZone' | 'onSale' | 'nextOnSaleAt'> {
  description: string;
  shows: ShowSummary[];
}
/** `standing`: general admission, `seatCount` places with no row or number (docs/selling.md). */
export type AreaKind = 'seated' | 'standing';
export interface AreaSummary {
  id: string;
  name: string;
  kind: AreaKind;
  price: number;
  currency: string;
  seatCount: number;
  availableCount: number;
}
export interface ShowDetail extends ShowSummary {
  eventId: string;
  eventTitle: string;
  artist: string;
  venue: VenueSummary & { address: string };
  pageCapacity: number;
  purchaseWindowSeconds: number;
  maxTicketsPerAccount: number;
  areas: AreaSummary[];
}

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
    maxTicketsPerAccount: z.number().int().min(1).max(20).default(4),
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
    maxTicketsPerAccount: z.number().int().min(1).max(20),
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

export const ShowParams = z.strictObject({ showId: Id });
/** The payload of every client -> server socket event about one show (queue:watch, show:watch, stats:watch, ...). */
export const ShowPayload = z.object({ showId: Id });
export const EventParams = z.strictObject({ eventId: Id });
/** GET /api/shows/:showId/calendar.ics: an .ics file for the sale's opening or for the show itself. */
export const CalendarQuery = z.object({ for: z.enum(['onsale', 'show']).default('show') });

// ---- Waiting room
export type QueueResponse =
  | { state: 'admitted'; admittedAt: string; expiresAt: string }
  | {
      state: 'waiting';
      position: number;
      etaSeconds: number;
      /** Estimate from the admission rate actually observed for the show. */
      etaLikelySeconds: number;
      /** Seats neither sold nor held by anyone now (0 with seats held: they may come back). */
      seatsLeft: number;
    }
  | {
      /** An entry in the pre-queue's draw (docs/waiting-room.md "The pre-queue and the draw"). */
      state: 'early';
      /** The entry's draw ticket: random, and says nothing about the account. */
      entryId: string;
      drawAt: string;
      /** Entries in the draw so far. */
      entrants: number;
    }
  | {
      state: 'none';
      /** GET only: how the account's place last ended, within the last hour. */
      lastEnded?: { reason: EndReason; at: string };
    };

/** GET /api/shows/:showId/draw. */
export interface DrawResponse {
  drawAt: string;
  /** Hex SHA-256 of the seed's 32 bytes, published from queueOpensAt. */
  commitment: string;
  /** Hex seed, after the draw (else null). */
  seed: string | null;
  /** Every entryId in the draw in drawn order, after it (else null). */
  entries: string[] | null;
}

// ---- Seats and orders
export const SeatParams = z.strictObject({ showId: Id, seatId: Id });
export const SeatsQuery = z.object({
  areaId: Id.optional(),
  /** `true`: only the caller's own seats (what a refreshed page needs to restore). */
  mine: z.enum(['true', 'false']).optional(),
});
export const OrderParams = z.strictObject({ orderId: Id });

export interface Seat {
  id: string;
  areaId: string;
  /** Null for a standing place. */
  row: number | null;
  number: number | null;
  status: 'available' | 'selected' | 'locked' | 'sold';
  mine: boolean;
  /** A wheelchair place (marked per venue). */
  accessible: boolean;
}

export const AreaParams = z.strictObject({ showId: Id, areaId: Id });
/** POST /api/shows/:showId/areas/:areaId/hold: that many places at once, all or none. */
export const AreaHoldRequest = z.strictObject({ quantity: z.number().int().min(1).max(20) });
export type AreaHoldRequest = z.infer<typeof AreaHoldRequest>;

// ---- Waitlist (a sold-out show)
export const WaitlistRequest = z.strictObject({ quantity: z.number().int().min(1).max(20) });
export type WaitlistRequest = z.infer<typeof WaitlistRequest>;
/** waiting -> offered (places held for the fan) -> purchased, or lapsed (they went to the next). */
export type WaitlistState = 'waiting' | 'offered' | 'purchased' | 'lapsed';
export interface WaitlistEntry {
  /** 1 for the first waiting entry; null once offered or done. */
  position: number | null;
  quantity: number;
  state: WaitlistState;
  joinedAt: string;
  /** While offered: until when the places are held. */
  offerExpiresAt: string | null;
}
/** The console's view of one entry. */
export interface AdminWaitlistEntry extends WaitlistEntry {
  userId: string;
  name: string;
  email: string;
}
/** The console's list of a show's orders (where refunds are made). */
export interface AdminOrderSummary {
  id: string;
  status: Order['status'];
  userId: string;
  name: string;
  email: string;
  total: number;
  currency: string;
  createdAt: string;
  paidAt: string | null;
  refundedAt: string | null;
  seats: number;
}

export const CheckoutRequest = z.strictObject({
  seatIds: z.array(Id).min(1).max(20).refine((a) => new Set(a).size === a.length, 'seats must differ'),
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

export interface OrderItem {
  seatId: string;
  areaName: string;
  /** Null for a standing place. */
  row: number | null;
  number: number | null;
  price: number;
}
export interface Ticket {
  id: string;
  seatId: string;
  code: string;
  showId?: string;
  areaName?: string;
  row?: number | null;
  number?: number | null;
  checkedInAt?: string | null;
}
export interface Order {
  id: string;
  status: 'pending' | 'paid' | 'cancelled' | 'expired' | 'refunded';
  showId: string;
  total: number;
  currency: string;
  expiresAt: string;
  createdAt: string;
  paidAt: string | null;
  refundedAt: string | null;
  items: OrderItem[];
  tickets: Ticket[];
  /** For display: what the order is for. */
  show?: { startsAt: string; eventTitle: string; artist: string; venueName: string; venueTimeZone: string };
}

/** At the door of one show: a ticket of another show is refused (WRONG_SHOW). */
export const CheckinRequest = z.strictObject({ code: str().min(1).max(200), showId: Id });

/** A checked ticket with what it is for, so the door sees event, date and seat on every scan. */
export interface CheckinTicket extends Ticket {
  eventTitle: string;
  artist: string;
  venueName: string;
  /** The venue's IANA zone: the door reads the date on the venue's clock. */
  venueTimeZone: string;
  startsAt: string;
}

export interface ShowStats {
  waiting: number;
  admitted: number;
  pageCapacity: number;
  sold: number;
  held: number;
  available: number;
  admissionsPerMinute: number;
  /** Paid orders of the show, and what they brought in (smallest unit of `currency`). */
  paidOrders: number;
  revenue: number;
  currency: string;
}

/** GET /api/admin/shows/:showId/stats/history: how many minutes back from now (default 60, at most a day). */
export const StatsHistoryQuery = z.object({
  minutes: str()
    .regex(/^\d{1,4}$/, 'must be a whole number of minutes')
    .refine((v) => Number(v) >= 1 && Number(v) <= 1440, 'must be between 1 and 1440')
    .optional(),
});
/** One minute of a show's sale, from the database: tickets sold, orders paid and revenue in it. */
export interface SalesMinute {
  at: string;
  sold: number;
  paidOrders: number;
  revenue: number;
}

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
export interface SitePage {
  slug: SitePageSlug;
  title: string;
  body: string;
  updatedAt: string;
}
