/** Plain SVG charts (polylines and dots on labelled axes): no chart library needed. */

export interface Series {
  name: string;
  points: [number, number][];
  color?: string;
  /** Draw dots instead of a line. */
  dots?: boolean;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Draws y = x (predicted vs actual). */
  diagonal?: boolean;
  /** Horizontal reference line, e.g. the page capacity. */
  hline?: { y: number; label: string };
  width?: number;
  height?: number;
}

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** 1, 2, 5 × 10^k steps giving about `count` ticks. */
function ticks(min: number, max: number, count = 6): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9 && out.length < 50; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

const label = (v: number) =>
  Math.abs(v) >= 1e6 ? `${(v / 1e6).toPrecision(3)}M` : Math.abs(v) >= 1e4 ? `${(v / 1e3).toPrecision(3)}k` : String(Number(v.toPrecision(4)));

/** Keeps at most `max` points (evenly spaced), so charts of long runs stay small. */
export function thin<T>(xs: T[], max = 1500): T[] {
  if (xs.length <= max) return xs;
  const step = xs.length / max;
  return Array.from({ length: max }, (_, i) => xs[Math.floor(i * step)]!);
}

export function chart(spec: ChartSpec): string {
  const W = spec.width ?? 760;
  const H = spec.height ?? 380;
  const m = { l: 70, r: 20, t: 40, b: 70 };
  const pts = spec.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  let xMin = Math.min(0, ...pts.map((p) => p[0]));
  let xMax = Math.max(1, ...pts.map((p) => p[0]));
  let yMin = Math.min(0, ...pts.map((p) => p[1]));
  let yMax = Math.max(1, ...pts.map((p) => p[1]), spec.hline ? spec.hline.y * 1.05 : 0);
  if (spec.diagonal) {
    xMax = yMax = Math.max(xMax, yMax);
    xMin = yMin = Math.min(xMin, yMin);
  }
  if (!pts.length) {
    xMin = 0;
    yMin = 0;
  }
  yMax = yMax + (yMax - yMin) * 0.05;
  const sx = (x: number) => m.l + ((x - xMin) / (xMax - xMin || 1)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((y - yMin) / (yMax - yMin || 1)) * (H - m.t - m.b);
  const o: string[] = [];
  o.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  o.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  o.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(spec.title)}</text>`);
  for (const t of ticks(yMin, yMax)) {
    o.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#e5e7eb"/>`);
    o.push(`<text x="${m.l - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end" fill="#374151">${label(t)}</text>`);
  }
  for (const t of ticks(xMin, xMax)) {
    o.push(`<line x1="${sx(t).toFixed(1)}" x2="${sx(t).toFixed(1)}" y1="${m.t}" y2="${H - m.b}" stroke="#f3f4f6"/>`);
    o.push(`<text x="${sx(t).toFixed(1)}" y="${H - m.b + 16}" text-anchor="middle" fill="#374151">${label(t)}</text>`);
  }
  o.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#111827"/>`);
  o.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#111827"/>`);
  o.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - m.b + 34}" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  o.push(`<text transform="translate(16 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`);
  if (spec.diagonal) {
    o.push(`<line x1="${sx(xMin)}" y1="${sy(yMin)}" x2="${sx(xMax)}" y2="${sy(yMax)}" stroke="#9ca3af" stroke-dasharray="4 4"/>`);
  }
  if (spec.hline) {
    const y = sy(spec.hline.y).toFixed(1);
    o.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y}" y2="${y}" stroke="#dc2626" stroke-dasharray="6 3"/>`);
    o.push(`<text x="${W - m.r - 4}" y="${Number(y) - 4}" text-anchor="end" fill="#dc2626">${esc(spec.hline.label)}</text>`);
  }
  spec.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const ps = thin(s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)), s.dots ? 3000 : 1500);
    if (s.dots) {
      for (const [x, y] of ps) o.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2" fill="${color}" fill-opacity="0.5"/>`);
    } else if (ps.length) {
      o.push(`<polyline fill="none" stroke="${color}" stroke-width="1.6" points="${ps.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`);
    }
    const lx = m.l + 10 + i * 170;
    o.push(`<rect x="${lx}" y="${H - 16}" width="12" height="8" fill="${color}"/>`);
    o.push(`<text x="${lx + 16}" y="${H - 8}">${esc(s.name)}</text>`);
  });
  o.push('</svg>');
  return o.join('\n');
}
