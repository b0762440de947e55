import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/database.js';
import type { AdminService } from '../modules/admin/admin-service.js';
import type { AuthService } from '../modules/auth/auth-service.js';
import { PagesService } from '../modules/pages/pages-service.js';
import type { SitePageSlug } from '../../shared/api.js';
import { utcToWallClock, wallClockToUtc } from '../../shared/time-zones.js';

const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;

interface DemoShow {
  inDays: number;
  /** Hours from now when the sale opens (negative: already open). */
  onSaleInHours?: number;
  pageCapacity?: number;
}
interface DemoEvent {
  title: string;
  artist: string;
  image: number;
  description: string;
  shows: DemoShow[];
}

const EVENTS: DemoEvent[] = [
  {
    title: 'Midnight Tides Tour',
    artist: 'Neon Harbor',
    image: 1,
    description:
      'Neon Harbor bring their synth-drenched new album Midnight Tides to Taipei for two nights only.\n\nExpect a full light show, the singles "Saltwater Radio" and "Lanterns", and a few surprises from the band\'s first record.',
    shows: [{ inDays: 12 }, { inDays: 13 }],
  },
  {
    title: 'Paper Moon Live',
    artist: 'Lin Yu-Chen',
    image: 2,
    description:
      'Singer-songwriter Lin Yu-Chen returns home with Paper Moon, an intimate evening of piano ballads and stories behind the songs.\n\nThe first night has a tiny selling page (3 fans at a time) so you can see the waiting room in action: open it in a few browsers.',
    shows: [{ inDays: 20, pageCapacity: 3 }, { inDays: 21 }],
  },
  {
    title: 'Reunion',
    artist: 'The Velvet Static',
    image: 3,
    description:
      'Ten years after their last show, The Velvet Static plug the amps back in. One night, the whole catalogue, loud.\n\nTickets go on sale in three days.',
    shows: [{ inDays: 40, onSaleInHours: 72 }],
  },
  {
    title: 'Film Scores Under the Stars',
    artist: 'Aurora Strings',
    image: 4,
    description:
      'A 60-piece orchestra plays the great film themes of the last fifty years, from space operas to Studio Ghibli, with projections on a giant screen.',
    shows: [{ inDays: 9 }],
  },
  {
    title: 'Lightweight World Tour',
    artist: 'Kite Theory',
    image: 5,
    description:
      'The math-pop trio Kite Theory stop in Taipei on their first world tour. Support from local band Rice Paper Planes.',
    shows: [{ inDays: 26 }],
  },
  {
    title: 'Summer Fest Warm-up',
    artist: 'Mango Riot',
    image: 6,
    description: 'Mango Riot and friends warm up for festival season: ska, brass and a lot of dancing. The standing floor sells by quantity, no seat numbers.',
    shows: [{ inDays: 33 }],
  },
  {
    title: 'Jazz at Dadaocheng',
    artist: 'The Tamsui Quartet',
    image: 7,
    description: 'Standards and originals from the Tamsui Quartet. Last night\'s show has been played; the next one is on sale.',
    shows: [{ inDays: -1, onSaleInHours: -30 * 24 }, { inDays: 16 }],
  },
  {
    title: 'Winter Songs',
    artist: 'Echo Valley Choir',
    image: 8,
    description: 'A candle-lit programme of winter songs from around the world, sung by the 40 voices of the Echo Valley Choir.',
    shows: [{ inDays: 45 }],
  },
];

export const DEMO_ACCOUNTS = [
  { name: 'Demo Fan', email: 'demo@test.com', password: 'demodemo', role: 'customer' as const },
  { name: 'Admin', email: 'admin@test.com', password: 'adminadmin', role: 'admin' as const },
];

/**
 * Whether the database holds no event and no account yet. The one read of the seeding step, which
 * belongs to no module: it asks about the whole database before the demo is written through the services.
 */
export async function isEmpty(db: Database): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(`SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM users) AS n`);
  return Number(rows[0]!.n) === 0;
}

/** The demo venue's general-admission floor, after its nine seated blocks. */
const STANDING_CAPACITY = 300;
const STANDING_PRICE = 1800;

