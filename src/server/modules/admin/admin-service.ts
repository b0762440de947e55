import { QUEUE_OPENS_BEFORE_MS, type CreateEventRequest, type CreateShowRequest, type CreateVenueRequest, type UpdateAreaRequest, type UpdateShowRequest, type UpdateVenueRequest, type StatsMinute } from '../../../shared/api.js';
// The venue and event as the API answers them (src/shared/api.ts).
import type { Event as EventOut, Venue as VenueOut } from '../../../shared/api.js';
import { canonicalTimeZone } from '../../../shared/time-zones.js';
import type { Database, Queryable } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';
import type { TestHooks } from '../../platform/test-hooks.js';
import { catalogueSteps } from '../catalogue/catalogue-service.js';
import { orderReads } from '../orders/order-reads.js';
import { seatSteps } from '../seats/seats-service.js';
import { LineMinutesRepository, type LineMinuteSample } from './line-minutes-repository.js';

/** What organizers create: venues with their seat grids, events, and shows with a price per area. */
export class AdminService {
  private readonly tables: ReturnType<typeof catalogueSteps>;

  constructor(
    private readonly db: Database,
    /** The zone of a venue created without one (DEFAULT_TIME_ZONE). */
    private readonly defaultTimeZone = 'UTC',
    private readonly hooks: TestHooks = {},
  ) {
    this.tables = catalogueSteps(db);
  }

  /** The request's zone in its canonical spelling, so one zone is stored one way. */
  private zoneOf(name: string): string {
    const zone = canonicalTimeZone(name);
    if (!zone) throw new AppError('VALIDATION_FAILED', 'timeZone: must be an IANA time zone such as Asia/Taipei');
    return zone;
  }

  async createVenue(input: CreateVenueRequest): Promise<VenueOut> {
    const timeZone = this.zoneOf(input.timeZone ?? this.defaultTimeZone);
    return this.db.transaction(async (tx) => {
      const { venues, areas: areaTable, seats } = catalogueSteps(tx);
      const venueId = await venues.create({ name: input.name, city: input.city, address: input.address, timeZone });
      const areas: VenueOut['areas'] = [];
      for (const [position, a] of input.areas.entries()) {
        if (a.kind === 'standing') {
          const areaId = await areaTable.create({ venueId, name: a.name, kind: 'standing', capacity: a.capacity, position });
          await seats.createStanding(areaId, a.capacity);
          areas.push({ id: areaId, name: a.name, kind: 'standing', rows: null, seatsPerRow: null, capacity: a.capacity, accessibleSeats: [] });
          continue;
        }
        const accessible = uniquePositions(a.accessibleSeats);
        const areaId = await areaTable.create({ venueId, name: a.name, kind: 'seated', rows: a.rows, seatsPerRow: a.seatsPerRow, position });
        await seats.createGrid(areaId, a.rows, a.seatsPerRow, accessible);
        areas.push({ id: areaId, name: a.name, kind: 'seated', rows: a.rows, seatsPerRow: a.seatsPerRow, capacity: a.rows * a.seatsPerRow, accessibleSeats: accessible });
      }
      return { id: venueId, name: input.name, city: input.city, address: input.address, timeZone, areas };
    });
  }

  /** Renames, moves or re-zones a venue; its seat grid stays (shows and tickets point at its seats). */
  async updateVenue(id: string, input: UpdateVenueRequest): Promise<VenueOut> {
    const timeZone = input.timeZone === undefined ? null : this.zoneOf(input.timeZone);
    const found = await this.tables.venues.update(id, { name: input.name ?? null, city: input.city ?? null, address: input.address ?? null, timeZone });
    if (!found) throw new AppError('NOT_FOUND', 'No such venue');
    return (await this.listVenues(id))[0]!;
  }

  /**
   * Renames an area, replaces a seated area's wheelchair places, or resizes a standing area, in one
   * transaction. Growing adds places to every show selling the area that has not started at `now`;
   * shrinking removes the highest-numbered places free in every show (never one held, ordered or
   * sold anywhere), or refuses with how many could go, changing nothing.
   */
  async updateArea(venueId: string, areaId: string, input: UpdateAreaRequest, now: number): Promise<VenueOut> {
    await this.db.transaction(async (tx) => {
      const { areas, seats } = catalogueSteps(tx);
      const area = await areas.lockOfVenue(venueId, areaId);
      if (!area) throw new AppError('NOT_FOUND', 'No such area in this venue');
      if (input.accessibleSeats !== undefined) {
        if (area.kind !== 'seated') throw new AppError('VALIDATION_FAILED', 'accessibleSeats: a standing area has no seats to mark');
        const outside = input.accessibleSeats.find((p) => p.row > area.rows! || p.number > area.seats_per_row!);
        if (outside) throw new AppError('VALIDATION_FAILED', `accessibleSeats: row ${outside.row} seat ${outside.number} is not in the area`);
        await seats.setAccessible(areaId, input.accessibleSeats);
      }
      if (input.capacity !== undefined) {
        if (area.kind !== 'standing') throw new AppError('VALIDATION_FAILED', 'capacity: only a standing area has a capacity');
        await this.resizeStanding(tx, areaId, area.capacity!, input.capacity, now);
      }
      try {
        await areas.update(areaId, { name: input.name ?? null, capacity: input.capacity ?? null });
      } catch (e) {
        if ((e as { code?: string }).code === '23505') throw new AppError('CONFLICT', 'Another area of this venue has that name');
        throw e;
      }
    });
    return (await this.listVenues(venueId))[0]!;
  }

