/**
 * The response bodies of the API (docs/api.md) as zod schemas, for the OpenAPI document only (the server builds
 * its responses from the TypeScript types in src/shared/api.ts). Each schema is checked against its
 * type at compile time, so the document cannot drift from what the server sends.
 */
import { z } from 'zod';
import type {
  AreaSummary,
  AdminOrderSummary,
  AdminWaitlistEntry,
  WaitlistEntry,
  CheckinTicket,
  EventDetail,
  EventSummary,
  Order,
  QueueResponse,
  DrawResponse,
  Seat,
  ShowDetail,
  ShowStats,
  ShowSummary,
  SitePage,
  Ticket,
  User,
} from '../../../shared/api.js';
import { ERROR_STATUS, type ErrorCode } from '../../../shared/errors.js';

/** true when A and B accept the same values (each assignable to the other). */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const id = z.string().describe('opaque id (UUID)');
const instant = z.iso.datetime({ offset: true });

export const UserDoc = z.object({ id, name: z.string(), email: z.string(), role: z.enum(['customer', 'admin']) });
export const AuthResponseDoc = z.object({ user: UserDoc, token: z.string().describe('session token for `Authorization: Bearer`') });

export const EventSummaryDoc = z.object({
  id,
  title: z.string(),
  artist: z.string(),
  imageUrl: z.string().nullable(),
  firstShowAt: instant.nullable(),
  firstShowTimeZone: z.string().nullable().describe('IANA time zone of the venue of the show at `firstShowAt`'),
  onSale: z.boolean(),
  nextOnSaleAt: instant.nullable().describe('nothing on sale: when the soonest sale of a show still to come opens'),
});
const timeZone = z.string().describe('IANA time zone ("Asia/Taipei"): times are shown to people in it, labelled');
const VenueSummaryDoc = z.object({ id, name: z.string(), city: z.string(), timeZone });
const showStatus = z.enum(['scheduled', 'queue_open', 'on_sale', 'sold_out', 'ended']);
export const ShowSummaryDoc = z.object({ id, startsAt: instant, onSaleAt: instant, queueOpensAt: instant, status: showStatus, venue: VenueSummaryDoc });
export const EventDetailDoc = z.object({
  id,
  title: z.string(),
  artist: z.string(),
  imageUrl: z.string().nullable(),
  description: z.string(),
  shows: z.array(ShowSummaryDoc),
});
const AreaSummaryDoc = z.object({
  id,
  name: z.string(),
  kind: z.enum(['seated', 'standing']).describe('standing: general admission, places with no row or number'),
  price: z.number().int().describe('in the smallest unit of `currency`'),
  currency: z.string(),
  seatCount: z.number().int(),
  availableCount: z.number().int(),
});
export const ShowDetailDoc = ShowSummaryDoc.extend({
  eventId: id,
  eventTitle: z.string(),
  artist: z.string(),
  venue: VenueSummaryDoc.extend({ address: z.string() }),
  pageCapacity: z.number().int(),
  purchaseWindowSeconds: z.number().int(),
  maxTicketsPerAccount: z.number().int(),
  areas: z.array(AreaSummaryDoc),
});

export const QueueResponseDoc = z.discriminatedUnion('state', [
  z.object({ state: z.literal('admitted'), admittedAt: instant, expiresAt: instant }),
  z.object({
    state: z.literal('waiting'),
    position: z.number().int().describe('1 for the first in line'),
    etaSeconds: z.number().int(),
    etaLikelySeconds: z.number().int(),
    seatsLeft: z.number().int().describe('seats neither sold nor held by anyone now'),
  }),
  z.object({
    state: z.literal('none'),
    lastEnded: z
      .object({ reason: z.enum(['purchased', 'expired', 'left', 'removed', 'sold_out']), at: instant })
      .optional()
      .describe('GET only: how the place last ended, within the last hour'),
  }),
  z.object({
    state: z.literal('early'),
    entryId: z.string().describe('the entry\'s draw ticket (random; says nothing about the account)'),
    drawAt: instant,
    entrants: z.number().int(),
  }),
]);

export const DrawResponseDoc = z.object({
  drawAt: instant,
  commitment: z.string().describe('hex SHA-256 of the 32-byte seed'),
  seed: z.string().nullable().describe('hex seed, after the draw'),
  entries: z.array(z.string()).nullable().describe('every entryId in drawn order, after the draw'),
});

export const SeatDoc = z.object({
  id,
  areaId: id,
  row: z.number().int().nullable().describe('null for a standing place'),
  number: z.number().int().nullable().describe('null for a standing place'),
  status: z.enum(['available', 'selected', 'locked', 'sold']),
  mine: z.boolean(),
  accessible: z.boolean().describe('a wheelchair place'),
});

export const TicketDoc = z.object({
  id,
  seatId: id,
  code: z.string().describe('the QR code content presented at the door'),
  showId: id.optional(),
  areaName: z.string().optional(),
  row: z.number().int().nullable().optional(),
  number: z.number().int().nullable().optional(),
  checkedInAt: instant.nullable().optional(),
});
export const CheckinTicketDoc = TicketDoc.extend({
  eventTitle: z.string(),
  artist: z.string(),
  venueName: z.string(),
  venueTimeZone: z.string().describe('IANA time zone of the venue'),
  startsAt: instant.describe('when the show starts'),
});
export const OrderDoc = z.object({
  id,
  status: z.enum(['pending', 'paid', 'cancelled', 'expired', 'refunded']),
  showId: id,
  total: z.number().int(),
  currency: z.string(),
  expiresAt: instant,
  createdAt: instant,
  paidAt: instant.nullable(),
  refundedAt: instant.nullable(),
  items: z.array(z.object({ seatId: id, areaName: z.string(), row: z.number().int().nullable(), number: z.number().int().nullable(), price: z.number().int() })),
  tickets: z.array(TicketDoc),
  show: z.object({ startsAt: instant, eventTitle: z.string(), artist: z.string(), venueName: z.string(), venueTimeZone: timeZone }).optional(),
});

