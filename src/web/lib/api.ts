/**
 * The typed client of the TicketClub API (docs/api.md).
 * Auth rides on the HttpOnly session cookie, so nothing here stores a token.
 */
import type {
  AdminEvent,
  AdminOrderSummary,
  AdminWaitlistEntry,
  WaitlistEntry,
  AuthResponse,
  CheckinTicket,
  CreateEventRequest,
  CreateShowRequest,
  CreateVenueRequest,
  EventDetail,
  EventSummary,
  LoginRequest,
  Order,
  PayRequest,
  QueueResponse,
  DrawResponse,
  Event,
  PublicConfig as DeploymentConfig,
  MailMessage,
  SalesHistory,
  MailList,
  Seat,
  ShowDetail,
  ShowStats,
  SignupRequest,
  UpdateMeRequest,
  SitePage,
  SitePageSlug,
  UpdateSitePageRequest,
  UpdateAreaRequest,
  UpdateVenueRequest,
  User,
  Venue,
} from '../../shared/api.js';
import { ERROR_MESSAGES, type ErrorCode } from '../../shared/errors.js';
import type { ShowStatsEvent } from '../../shared/realtime.js';
import { noteServerDate } from './server-clock.js';

/** A refusal from the API (or the network), with the human sentence to show. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  /** The server's own message, kept for logs; `message` is the sentence for people. */
  readonly serverMessage: string | undefined;
  readonly details: unknown;

  constructor(status: number, code: ErrorCode, serverMessage?: string, details?: unknown) {
    super(humanMessage(code, serverMessage));
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.serverMessage = serverMessage;
    this.details = details;
  }
}

const isErrorCode = (c: unknown): c is ErrorCode => typeof c === 'string' && c in ERROR_MESSAGES;

function humanMessage(code: ErrorCode, serverMessage?: string): string {
  return ERROR_MESSAGES[code] ?? serverMessage ?? 'Something went wrong.';
}

function codeForStatus(status: number): ErrorCode {
  if (status === 400) return 'VALIDATION_FAILED';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 502 || status === 503 || status === 504) return 'UNAVAILABLE';
  return 'INTERNAL';
}

/** Turns anything thrown into an ApiError so views have one shape to show. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError(0, 'INTERNAL', e instanceof Error ? e.message : String(e));
}

export const isApiError = (e: unknown, code?: ErrorCode): e is ApiError =>
  e instanceof ApiError && (code === undefined || e.code === code);

type Method = 'GET' | 'POST' | 'DELETE' | 'PATCH' | 'PUT';

async function request<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'UNAVAILABLE', 'Network error: the server could not be reached.');
  }
  noteServerDate(res.headers.get('date'));
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
    const code = isErrorCode(err?.code) ? err.code : codeForStatus(res.status);
    throw new ApiError(res.status, code, typeof err?.message === 'string' ? err.message : undefined, err?.details);
  }
  return json as T;
}

/** GET /api/config. Optional: without it the site assumes demo mode, so only `demo` is sure. */
export type PublicConfig = Pick<DeploymentConfig, 'demo'> & Partial<DeploymentConfig>;

/** The sentence to show an organizer: for input and state conflicts the server's own, which names the problem. */
export function adminMessage(e: unknown): string {
  const err = toApiError(e);
  if ((err.code === 'VALIDATION_FAILED' || err.code === 'CONFLICT' || err.code === 'NOT_FOUND') && err.serverMessage) return err.serverMessage;
  return err.message;
}

// ---- Organizer console (role admin): the shapes are the API's own (src/shared/api.ts).
export type { AdminEvent };
export type AdminVenue = Venue;
export type AdminShow = ShowDetail;
/** One area of a venue: a seated grid or a standing floor. */
export type AdminArea = Venue['areas'][number];
export type UpdateEventBody = Partial<Pick<CreateEventRequest, 'title' | 'artist' | 'description' | 'imageUrl'>>;
export type CreateShowBody = Omit<CreateShowRequest, never>;
export type UpdateShowBody = Partial<
  Pick<CreateShowRequest, 'startsAt' | 'onSaleAt' | 'queueOpensAt' | 'pageCapacity' | 'purchaseWindowSeconds' | 'maxTicketsPerAccount' | 'prices'>