  private async resizeStanding(tx: Queryable, areaId: string, from: number, to: number, now: number): Promise<void> {
    const places = seatSteps(tx);
    if (to > from) {
      const added = await catalogueSteps(tx).seats.addStanding(areaId, to - from);
      await places.addPlaces(areaId, added, new Date(now));
      await this.hooks.areaGrow?.();
      return;
    }
    if (to === from) return;
    // Locked first, so no hold can take a place between choosing it and deleting it.
    await places.lockArea(areaId);
    const removable = await places.removablePlaces(areaId);
    if (removable.length < from - to) {
      throw new AppError('SEAT_UNAVAILABLE', `Only ${removable.length} places of this area are free in every show`, { removable: removable.length });
    }
    const gone = removable.slice(0, from - to);
    await this.hooks.areaShrink?.();
    await places.removePlaces(gone);
    await catalogueSteps(tx).seats.remove(areaId, gone);
  }

  async listVenues(only: string | null = null): Promise<VenueOut[]> {
    return this.tables.venues.list(only);
  }

  async createEvent(input: CreateEventRequest): Promise<EventOut> {
    return this.tables.events.create({ title: input.title, artist: input.artist, description: input.description, imageUrl: input.imageUrl ?? null });
  }

  async updateEvent(id: string, input: Partial<CreateEventRequest>): Promise<EventOut> {
    const event = await this.tables.events.update(id, {
      title: input.title ?? null,
      artist: input.artist ?? null,
      description: input.description ?? null,
      imageUrl: input.imageUrl ?? null,
    });
    if (!event) throw new AppError('NOT_FOUND', 'No such event');
    return event;
  }

  /** Seats of a show by sale state at `now` (an expired selection counts as available). */
  async seatCounts(showId: string, now: number): Promise<{ sold: number; held: number; available: number }> {
    return seatSteps(this.db).counts(showId, new Date(now));
  }

  /** The show's paid orders and their revenue (the currency of its prices when nothing is paid yet). */
  async sales(showId: string): Promise<{ paidOrders: number; revenue: number; currency: string }> {
    const r = await orderReads(this.db).orders.salesOf(showId);
    return { paidOrders: r.paid_orders, revenue: r.revenue, currency: r.currency ?? 'TWD' };
  }

  /**
   * The sale minute by minute over the last `minutes` up to `now`, from the database (so the
   * dashboard's charts survive a reload or a restart): tickets sold, orders paid and revenue from
   * the orders, and the line as line_minutes recorded it (0 in a minute without a live line).
   * Every minute is listed, oldest first. `live` is the line now (minuteSample): its minute shows
   * it, as the live updates do, rather than a row the next sample has not written yet.
   */
  async history(showId: string, now: number, minutes: number, live?: LineMinuteSample): Promise<StatsMinute[]> {
    const end = Math.floor(now / 60_000) * 60_000;
    const start = end - (minutes - 1) * 60_000;
    const [sales, line] = await Promise.all([
      orderReads(this.db).orders.salesByMinute(showId, new Date(start), new Date(end + 60_000)),
      new LineMinutesRepository(this.db).between(showId, new Date(start), new Date(end + 60_000)),
    ]);
    const salesAt = new Map(sales.map((r) => [new Date(r.minute).getTime(), r]));
    const lineAt = new Map(line.map((r) => [new Date(r.minute).getTime(), r]));
    return Array.from({ length: minutes }, (_, i) => {
      const t = start + i * 60_000;
      const r = salesAt.get(t);
      const recorded = lineAt.get(t);
      const l = live?.minute === t ? { ...live, admissions: Math.max(live.admissions, recorded?.admissions ?? 0) } : recorded;
      return {
        at: new Date(t).toISOString(),
        sold: r?.sold ?? 0,
        paidOrders: r?.paid_orders ?? 0,
        revenue: r?.revenue ?? 0,
        waiting: l?.waiting ?? 0,
        early: l?.early ?? 0,
        admitted: l?.admitted ?? 0,
        admissions: l?.admissions ?? 0,
      };
    });
  }

