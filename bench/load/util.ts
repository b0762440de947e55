/** Small helpers shared by the load tool's main process and its client workers. */

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Deterministic PRNG (mulberry32) so a run's random choices can be repeated with --seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(xs: readonly number[]): { n: number; p50: number; p90: number; p99: number; max: number; mean: number } {
  const s = [...xs].sort((a, b) => a - b);
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN;
  return { n: s.length, p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: s.length ? s[s.length - 1]! : NaN, mean };
}

const RATIO = Math.log(1.01);
const BUCKETS = 2400;

export interface HistogramData {
  n: number;
  sum: number;
  min: number;
  max: number;
  /** Sparse [bucket, count] pairs. */
  buckets: [number, number][];
}

/**
 * A mergeable histogram of non-negative values (milliseconds) with ~1% resolution: workers keep one
 * per metric instead of every sample, and the main process merges them.
 */
export class Histogram {
  private counts = new Float64Array(BUCKETS);
  n = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;

  add(v: number): void {
    if (!Number.isFinite(v)) return;
    const x = Math.max(0, v);
    const b = Math.min(BUCKETS - 1, Math.floor(Math.log(x + 1) / RATIO));
    this.counts[b]! += 1;
    this.n++;
    this.sum += x;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  merge(d: HistogramData): void {
    for (const [b, c] of d.buckets) this.counts[b]! += c;
    this.n += d.n;
    this.sum += d.sum;
    if (d.n > 0) {
      this.min = Math.min(this.min, d.min);
      this.max = Math.max(this.max, d.max);
    }
  }

  reset(): void {
    this.counts.fill(0);
    this.n = 0;
    this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
  }

  quantile(p: number): number {
    if (this.n === 0) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.n));
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.counts[b]!;
      if (seen >= rank) {
        const mid = Math.exp((b + 0.5) * RATIO) - 1;
        return Math.min(this.max, Math.max(this.min, mid));
      }
    }
    return this.max;
  }

  data(): HistogramData {
    const buckets: [number, number][] = [];
    this.counts.forEach((c, b) => {
      if (c > 0) buckets.push([b, c]);
    });
    return { n: this.n, sum: this.sum, min: this.min, max: this.max, buckets };
  }

  summary(): { n: number; p50: number; p90: number; p99: number; max: number; mean: number } {
    return {
      n: this.n,
      p50: this.quantile(50),
      p90: this.quantile(90),
      p99: this.quantile(99),
      max: this.n ? this.max : NaN,
      mean: this.n ? this.sum / this.n : NaN,
    };
  }

  static from(parts: HistogramData[]): Histogram {
    const h = new Histogram();
    for (const p of parts) h.merge(p);
    return h;
  }
}

/** Counts per whole second since t0 (for rate charts). */
export function perSecond(times: readonly number[], t0: number, until?: number): number[] {
  if (times.length === 0) return [];
  const last = until ?? Math.max(...times);
  const out = new Array<number>(Math.max(1, Math.ceil((last - t0) / 1000) + 1)).fill(0);
  for (const t of times) {
    const i = Math.floor((t - t0) / 1000);
    if (i >= 0 && i < out.length) out[i]! += 1;
  }
  return out;
}

export const round = (x: number, digits = 1): number => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);
export const fmt = (x: number, digits = 0): string =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a';
export const fmtMs = (x: number): string => (Number.isFinite(x) ? (x >= 10_000 ? `${fmt(x / 1000, 1)} s` : `${fmt(x, 0)} ms`) : 'n/a');
export const mib = (kb: number): string => `${fmt(kb / 1024, 1)} MiB`;

/** 127.0.0.2, 127.0.0.3, ...: the n-th loopback source address after `base`. Never leaves 127/8. */
export function loopbackAddress(base: string, n: number): string {
  const parts = base.split('.').map(Number);
  if (parts.length !== 4 || parts[0] !== 127 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`--src-base must be an address in 127.0.0.0/8, got ${base}`);
  }
  const v = ((parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) + n;
  if (v >= 1 << 24 || v < 1) throw new Error(`source address ${n} past ${base} leaves 127.0.0.0/8`);
  return `127.${(v >> 16) & 255}.${(v >> 8) & 255}.${v & 255}`;
}

export function isLoopbackUrl(u: string): boolean {
  try {
    const h = new URL(u).hostname;
    return h === 'localhost' || h === '[::1]' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
  } catch {
    return false;
  }
}
