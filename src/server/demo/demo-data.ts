import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/database.js';
import type { AdminService } from '../modules/admin/admin-service.js';
import type { AuthService } from '../modules/auth/auth-service.js';

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
    description: 'Mango Riot and friends warm up for festival season: ska, brass and a lot of dancing. Standing room is sold as seats in this demo venue.',
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

export async function isEmpty(db: Database): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(`SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM users) AS n`);
  return Number(rows[0]!.n) === 0;
}

/** The demo world: a 9-area venue, eight events, eleven shows, a demo fan and an admin. */
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
    areas: floors.flatMap(({ floor }) => ['A', 'B', 'C'].map((x) => ({ name: `Floor ${floor} · ${x}`, rows: 9, seatsPerRow: 9 }))),
  });
  const prices = venue.areas.map((a, i) => ({ areaId: a.id, price: floors[Math.floor(i / 3)]!.price }));
  // Shows start at 19:30 UTC+8 (11:30 UTC), whole days from now.
  const base = new Date(clock.now());
  base.setUTCHours(11, 30, 0, 0);
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
}