>;

/** One email of the outbox, as the console's Mail page lists it. */
export type OutboxMessage = MailMessage;

/** The live figures of a sale: GET /api/admin/shows/:id/stats and the `stats:update` event. */
export type LiveStats = ShowStats & Partial<Omit<ShowStatsEvent, keyof ShowStats>>;

const enc = encodeURIComponent;

export const adminApi = {
  venues: () => request<{ venues: AdminVenue[] }>('GET', '/api/admin/venues'),
  createVenue: (body: CreateVenueRequest) => request<{ venue: AdminVenue }>('POST', '/api/admin/venues', body),
  updateVenue: (venueId: string, body: UpdateVenueRequest) => request<{ venue: AdminVenue }>('PATCH', `/api/admin/venues/${enc(venueId)}`, body),
  updateArea: (venueId: string, areaId: string, body: UpdateAreaRequest) =>
    request<{ venue: AdminVenue }>('PATCH', `/api/admin/venues/${enc(venueId)}/areas/${enc(areaId)}`, body),
  pages: () => request<{ pages: SitePage[] }>('GET', '/api/admin/pages'),
  putPage: (slug: SitePageSlug, body: UpdateSitePageRequest) => request<{ page: SitePage }>('PUT', `/api/admin/pages/${enc(slug)}`, body),
  events: () => request<{ events: AdminEvent[] }>('GET', '/api/admin/events'),
  createEvent: (body: CreateEventRequest) => request<{ event: Event }>('POST', '/api/admin/events', body),
  updateEvent: (eventId: string, body: UpdateEventBody) => request<{ event: Event }>('PATCH', `/api/admin/events/${enc(eventId)}`, body),
  createShow: (body: CreateShowBody) => request<{ show: ShowDetail }>('POST', '/api/admin/shows', body),
  updateShow: (showId: string, body: UpdateShowBody) => request<{ show: ShowDetail }>('PATCH', `/api/admin/shows/${enc(showId)}`, body),
  stats: (showId: string) => request<LiveStats>('GET', `/api/admin/shows/${enc(showId)}/stats`),
  /** The sale and the line minute by minute, from the database (the dashboard's charts). */
  history: (showId: string, minutes = 60) =>
    request<SalesHistory>('GET', `/api/admin/shows/${enc(showId)}/stats/history?minutes=${minutes}`),
  mail: () => request<MailList>('GET', '/api/admin/mail'),
  checkin: (code: string, showId: string) => request<{ ticket: CheckinTicket }>('POST', '/api/admin/checkin', { code, showId }),
  showOrders: (showId: string) => request<{ orders: AdminOrderSummary[] }>('GET', `/api/admin/shows/${enc(showId)}/orders`),
  refund: (orderId: string) => request<{ order: Order }>('POST', `/api/admin/orders/${enc(orderId)}/refund`),
  waitlist: (showId: string) => request<{ entries: AdminWaitlistEntry[] }>('GET', `/api/admin/shows/${enc(showId)}/waitlist`),
};

