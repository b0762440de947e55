/** What the measured paths need on one product instance, made through its public admin API. */
export interface BenchShow {
  adminToken: string;
  showId: string;
  /** Bulk-made customers with the seats each one will buy. */
  buyers: { token: string; seatIds: string[] }[];
  /** A token for GET /api/me (a session every request finds in the cache). */
  meToken: string;
}

async function api<T = any>(url: string, method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function setUpShow(url: string, o: { adminEmail: string; adminPassword: string; buyers: number; seatsPerOrder: number }): Promise<BenchShow> {
  const { token: adminToken } = await api<{ token: string }>(url, 'POST', '/api/auth/login', undefined, { email: o.adminEmail, password: o.adminPassword });
  const seatsNeeded = Math.max(1, o.buyers * o.seatsPerOrder);
  const seatsPerRow = 50;
  // Two areas, like a real hall's map; every buyer's seats are its own (no contention: this measures cost, not conflicts).
  const rows = Math.min(200, Math.ceil(seatsNeeded / seatsPerRow / 2) + 1);
  const venue = await api(url, 'POST', '/api/admin/venues', adminToken, {
    name: 'Bench Hall',
    city: 'Taipei',
    address: '1 Bench Rd',
    areas: [
      { name: 'Floor', rows, seatsPerRow },
      { name: 'Balcony', rows, seatsPerRow },
    ],
  });
  const event = await api(url, 'POST', '/api/admin/events', adminToken, { title: 'Bench Night', artist: 'The Loopbacks', description: 'bench:http' });
  const now = Date.now();
  const show = await api(url, 'POST', '/api/admin/shows', adminToken, {
    eventId: event.event.id,
    venueId: venue.venue.id,
    startsAt: new Date(now + 30 * 86_400_000).toISOString(),
    onSaleAt: new Date(now - 60_000).toISOString(),
    pageCapacity: Math.min(100_000, o.buyers + 10),
    purchaseWindowSeconds: 3600,
    maxTicketsPerAccount: Math.max(4, o.seatsPerOrder),
    prices: venue.venue.areas.map((a: { id: string }, i: number) => ({ areaId: a.id, price: 1000 * (i + 1) })),
  });
  const showId: string = show.show.id;
  // The seat list is for admitted accounts: the admin takes a place on the page to read it, then leaves.
  await api(url, 'POST', `/api/shows/${showId}/queue`, adminToken);
  const { seats } = await api<{ seats: { id: string }[] }>(url, 'GET', `/api/shows/${showId}/seats`, adminToken);
  await api(url, 'DELETE', `/api/shows/${showId}/queue`, adminToken);
  const users: { token: string }[] = [];
  for (let left = o.buyers + 1; left > 0; left -= 10_000) {
    const r = await api<{ users: { token: string }[] }>(url, 'POST', '/api/admin/users/bulk', adminToken, {
      count: Math.min(10_000, left),
      emailPrefix: `bench${now.toString(36)}${users.length}-`,
      password: 'password123',
    });
    users.push(...r.users);
  }
  const meToken = users.pop()!.token;
  const buyers = users.map((u, i) => ({ token: u.token, seatIds: seats.slice(i * o.seatsPerOrder, (i + 1) * o.seatsPerOrder).map((s) => s.id) }));
  return { adminToken, showId, buyers, meToken };
}
