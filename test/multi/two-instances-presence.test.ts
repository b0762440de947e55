import { expect, it } from 'vitest';
import { sleep, uniqueName } from '../support/harness-env.js';
import { http, onSaleShow } from '../support/instances.js';
import { connect, emitAck, nextEvent } from '../support/sockets.js';
import { useInstancePair } from '../support/instance-pair.js';
import { describeNeeding } from '../support/needs.js';

/**
 * Presence lives in the shared store, not in the instance holding the socket: when that instance
 * dies (SIGKILL, no goodbye), the other one removes its accounts after the grace.
 */
describeNeeding(['postgres', 'redis'], 'presence when an instance dies', () => {
  const pair = useInstancePair('presence', { QUEUE_GRACE_SECONDS: '3', ADMITTED_GRACE_SECONDS: '3' });

  it('when the instance holding an admitted account\'s socket is killed, then the other instance removes it after the grace and admits the next', async () => {
    const show = await onSaleShow(pair.adminToken, { venue: pair.b.url, event: pair.b.url, show: pair.b.url }, { title: 'Presence', rows: 1, seatsPerRow: 5, pageCapacity: 1 });
    const [onA, onB]: { id: string; token: string }[] = (
      await http(pair.b.url, 'POST', '/api/admin/users/bulk', { token: pair.adminToken, body: { count: 2, emailPrefix: uniqueName('pr'), password: 'password123' } })
    ).body.users;
    const place = async (u: { token: string }) => (await http(pair.b.url, 'GET', `/api/shows/${show.id}/queue`, { token: u.token })).body;

    expect((await http(pair.a.url, 'POST', `/api/shows/${show.id}/queue`, { token: onA!.token })).body.state).toBe('admitted');
    expect((await http(pair.b.url, 'POST', `/api/shows/${show.id}/queue`, { token: onB!.token })).body.state).toBe('waiting');
    const sa = await connect(pair.a.url, onA!.token);
    const sb = await connect(pair.b.url, onB!.token);
    pair.sockets.push(sa, sb);
    expect(await emitAck(sa, 'queue:watch', show.id)).toEqual({ ok: true });
    expect(await emitAck(sb, 'queue:watch', show.id)).toEqual({ ok: true });

    // While A lives, its heartbeats keep the account present well past the grace.
    await sleep(4_500);
    expect((await place(onA!)).state).toBe('admitted');

    const admitted = nextEvent(sb, 'queue:admitted', (e) => e.showId === show.id, 10_000);
    const killedAt = Date.now();
    await pair.a.stop('SIGKILL');
    await admitted;
    // Not before the grace (3 s from A's last heartbeat, at most ~1 s before the kill), not much after.
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(1_500);
    expect(await place(onA!)).toMatchObject({ state: 'none' });
    expect((await place(onB!)).state).toBe('admitted');
  }, 60_000);
});
