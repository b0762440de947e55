/**
 * A small live time-series chart drawn as SVG: the last `windowSeconds` up to the newest sample,
 * a filled line, three horizontal guides with values, minute marks, and the latest value.
 * Sized in real pixels (ResizeObserver), so text is never stretched.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { formatCompact } from '../../lib/format.js';

export interface ChartPoint {
  /** Epoch milliseconds. */
  t: number;
  v: number;
}

const HEIGHT = 190;
const PAD = { top: 14, right: 14, bottom: 26, left: 54 };

const TICK_STEPS = [10_000, 15_000, 30_000, 60_000, 120_000];

const ago = (t: TFunction, ms: number) => {
  const s = Math.round(ms / 1000);
  return s < 60 ? t('chart.secondsAgo', { n: s }) : s % 60 === 0 ? t('chart.minutesAgo', { n: s / 60 }) : `−${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** 0, 1, 2, 5, 10, 20, 50... the smallest "nice" ceiling at or above x. */
export function niceCeil(x: number): number {
  if (!(x > 0)) return 1;
  const exp = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * exp >= x - 1e-9) return m * exp;
  return 10 * exp;
}

/** Axis labels a person reads at a glance, in the reader's language: 950, 1.2K, 3.5M (zh-TW: 1.2萬 from 10,000). */
export const compactNumber = (v: number): string => formatCompact(v >= 10 ? Math.round(v) : Number(v.toPrecision(2)));

export function LiveChart({
  points,
  windowSeconds = 300,
  color = 'var(--primary)',
  format = compactNumber,
  label,
  testId,
  emptyText,
}: {
  points: ChartPoint[];
  windowSeconds?: number;
  color?: string;
  format?: (v: number) => string;
  label: string;
  testId?: string;
  emptyText?: string;
}) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(600);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(240, Math.round(el.getBoundingClientRect().width)));
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const end = points.at(-1)?.t ?? Date.now();
  // The window grows with the data, from one minute up to `windowSeconds`.
  const span = points.length ? end - points[0]!.t : 0;
  const windowMs = Math.min(windowSeconds * 1000, Math.max(60_000, Math.ceil(span / 30_000) * 30_000));
  const start = end - windowMs;
  const shown = points.filter((p) => p.t >= start - 5_000);
  const max = niceCeil(Math.max(0, ...shown.map((p) => p.v)));
  const plotW = width - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (t: number) => PAD.left + Math.max(0, Math.min(1, (t - start) / (end - start || 1))) * plotW;
  const y = (v: number) => PAD.top + (1 - Math.max(0, v) / max) * plotH;

  const line = shown.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const first = shown[0];
  const last = shown.at(-1);
  const area = first && last ? `${line} L${x(last.t).toFixed(1)},${y(0)} L${x(first.t).toFixed(1)},${y(0)} Z` : '';
  const step = TICK_STEPS.find((s) => windowMs / s <= 5) ?? 300_000;
  const ticks = Array.from({ length: Math.floor(windowMs / step) + 1 }, (_, i) => end - i * step).reverse();

  return (
    <div className="live-chart" ref={box} data-testid={testId} data-points={shown.length} data-latest={last?.v ?? ''}>
      <svg width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`} role="img" aria-label={last ? t('chart.nowValue', { label, value: format(last.v) }) : label}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={width - PAD.right} y1={y(max * f)} y2={y(max * f)} className="chart-grid" />
            <text x={PAD.left - 8} y={y(max * f)} className="chart-label" textAnchor="end" dominantBaseline="middle">
              {format(max * f)}
            </text>
          </g>
        ))}
        {ticks.map((tick, i) => (
          <text key={i} x={x(tick)} y={HEIGHT - 8} className="chart-label" textAnchor={x(tick) < PAD.left + 20 ? 'start' : i === ticks.length - 1 ? 'end' : 'middle'}>
            {i === ticks.length - 1 ? t('chart.now') : ago(t, end - tick)}
          </text>
        ))}
        {shown.length >= 2 ? (
          <>
            <path d={area} fill={color} opacity="0.12" />
            <path d={line} fill="none" stroke={color} strokeWidth="2.2" strokeLinejoin="round" strokeLinecap="round" />
          </>
        ) : (
          <text x={PAD.left + plotW / 2} y={PAD.top + plotH / 2} className="chart-empty" textAnchor="middle">
            {emptyText ?? t('chart.collecting')}
          </text>
        )}
        {last && (
          <g>
            <circle cx={x(last.t)} cy={y(last.v)} r="4.5" fill={color} stroke="#fff" strokeWidth="2" />
          </g>
        )}
      </svg>
    </div>
  );
}
