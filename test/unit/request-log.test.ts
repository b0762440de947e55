import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { fastifyCookie } from '@fastify/cookie';
import Fastify from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { jsonValue, LineBatches, OneLinePerRequest, requestLogger, withLogRedaction } from '../../src/server/platform/ops/logging.js';
import { ROOT } from '../support/instances.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the request line', () => {
  // As the app configures its logger (the line is put together from pino's parts), and with a mixin (through pino).
  // (With a mixin pino orders the fields differently for a child's bindings: the same fields, not the same bytes.)
  it.each([
    ['as the app configures it: byte for byte', {}],
    ['with a mixin: field for field', { mixin: () => ({ instance: 'a"1' }) }],
  ])('is the line the redacting logger writes for the same request, and holds no secret (logger %s)', async (name, extra) => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        cb();
      },
    });
    const app = Fastify({ logger: withLogRedaction({ level: 'info', stream, ...extra }), logController: new OneLinePerRequest(), requestIdHeader: 'x-request-id' });
    await app.register(fastifyCookie);
    app.post('/api/things/:id', async () => ({ ok: true }));
    app.get('/api/things', async () => ({ ok: true }));
    // (Fastify's default one logs the raw URL; the app has its own.)
    app.setNotFoundHandler((_req, reply) => void reply.code(404).send({ error: 'not found' }));
    // The same fields through the request's own logger, which redacts: written after the response, as the line is.
    app.addHook('onResponse', async (req, reply) => {
      reply.log.info({ req, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    });
    await app.ready();

    const secret = 'S3cret-token-value-0123456789';
    const requests = [
      { method: 'GET' as const, url: `/api/things?token=${secret}&q=x&password=${secret}`, headers: { authorization: `Bearer ${secret}` } },
      { method: 'POST' as const, url: '/api/things/7', headers: { cookie: `tc_session=${secret}`, 'x-request-id': 'from-the-client' }, payload: { password: secret, card: { number: secret } } },
      { method: 'GET' as const, url: `/api/nowhere?code=${secret}`, headers: {} },
      // Text JSON must escape, in the id and the URL.
      { method: 'GET' as const, url: '/api/things?q=%22%5C%E7%A5%A8"\\', headers: { 'x-request-id': 'a"b\\c\tz' } },
    ];
    for (const r of requests) await app.inject(r);
    await app.close();

    const completed = lines.filter((l) => (JSON.parse(l) as { msg?: string }).msg === 'request completed');
    const written = completed.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(written).toHaveLength(2 * requests.length);
    for (let i = 0; i < requests.length; i++) {
      const [reference, line] = [completed[2 * i]!, completed[2 * i + 1]!].map((l) => l.replace(/"time":\d+,/, ''));
      if (name.includes('byte')) expect(line).toBe(reference);
      else expect(JSON.parse(line!)).toEqual(JSON.parse(reference!));
    }
    expect(lines.filter((l) => l.includes(secret))).toEqual([]);
    expect(written[2]).toMatchObject({ reqId: 'from-the-client', req: { method: 'POST', url: '/api/things/7', route: '/api/things/:id' }, res: { statusCode: 200 } });
  });

  it('writes each string as JSON.stringify would, whatever its characters', () => {
    const values: unknown[] = ['', 'plain', '/api/shows/9?x=1', '"', '\\', 'a"b\\c', '\n', '\u007f', '票券', '\ud83c\udfab', '\ud800', 'x\udfff', 7, null];
    for (let c = 0; c < 0x10000; c += 7) values.push(`a${String.fromCharCode(c)}b`);
    for (const v of values) expect(jsonValue(v)).toBe(JSON.stringify(v));
  });
});