export const ShowStatsDoc = z.object({
  waiting: z.number().int(),
  admitted: z.number().int(),
  pageCapacity: z.number().int(),
  sold: z.number().int(),
  held: z.number().int(),
  available: z.number().int(),
  admissionsPerMinute: z.number(),
  paidOrders: z.number().int(),
  revenue: z.number().int().describe('of the paid orders, in the smallest unit of `currency`'),
  currency: z.string(),
});
export const SalesHistoryDoc = z.object({
  currency: z.string(),
  points: z.array(z.object({ at: instant, sold: z.number().int(), paidOrders: z.number().int(), revenue: z.number().int() })),
});

export const VenueDoc = z.object({
  id,
  name: z.string(),
  city: z.string(),
  address: z.string(),
  timeZone,
  areas: z.array(
    z.object({
      id,
      name: z.string(),
      kind: z.enum(['seated', 'standing']),
      rows: z.number().int().nullable(),
      seatsPerRow: z.number().int().nullable(),
      capacity: z.number().int().describe('places (rows x seatsPerRow for a seated area)'),
      accessibleSeats: z.array(z.object({ row: z.number().int(), number: z.number().int() })),
    }),
  ),
});
export const WaitlistEntryDoc = z.object({
  position: z.number().int().nullable().describe('1 for the first waiting entry; null once offered or done'),
  quantity: z.number().int(),
  state: z.enum(['waiting', 'offered', 'purchased', 'lapsed']),
  joinedAt: instant,
  offerExpiresAt: instant.nullable(),
});
export const AdminWaitlistEntryDoc = WaitlistEntryDoc.extend({ userId: id, name: z.string(), email: z.string() });
export const AdminOrderSummaryDoc = z.object({
  id,
  status: z.enum(['pending', 'paid', 'cancelled', 'expired', 'refunded']),
  userId: id,
  name: z.string(),
  email: z.string(),
  total: z.number().int(),
  currency: z.string(),
  createdAt: instant,
  paidAt: instant.nullable(),
  refundedAt: instant.nullable(),
  seats: z.number().int(),
});
export const SitePageDoc = z.object({
  slug: z.enum(['help', 'terms', 'privacy', 'contact']),
  title: z.string(),
  body: z.string().describe('Markdown'),
  updatedAt: instant,
});
export const EventDoc = z.object({ id, title: z.string(), artist: z.string(), description: z.string(), imageUrl: z.string().nullable() });
export const BulkUserDoc = z.object({ id, email: z.string(), token: z.string() });
export const MailListDoc = z.object({
  transport: z.enum(['smtp', 'file']).nullable().describe('`file`: no SMTP_URL, each message is an .eml file under DATA_DIR/mail'),
  messages: z.array(
    z.object({
      id,
      kind: z.enum(['order-paid', 'order-refunded', 'waitlist-offer', 'password-reset']),
      to: z.string(),
      subject: z.string().nullable().describe('set once sent'),
      status: z.enum(['pending', 'sent']),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      file: z.string().nullable().describe('the .eml file it was written to (no SMTP_URL)'),
      createdAt: instant,
      sentAt: instant.nullable(),
    }),
  ),
});

const codes = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];
/** The one error shape; `codes` narrows `error.code` to what the operation can answer with that status. */
export const errorBodyDoc = (only: readonly ErrorCode[] = codes) =>
  z.object({
    error: z.object({
      code: z.enum(only as [ErrorCode, ...ErrorCode[]]),
      message: z.string().describe('a sentence a person can read'),
      details: z.unknown().optional(),
    }),
  });

// Compile-time drift checks: a field added to, removed from or retyped in src/shared/api.ts fails here.
const _user: Same<z.infer<typeof UserDoc>, User> = true;
const _eventSummary: Same<z.infer<typeof EventSummaryDoc>, EventSummary> = true;
const _showSummary: Same<z.infer<typeof ShowSummaryDoc>, ShowSummary> = true;
const _eventDetail: Same<z.infer<typeof EventDetailDoc>, EventDetail> = true;
const _area: Same<z.infer<typeof AreaSummaryDoc>, AreaSummary> = true;
const _showDetail: Same<z.infer<typeof ShowDetailDoc>, ShowDetail> = true;
const _queue: Same<z.infer<typeof QueueResponseDoc>, QueueResponse> = true;
const _draw: Same<z.infer<typeof DrawResponseDoc>, DrawResponse> = true;
const _seat: Same<z.infer<typeof SeatDoc>, Seat> = true;
const _ticket: Same<z.infer<typeof TicketDoc>, Ticket> = true;
const _checkinTicket: Same<z.infer<typeof CheckinTicketDoc>, CheckinTicket> = true;
const _order: Same<z.infer<typeof OrderDoc>, Order> = true;
const _stats: Same<z.infer<typeof ShowStatsDoc>, ShowStats> = true;
const _sitePage: Same<z.infer<typeof SitePageDoc>, SitePage> = true;
const _waitlist: Same<z.infer<typeof WaitlistEntryDoc>, WaitlistEntry> = true;
const _adminWaitlist: Same<z.infer<typeof AdminWaitlistEntryDoc>, AdminWaitlistEntry> = true;
const _adminOrder: Same<z.infer<typeof AdminOrderSummaryDoc>, AdminOrderSummary> = true;
