/**
 * A small time-series chart drawn as SVG, one point per minute: the last `windowSeconds` up to the
 * newest point, a filled line, guides at round values labelled with the reader's number format and
 * the series' unit, time marks, and the latest value. Sized in real pixels (ResizeObserver), so
 * text is never stretched.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { formatCount } from '../../lib/format.js';
import { niceTicks } from './chart-scale.js';

export interface ChartPoint {
  /** Epoch milliseconds. */
  t: number;
  v: number;
}

const HEIGHT = 200;
const PAD = { top: 24, right: 14, bottom: 26 };
/** About this many pixels per character of a value label (the labels' font is 11 px). */
const CHAR_PX = 6.6;

const TIME_STEPS = [10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_200_000];

const ago = (t: TFunction, ms: number) => {
  const s = Math.round(ms / 1000);
  return s < 60 ? t('chart.secondsAgo', { n: s }) : s % 60 === 0 ? t('chart.minutesAgo', { n: s / 60 }) : `−${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

export function LiveChart({
  points,
  windowSeconds = 3600,
  color = 'var(--primary)',
  format = formatCount,
  unit,
  label,
  testId,
  emptyText,
}: {
  points: ChartPoint[];
  windowSeconds?: number;
  color?: string;
  /** A value as the axis and the latest-value label show it (default: a count with thousands separators). */
  format?: (v: number) => string;
  /** What the values count, above the value axis ("fans", "per minute"). */
  unit?: string;
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
  // The window grows with the data, from five minutes up to `windowSeconds`.
  const span = points.length ? end - points[0]!.t : 0;
  const windowMs = Math.min(windowSeconds * 1000, Math.max(300_000, Math.ceil(span / 60_000) * 60_000));
  const start = end - windowMs;
  const shown = points.filter((p) => p.t >= start);
  const ticks = niceTicks(Math.max(0, ...shown.map((p) => p.v)));
  const max = ticks.at(-1)!;
  const labels = ticks.map(format);
  const left = Math.ceil(12 + CHAR_PX * Math.max(...labels.map((l) => l.length)));
  const plotW = width - left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (t: number) => left + Math.max(0, Math.min(1, (t - start) / (end - start || 1))) * plotW;
  const y = (v: number) => PAD.top + (1 - Math.max(0, v) / max) * plotH;

  const line = shown.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const first = shown[0];
  const last = shown.at(-1);
  const area = first && last ? `${line} L${x(last.t).toFixed(1)},${y(0)} L${x(first.t).toFixed(1)},${y(0)} Z` : '';
  const step = TIME_STEPS.find((s) => windowMs / s <= 6) ?? 1_800_000;
  const times = Array.from({ length: Math.floor(windowMs / step) + 1 }, (_, i) => end - i * step).reverse();

  return (
    <div className="live-chart" ref={box} data-testid={testId} data-points={shown.length} data-latest={last?.v ?? ''} data-total={shown.reduce((n, p) => n + p.v, 0)} data-ticks={ticks.join(',')}>
      <svg width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`} role="img" aria-label={last ? t('chart.nowValue', { label, value: format(last.v) }) : label}>
        {unit && (
          // Above the plot from its left edge: end-anchored beside the tick labels, a unit longer than
          // they are ("tickets/min") ran off the chart's left side.
          <text x={left} y={10} className="chart-label chart-unit" textAnchor="start" dominantBaseline="middle">
            {unit}
          </text>
        )}
        {ticks.map((v, i) => (
          <g key={v}>
            <line x1={left} x2={width - PAD.right} y1={y(v)} y2={y(v)} className="chart-grid" />
            <text x={left - 8} y={y(v)} className="chart-label" textAnchor="end" dominantBaseline="middle" data-testid={testId ? `${testId}-tick` : undefined}>
              {labels[i]}
            </text>
          </g>
        ))}
        {times.map((tick, i) => (
          <text key={i} x={x(tick)} y={HEIGHT - 8} className="chart-label" textAnchor={x(tick) < left + 20 ? 'start' : i === times.length - 1 ? 'end' : 'middle'}>
            {i === times.length - 1 ? t('chart.now') : ago(t, end - tick)}
          </text>
        ))}
        {shown.length >= 2 ? (
          <>
            <path d={area} fill={color} opacity="0.12" />
            <path d={line} fill="none" stroke={color} strokeWidth="2.2" strokeLinejoin="round" strokeLinecap="round" />
          </>
        ) : (
          <text x={left + plotW / 2} y={PAD.top + plotH / 2} className="chart-empty" textAnchor="middle">
            {emptyText ?? t('chart.collecting')}
          </text>
        )}
        {last && <circle cx={x(last.t)} cy={y(last.v)} r="4.5" fill={color} stroke="#fff" strokeWidth="2" />}
      </svg>
    </div>
  );
}