describe("a request's own logger", () => {
  const capture = () => {
    const lines: Record<string, unknown>[] = [];
    const raw: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        for (const l of String(chunk).split('\n').filter(Boolean)) {
          raw.push(l);
          lines.push(JSON.parse(l) as Record<string, unknown>);
        }
        cb();
      },
    });
    return { lines, raw, stream };
  };
  const appWith = async (lazy: boolean, stream: Writable) => {
    const app = Fastify({
      logger: withLogRedaction({ level: 'info', stream }),
      logController: new OneLinePerRequest(),
      requestIdHeader: 'x-request-id',
      ...(lazy ? { childLoggerFactory: requestLogger } : {}),
    });
    app.get('/quiet', async () => ({ ok: true }));
    app.get('/talks', async (req) => {
      req.log.debug('not at info');
      req.log.warn({ body: { password: 'hunter2' }, n: 1 }, 'a warning');
      req.log.child({ step: 'inner' }).info('from a child');
      return { ok: true };
    });
    app.get('/warn-only', { logLevel: 'warn' }, async (req) => {
      req.log.info('below the route level');
      req.log.error('at the route level');
      return { ok: true };
    });
    await app.ready();
    return app;
  };

  it('when a request logs, then its lines are those of a pino child with the id bound: same bytes, redaction and levels', async () => {
    const runs = await Promise.all(
      [false, true].map(async (lazy) => {
        const c = capture();
        const app = await appWith(lazy, c.stream);
        for (const url of ['/talks', '/warn-only', '/quiet']) await app.inject({ method: 'GET', url, headers: { 'x-request-id': `id${url}` } });
        await app.close();
        return c.raw.map((l) => l.replace(/"time":\d+,/, '').replace(/"responseTime":[\d.e-]+/, '"responseTime":0'));
      }),
    );
    const [eager, lazy] = runs as [string[], string[]];
    expect(lazy).toEqual(eager);
    const parsed = lazy.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((l) => [l.reqId, l.msg])).toEqual([
      ['id/talks', 'a warning'],
      ['id/talks', 'from a child'],
      ['id/talks', 'request completed'],
      ['id/warn-only', 'at the route level'],
      ['id/quiet', 'request completed'],
    ]);
    expect(parsed[0]).toMatchObject({ level: 40, body: { password: '[Redacted]' }, n: 1 });
    expect(parsed[1]).toMatchObject({ step: 'inner' });
  });

  it('when logging is off, then a request that logs is answered as without the factory', async () => {
    const app = Fastify({ logger: false, childLoggerFactory: requestLogger });
    app.get('/talks', async (req) => {
      req.log.warn('nobody hears this');
      req.log.child({ a: 1 }).error('nor this');
      return { ok: true };
    });
    expect((await app.inject({ method: 'GET', url: '/talks' })).json()).toEqual({ ok: true });
    await app.close();
  });

  it('when a request writes nothing of its own, then no child logger is made for it', async () => {
    const c = capture();
    const app = await appWith(true, c.stream);
    await app.inject({ method: 'GET', url: '/quiet' }); // the request line's own logger, made once
    const child = vi.spyOn(app.log, 'child');
    for (let i = 0; i < 5; i++) await app.inject({ method: 'GET', url: '/quiet' });
    expect(child).not.toHaveBeenCalled();
    await app.inject({ method: 'GET', url: '/talks' });
    expect(child).toHaveBeenCalledTimes(2); // its own, then the one it asked for (pino's children inherit `child`)
    await app.close();
    expect(c.lines.filter((l) => l.msg === 'request completed')).toHaveLength(7);
  });
});

describe('LineBatches', () => {
  const collect = (delayMs = 30) => {
    const writes: string[] = [];
    return { writes, batches: new LineBatches({ write: (s: string) => writes.push(s) }, delayMs) };
  };

  it('when lines come within the delay, then they are written together, in order, once it has passed, and not before', () => {
    vi.useFakeTimers();
    try {
      const { writes, batches } = collect(30);
      for (let i = 0; i < 5; i++) batches.write(`{"n":${i}}\n`);
      vi.advanceTimersByTime(29);
      batches.write('{"n":5}\n');
      expect(writes).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(writes).toEqual(['{"n":0}\n{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n{"n":5}\n']);
      batches.write('{"n":6}\n');
      vi.advanceTimersByTime(29);
      expect(writes).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(writes).toEqual(['{"n":0}\n{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n{"n":5}\n', '{"n":6}\n']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('when 64 KiB of lines are pending, then they are written at once, without waiting for the delay', () => {
    const { writes, batches } = collect(60_000);
    const line = `{"pad":"${'x'.repeat(1000)}"}\n`;
    let n = 0;
    while (writes.length === 0 && n < 100) {
      batches.write(line);
      n++;
    }
    expect(writes.length).toBe(16);
    expect(writes.join('').length).toBe((n - 1) * line.length); // all but the line that found them full
    batches.flushSync();
    expect(writes.join('')).toBe(line.repeat(n));
  });

  it('when more than 4 KiB of lines wait, then each write is at most 4 KiB of whole lines (atomic on a shared pipe)', async () => {
    const { writes, batches } = collect();
    // Multi-byte text: the limit is in bytes, not characters.
    const lines = Array.from({ length: 200 }, (_, i) => `{"n":${i},"name":"票券${'好'.repeat(i % 40)}"}\n`);
    for (const l of lines) batches.write(l);
    batches.write(`{"long":"${'x'.repeat(10_000)}"}\n`);
    await sleep(60);
    expect(writes.join('')).toBe(lines.join('') + `{"long":"${'x'.repeat(10_000)}"}\n`);
    expect(writes.length).toBeGreaterThan(1);
    for (const w of writes.slice(0, -1)) {
      expect(Buffer.byteLength(w)).toBeLessThanOrEqual(4096);
      expect(w.endsWith('\n')).toBe(true);
    }
    expect(writes.at(-1)).toBe(`{"long":"${'x'.repeat(10_000)}"}\n`); // a line longer than the limit goes alone
  });

  it('when the process exits right after logging (here: a crash), then the pending lines are written all the same', () => {
    const script = [
      `import { stdoutLines } from ${JSON.stringify(`${ROOT}src/server/platform/ops/logging.ts`)};`,
      'const lines = stdoutLines();',
      'for (let i = 0; i < 3; i++) lines.write(`line ${i}\\n`);',
      "throw new Error('crash before the next turn');",
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('crash before the next turn');
    expect(r.stdout).toBe('line 0\nline 1\nline 2\n');
  }, 30_000);
});