/** The demo world: a venue of 9 seated areas (a few wheelchair places) and a standing floor in Taipei (Asia/Taipei), eight events, eleven shows, a demo fan, an admin and the footer's pages. */
export async function loadDemoData(deps: { db: Database; admin: AdminService; auth: AuthService; clock: Clock }): Promise<void> {
  const { admin, auth, clock } = deps;
  const floors = [
    { floor: 1, price: 3000 },
    { floor: 2, price: 2000 },
    { floor: 3, price: 1000 },
  ];
  const venue = await admin.createVenue({
    name: 'Taipei Harbour Arena',
    city: 'Taipei',
    address: 'No. 2, Sec. 4, Nanjing E. Rd., Songshan Dist.',
    timeZone: 'Asia/Taipei',
    areas: [
      ...floors.flatMap(({ floor }) =>
        ['A', 'B', 'C'].map((x) => ({
          name: `Floor ${floor} · ${x}`,
          kind: 'seated' as const,
          rows: 9,
          seatsPerRow: 9,
          // The back row of each ground-floor block has two wheelchair places.
          accessibleSeats: floor === 1 ? [{ row: 9, number: 1 }, { row: 9, number: 2 }] : [],
        })),
      ),
      { name: 'Standing floor', kind: 'standing' as const, capacity: STANDING_CAPACITY },
    ],
  });
  const prices = venue.areas.map((a, i) => ({ areaId: a.id, price: floors[Math.floor(i / 3)]?.price ?? STANDING_PRICE }));
  // Shows start at 19:30 on the venue's clock, whole days from now (Taipei has no DST: 11:30 UTC).
  const today = utcToWallClock(new Date(clock.now()).toISOString(), venue.timeZone).slice(0, 10);
  const base = new Date(wallClockToUtc(`${today}T19:30`, venue.timeZone)!);
  for (const e of EVENTS) {
    const event = await admin.createEvent({
      title: e.title,
      artist: e.artist,
      description: e.description,
      imageUrl: `/images/poster-${e.image}.svg`,
    });
    for (const s of e.shows) {
      const startsAt = new Date(base.getTime() + s.inDays * DAY);
      const onSaleAt = new Date(clock.now() + (s.onSaleInHours ?? -24) * HOUR);
      await admin.createShow({
        eventId: event.id,
        venueId: venue.id,
        startsAt: startsAt.toISOString(),
        onSaleAt: onSaleAt.toISOString(),
        pageCapacity: s.pageCapacity ?? 100,
        purchaseWindowSeconds: 600,
        maxTicketsPerAccount: 4,
        prices,
      });
    }
  }
  for (const a of DEMO_ACCOUNTS) await auth.ensureAccount(a);
  const pages = new PagesService(deps.db);
  for (const [slug, page] of Object.entries(DEMO_PAGES)) await pages.put(slug, page);
}

/** The footer's pages as an organizer might write them (Markdown). */
const DEMO_PAGES: Record<SitePageSlug, { title: string; body: string }> = {
  help: {
    title: 'Help',
    body: [
      '## Buying tickets',
      '',
      'When a show goes on sale, press **Buy tickets**. If many fans arrive at once you wait in a fair line: your place and an estimated wait are shown live. Keep the tab open: closing it for long gives your place away.',
      '',
      'Once admitted you have a few minutes (shown at the top) to pick seats and pay. Seats you pick are held for you until the time runs out.',
      '',
      '## Times',
      '',
      'Show times are in the venue\'s time zone, and say so (for example "19:30 GMT+8").',
      '',
      '## Your tickets',
      '',
      'Paid tickets are under **My tickets**, each with a QR code to show at the door.',
      '',
      'Something else? See the [contact page](/contact).',
    ].join('\n'),
  },
  terms: {
    title: 'Terms of sale',
    body: [
      'This is a demo site: no real tickets are sold and no card is charged.',
      '',
      '1. Tickets are sold by the organizer of each event.',
      '2. Each account may buy up to the number of tickets shown for the show.',
      '3. An order that is not paid within its purchase window is cancelled and its seats go back on sale.',
      '4. A ticket is valid once: it is checked in at the door.',
    ].join('\n'),
  },
  privacy: {
    title: 'Privacy',
    body: [
      'We keep your name, email address, orders and tickets to sell you tickets and let you in.',
      '',
      'Your password is stored only as a one-way hash. Your session is a cookie this site needs to keep you logged in; there are no advertising or tracking cookies.',
      '',
      'To have your account removed, write to us (see the [contact page](/contact)).',
    ].join('\n'),
  },
  contact: {
    title: 'Contact',
    body: [
      'Questions about an order, a show or your account: write to **tickets@example.com** with your order number.',
      '',
      'Forgot your password? Write from the address of your account and we will help you back in.',
    ].join('\n'),
  },
};