export const api = {
  // ---- Accounts
  me: () => request<{ user: User }>('GET', '/api/me'),
  updateMe: (body: UpdateMeRequest) => request<void>('PATCH', '/api/me', body),
  signup: (body: SignupRequest) => request<AuthResponse>('POST', '/api/auth/signup', body),
  login: (body: LoginRequest) => request<AuthResponse>('POST', '/api/auth/login', body),
  logout: () => request<void>('POST', '/api/auth/logout'),
  requestPasswordReset: (email: string) => request<{ message: string }>('POST', '/api/auth/password-reset', { email }),
  confirmPasswordReset: (token: string, password: string) => request<void>('POST', '/api/auth/password-reset/confirm', { token, password }),

  // ---- Catalogue
  events: (q?: string, signal?: AbortSignal) =>
    request<{ events: EventSummary[] }>('GET', `/api/events${q ? `?q=${encodeURIComponent(q)}` : ''}`, undefined, signal),
  event: (eventId: string) => request<{ event: EventDetail }>('GET', `/api/events/${encodeURIComponent(eventId)}`),
  show: (showId: string) => request<{ show: ShowDetail }>('GET', `/api/shows/${encodeURIComponent(showId)}`),
  /** An .ics file to download (a link, not a fetch). */
  calendarUrl: (showId: string, kind: 'onsale' | 'show') => `/api/shows/${encodeURIComponent(showId)}/calendar.ics?for=${kind}`,

  // ---- Waiting room
  joinQueue: (showId: string) => request<QueueResponse>('POST', `/api/shows/${encodeURIComponent(showId)}/queue`),
  queue: (showId: string) => request<QueueResponse>('GET', `/api/shows/${encodeURIComponent(showId)}/queue`),
  draw: (showId: string) => request<DrawResponse>('GET', `/api/shows/${encodeURIComponent(showId)}/draw`),
  leaveQueue: (showId: string) => request<void>('DELETE', `/api/shows/${encodeURIComponent(showId)}/queue`),

  // ---- Seats
  seats: (showId: string, areaId?: string) =>
    request<{ seats: Seat[] }>(
      'GET',
      `/api/shows/${encodeURIComponent(showId)}/seats${areaId ? `?areaId=${encodeURIComponent(areaId)}` : ''}`,
    ),
  hold: (showId: string, seatId: string) =>
    request<{ seat: Seat }>('POST', `/api/shows/${encodeURIComponent(showId)}/seats/${encodeURIComponent(seatId)}/hold`),
  release: (showId: string, seatId: string) =>
    request<void>('DELETE', `/api/shows/${encodeURIComponent(showId)}/seats/${encodeURIComponent(seatId)}/hold`),
  /** Standing places, or the best available block of a seated area: all or none. */
  holdArea: (showId: string, areaId: string, quantity: number) =>
    request<{ seats: Seat[] }>('POST', `/api/shows/${enc(showId)}/areas/${enc(areaId)}/hold`, { quantity }),

  // ---- Waitlist (a sold-out show)
  joinWaitlist: (showId: string, quantity: number) => request<{ entry: WaitlistEntry }>('POST', `/api/shows/${enc(showId)}/waitlist`, { quantity }),
  waitlist: (showId: string) => request<{ entry: WaitlistEntry }>('GET', `/api/shows/${enc(showId)}/waitlist`),
  leaveWaitlist: (showId: string) => request<void>('DELETE', `/api/shows/${enc(showId)}/waitlist`),

  // ---- Orders
  checkout: (showId: string, seatIds: string[]) =>
    request<{ order: Order }>('POST', `/api/shows/${encodeURIComponent(showId)}/checkout`, { seatIds }),
  orders: () => request<{ orders: Order[] }>('GET', '/api/orders'),
  order: (orderId: string) => request<{ order: Order }>('GET', `/api/orders/${encodeURIComponent(orderId)}`),
  pay: (orderId: string, body: PayRequest) =>
    request<{ order: Order }>('POST', `/api/orders/${encodeURIComponent(orderId)}/pay`, body),
  cancelOrder: (orderId: string) => request<void>('DELETE', `/api/orders/${encodeURIComponent(orderId)}`),

  // ---- Site
  /** Optional endpoint; when the server does not have it the site assumes demo mode (see useSiteConfig). */
  config: () => request<Partial<PublicConfig>>('GET', '/api/config'),
  page: (slug: SitePageSlug) => request<{ page: SitePage }>('GET', `/api/pages/${encodeURIComponent(slug)}`),
};
