/**
 * A small JSON client on node:http with keep-alive agents, one per server instance, bound to a
 * loopback source address. Network failures (refused, reset, timeout) reject with NetError so the
 * callers can fail over to another instance; HTTP errors resolve with their status and body.
 */
import http from 'node:http';

export class NetError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface JsonResponse<T> {
  status: number;
  body: T;
  ms: number;
}

export interface ErrorBodyShape {
  error?: { code?: string; message?: string };
}

export const errorCode = (body: unknown): string | undefined => (body as ErrorBodyShape | undefined)?.error?.code;

export class JsonClient {
  private readonly agents: http.Agent[];
  private readonly targets: URL[];

  constructor(
    urls: string[],
    private readonly opts: { localAddress?: string; maxSockets?: number; timeoutMs?: number } = {},
  ) {
    this.targets = urls.map((u) => new URL(u));
    this.agents = urls.map(() => new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 64, maxFreeSockets: opts.maxSockets ?? 64 }));
  }

  get size(): number {
    return this.targets.length;
  }

  request<T = unknown>(
    instance: number,
    method: string,
    path: string,
    o: { token?: string; body?: unknown; timeoutMs?: number } = {},
  ): Promise<JsonResponse<T>> {
    const target = this.targets[instance]!;
    const payload = o.body === undefined ? undefined : Buffer.from(JSON.stringify(o.body));
    const headers: Record<string, string | number> = { accept: 'application/json' };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    const t0 = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          method,
          path,
          headers,
          agent: this.agents[instance],
          localAddress: this.opts.localAddress,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => reject(new NetError('ERESPONSE', e.message)));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              body = { error: { code: 'NOT_JSON', message: text.slice(0, 200) } };
            }
            resolve({ status: res.statusCode ?? 0, body: body as T, ms: performance.now() - t0 });
          });
        },
      );
      req.setTimeout(o.timeoutMs ?? this.opts.timeoutMs ?? 30_000, () => req.destroy(new NetError('ETIMEDOUT', `${method} ${path} timed out`)));
      req.on('error', (e: NodeJS.ErrnoException) => reject(e instanceof NetError ? e : new NetError(e.code ?? 'ENET', e.message)));
      if (payload) req.write(payload);
      req.end();
    });
  }

  close(): void {
    for (const a of this.agents) a.destroy();
  }
}

/** Runs `task` for 0..total-1 with at most `inFlight` at once. */
export async function pool(total: number, inFlight: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(0, Math.min(inFlight, total)) }, async () => {
      while (next < total) await task(next++);
    }),
  );
}
