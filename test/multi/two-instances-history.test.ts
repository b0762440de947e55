import pg from 'pg';
import { expect, it } from 'vitest';
import { http, onSaleShow } from '../support/instances.js';
import { PG_URL, sleep, uniqueName } from '../support/harness-env.js';
import { useInstancePair } from '../support/instance-pair.js';
import { describeNeeding } from '../support/needs.js';

/**
 * Two server processes sharing PostgreSQL and Redis both run the job that records the line's
 * minutes (every 10 s): the history has each minute once, with the store's admissions, not the
 * sum of what the two instances sampled.
 */
describeNeeding(['postgres', 'redis'], "the line's history across two instances", () => {
  const pair = useInstancePair('hist');

  it('when both instances sample the same line for several rounds, then each minute is one row and the admissions are counted once', async () => {
    const show = await onSaleShow(pair.adminToken, { venue: pair.a.url, event: pair.b.url, show: pair.a.url }, { title: 'History', rows: 2, seatsPerRow: 5, pageCapacity: 1 });
    const users: { token: string }[] = (
      await http(pair.a.url, 'POST', '/api/admin/users/bulk', { token: pair.adminToken, body: { count: 4, emailPrefix: uniqueName('hist'), password: 'password123' } })
    ).body.users;
    for (const [i, u] of users.entries()) expect((await http(i % 2 ? pair.b.url : pair.a.url, 'POST', `/api/shows/${show.id}/queue`, { token: u.token })).status).toBe(200);
    // Two leave, one on each instance: each admits the next waiter from the line.
    expect((await http(pair.a.url, 'DELETE', `/api/shows/${show.id}/queue`, { token: users[0]!.token })).status).toBe(204);
    expect((await http(pair.b.url, 'DELETE', `/api/shows/${show.id}/queue`, { token: users[1]!.token })).status).toBe(204);

    const history = async (): Promise<{ at: string; waiting: number; admitted: number; admissions: number }[]> =>
      (await http(pair.b.url, 'GET', `/api/admin/shows/${show.id}/stats/history?minutes=5`, { token: pair.adminToken })).body.points;
    const admissions = async () => (await history()).reduce((n, p) => n + p.admissions, 0);
    // Recorded once a job has run; then two more rounds of both jobs (every 10 s) change nothing.
    await expect.poll(admissions, { timeout: 60_000, interval: 500 }).toBeGreaterThanOrEqual(2);
    await sleep(21_000);
    expect(await admissions()).toBe(2);
    // The latest recorded minute (a minute just begun has no sample for up to 10 s: it lists zeros).
    const recorded = (await history()).filter((p) => p.waiting + p.admitted > 0).at(-1);
    expect(recorded).toMatchObject({ waiting: 1, admitted: 1 });
    expect(Date.now() - Date.parse(recorded!.at)).toBeLessThan(130_000);

    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
      const { rows } = await c.query<{ n: number; minutes: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT minute)::int AS minutes FROM ${pair.schema}.line_minutes WHERE show_id = $1`,
        [show.id],
      );
      expect(rows[0]!.n).toBeGreaterThan(0);
      expect(rows[0]!.n).toBe(rows[0]!.minutes);
    } finally {
      await c.end();
    }
  }, 150_000);
});
