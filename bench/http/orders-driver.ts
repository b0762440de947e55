/**
 * The paid-order driver of `npm run bench:http`, run as its own process so that its HTTP client
 * never shares the server's event loop. Reads one JSON job on stdin, runs every buyer through
 * join → hold → checkout → pay with at most `concurrency` buyers at once, and prints one JSON
 * result line. Stops starting buyers once `seconds` have passed.
 */
import { performance } from 'node:perf_hooks';

export interface DriverJob {
  url: string;
  showId: string;
  /** One entry per buyer: its token and the seats it holds. */
  buyers: { token: string; seatIds: string[] }[];
  concurrency: number;
  seconds: number;
}

export interface DriverResult {
  paid: number;
  failed: number;
  seconds: number;
  requests: number;
  /** Unexpected answers by "step status", e.g. "hold 409". */
  failures: Record<string, number>;
  orderP50Ms: number;
  orderP99Ms: number;
}

const CARD = { method: 'card', card: { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' } };

async function main(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const job = JSON.parse(input) as DriverJob;
  const failures: Record<string, number> = {};
  const orderMs: number[] = [];
  let requests = 0;

  const call = async (step: string, method: string, path: string, token: string, body?: unknown): Promise<Record<string, any> | undefined> => {
    requests++;
    const res = await fetch(job.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) {
      const key = `${step} ${res.status}`;
      failures[key] = (failures[key] ?? 0) + 1;
      return undefined;
    }
    return text ? (JSON.parse(text) as Record<string, any>) : {};
  };

  const buy = async (b: DriverJob['buyers'][number]): Promise<boolean> => {
    const t0 = performance.now();
    const s = `/api/shows/${job.showId}`;
    const joined = await call('join', 'POST', `${s}/queue`, b.token);
    if (joined?.state !== 'admitted') return false;
    for (const seat of b.seatIds) if (!(await call('hold', 'POST', `${s}/seats/${seat}/hold`, b.token))) return false;
    const co = await call('checkout', 'POST', `${s}/checkout`, b.token, { seatIds: b.seatIds });
    if (!co?.order?.id) return false;
    const paid = await call('pay', 'POST', `/api/orders/${co.order.id}/pay`, b.token, CARD);
    if (paid?.order?.status !== 'paid') return false;
    orderMs.push(performance.now() - t0);
    return true;
  };

  const t0 = performance.now();
  const deadline = t0 + job.seconds * 1000;
  let next = 0;
  let paid = 0;
  let failed = 0;
  const worker = async () => {
    while (next < job.buyers.length && performance.now() < deadline) {
      if (await buy(job.buyers[next++]!)) paid++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(job.concurrency, job.buyers.length) }, worker));
  const seconds = (performance.now() - t0) / 1000;
  orderMs.sort((a, b) => a - b);
  const pct = (p: number) => orderMs[Math.min(orderMs.length - 1, Math.floor(p * orderMs.length))] ?? 0;
  const result: DriverResult = { paid, failed, seconds, requests, failures, orderP50Ms: pct(0.5), orderP99Ms: pct(0.99) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
