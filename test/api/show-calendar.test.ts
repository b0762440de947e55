import type { FastifyInstance } from 'fastify';
import { expect, it } from 'vitest';
import { createShow } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import { describeOnEachDatabase } from '../support/needs.js';

/** The unfolded lines of an iCalendar file (RFC 5545 folds long lines with CRLF + space). */
const lines = (ics: string) => ics.replace(/\r\n[ \t]/g, '').split('\r\n');
const field = (ics: string, name: string) => lines(ics).find((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`))?.replace(/^[^:]+:/, '');

describeOnEachDatabase('calendar files for a show (%s)', (kind) => {
  let app: FastifyInstance;
  let admin: string;
  useHarness({ db: kind }, (s) => ({ app, admin } = s));

  const get = (url: string) => app.inject({ method: 'GET', url });

  it('when a fan downloads the on-sale, then it is text/calendar from the pre-queue\'s opening in UTC, with the title, the venue\'s address and a stable UID', async () => {
    const show = await createShow(app, admin, {
      onSaleAt: '2030-03-01T04:00:00.000Z',
      queueOpensAt: '2030-03-01T03:30:00.000Z',
      startsAt: '2030-03-14T11:30:00.000Z',
      event: { title: 'Paper Moon, Live', artist: 'Lin' },
    });
    const r = await get(`/api/shows/${show.id}/calendar.ics?for=onsale`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/calendar/);
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename=".+\.ics"$/);
    expect(field(r.body, 'DTSTART')).toBe('20300301T033000Z');
    expect(field(r.body, 'SUMMARY')).toBe('Tickets on sale: Paper Moon\\, Live');
    expect(field(r.body, 'LOCATION')).toBe('Test Hall\\, 1 Test Rd\\, Taipei');
    const uid = field(r.body, 'UID');
    expect(uid).toBe(`onsale-${show.id}@ticketclub`);
    expect(field((await get(`/api/shows/${show.id}/calendar.ics?for=onsale`)).body, 'UID')).toBe(uid);
  });

  it('when a fan downloads the show, then it starts at the show\'s time in UTC under its own UID', async () => {
    const show = await createShow(app, admin, { startsAt: '2030-03-14T11:30:00.000Z' });
    const r = await get(`/api/shows/${show.id}/calendar.ics`);
    expect(r.statusCode).toBe(200);
    expect(field(r.body, 'DTSTART')).toBe('20300314T113000Z');
    expect(field(r.body, 'SUMMARY')).toBe('Test Event');
    expect(field(r.body, 'UID')).toBe(`show-${show.id}@ticketclub`);
  });

  it('when the kind is unknown or the show does not exist, then 400 VALIDATION_FAILED and 404 NOT_FOUND', async () => {
    const show = await createShow(app, admin);
    const bad = await get(`/api/shows/${show.id}/calendar.ics?for=party`);
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).error.code).toBe('VALIDATION_FAILED');
    const missing = await get('/api/shows/00000000-0000-4000-8000-000000000000/calendar.ics');
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body).error.code).toBe('NOT_FOUND');
  });
});