  /** Creates a show and one sale-state row per seat of every priced area. Returns the show id. */
  async createShow(input: CreateShowRequest): Promise<string> {
    return this.db.transaction(async (tx) => {
      const { events, areas, shows, prices } = catalogueSteps(tx);
      if (!(await events.get(input.eventId))) throw new AppError('NOT_FOUND', 'No such event');
      const own = new Set(await areas.idsOfVenue(input.venueId));
      if (own.size === 0) throw new AppError('NOT_FOUND', 'No such venue');
      const ids = input.prices.map((p) => p.areaId);
      if (new Set(ids).size !== ids.length) throw new AppError('VALIDATION_FAILED', 'prices: one price per area');
      const foreign = ids.find((a) => !own.has(a));
      if (foreign) throw new AppError('VALIDATION_FAILED', `prices: area ${foreign} is not in this venue`);

      const showId = await shows.create({
        eventId: input.eventId,
        venueId: input.venueId,
        startsAt: input.startsAt,
        onSaleAt: input.onSaleAt,
        pageCapacity: input.pageCapacity,
        purchaseWindowSeconds: input.purchaseWindowSeconds,
        maxTicketsPerAccount: input.maxTicketsPerAccount,
        queueOpensAt: input.queueOpensAt ?? new Date(Date.parse(input.onSaleAt) - QUEUE_OPENS_BEFORE_MS),
      });
      await prices.set(showId, input.prices);
      await seatSteps(tx).addAreas(showId, ids);
      return showId;
    });
  }

  /**
   * Changes a show's times, page rules or prices. Areas can be added; an area can only be taken off
   * sale while none of its seats is held, sold or part of an order, so sold tickets never break.
   */
  async updateShow(showId: string, input: UpdateShowRequest): Promise<void> {
    await this.db.transaction(async (tx) => {
      const { areas, shows, prices } = catalogueSteps(tx);
      const seats = seatSteps(tx);
      const show = await shows.lockForChange(showId);
      if (!show) throw new AppError('NOT_FOUND', 'No such show');
      const startsAt = input.startsAt ? Date.parse(input.startsAt) : show.starts_at.getTime();
      const onSaleAt = input.onSaleAt ? Date.parse(input.onSaleAt) : show.on_sale_at.getTime();
      if (onSaleAt > startsAt) throw new AppError('VALIDATION_FAILED', 'onSaleAt: must not be after startsAt');
      // A moved sale keeps its pre-queue's length unless the organizer sets the opening too.
      const keptLead = show.on_sale_at.getTime() - (show.queue_opens_at ?? show.on_sale_at).getTime();
      const queueOpensAt = input.queueOpensAt ? Date.parse(input.queueOpensAt) : onSaleAt - keptLead;
      if (queueOpensAt > onSaleAt) throw new AppError('VALIDATION_FAILED', 'queueOpensAt: must not be after onSaleAt');
      await shows.update(showId, {
        startsAt: new Date(startsAt),
        onSaleAt: new Date(onSaleAt),
        queueOpensAt: new Date(queueOpensAt),
        pageCapacity: input.pageCapacity ?? null,
        purchaseWindowSeconds: input.purchaseWindowSeconds ?? null,
        maxTicketsPerAccount: input.maxTicketsPerAccount ?? null,
      });
      if (!input.prices) return;

      const ids = input.prices.map((p) => p.areaId);
      if (new Set(ids).size !== ids.length) throw new AppError('VALIDATION_FAILED', 'prices: one price per area');
      const ownIds = new Set(await areas.idsOfVenue(show.venue_id));
      const foreign = ids.find((a) => !ownIds.has(a));
      if (foreign) throw new AppError('VALIDATION_FAILED', `prices: area ${foreign} is not in this venue`);

      const removed = await prices.othersWithBusySeats(showId, ids);
      const busy = removed.find((r) => r.busy > 0);
      if (busy) throw new AppError('CONFLICT', `Area ${busy.name} has seats that are held, sold or ordered: it cannot be taken off sale`);
      const gone = removed.map((r) => r.area_id);
      await seats.removeAreas(showId, gone);
      await prices.remove(showId, gone);
      await prices.set(showId, input.prices);
      await seats.addAreas(showId, ids);
    });
  }
}

/** Each marked seat once, in seat order. */
function uniquePositions(seats: { row: number; number: number }[]): { row: number; number: number }[] {
  const seen = new Map(seats.map((s) => [`${s.row}:${s.number}`, s]));
  return [...seen.values()].sort((a, b) => a.row - b.row || a.number - b.number);
}
