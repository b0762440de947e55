/**
 * A venue's areas drawn as seat grids while the organizer types. One SVG per area whose dots are
 * a pattern fill, so a 200 × 200 area costs as little as a 3 × 4 one.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCount } from '../../lib/format.js';

export interface PreviewArea {
  name: string;
  rows: number;
  seatsPerRow: number;
}

const CELL = 10;
const MAX = 200;

const clamp = (n: number) => (Number.isInteger(n) && n > 0 ? Math.min(n, MAX) : 0);

export function SeatGridPreview({ areas }: { areas: PreviewArea[] }) {
  const { t } = useTranslation();
  const shown = areas.map((a) => ({ ...a, rows: clamp(a.rows), seatsPerRow: clamp(a.seatsPerRow) }));
  const total = shown.reduce((n, a) => n + a.rows * a.seatsPerRow, 0);
  // One scale for every area, so their sizes compare as in the hall.
  const widest = Math.max(1, ...shown.map((a) => a.seatsPerRow));
  const cell = Math.max(2, Math.min(16, Math.floor(360 / widest)));
  return (
    <div className="venue-preview" data-testid="venue-preview" data-seat-count={total}>
      <div className="venue-preview-head">
        <span className="venue-preview-title">{t('preview.title')}</span>
        <span className="venue-preview-total" data-testid="venue-preview-total">
          {t('preview.seats', { count: total })}
        </span>
      </div>
      <div className="venue-preview-stage" aria-hidden="true">
        {t('preview.stage')}
      </div>
      <div className="venue-preview-areas">
        {shown.map((a, i) => (
          <figure
            className="venue-preview-area"
            key={i}
            data-testid="venue-preview-area"
            data-rows={a.rows}
            data-seats-per-row={a.seatsPerRow}
          >
            {a.rows > 0 && a.seatsPerRow > 0 ? (
              <AreaGrid rows={a.rows} cols={a.seatsPerRow} cell={cell} label={a.name || t('preview.area', { n: i + 1 })} />
            ) : (
              <div className="venue-preview-empty">{t('preview.empty')}</div>
            )}
            <figcaption>
              <strong>{a.name.trim() || t('preview.area', { n: i + 1 })}</strong>
              <span className="muted">
                {a.rows} × {a.seatsPerRow} = {formatCount(a.rows * a.seatsPerRow)}
              </span>
            </figcaption>
          </figure>
        ))}
      </div>
    </div>
  );
}

function AreaGrid({ rows, cols, cell, label }: { rows: number; cols: number; cell: number; label: string }) {
  const { t } = useTranslation();
  const id = `dots${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const w = cols * CELL;
  const h = rows * CELL;
  return (
    <svg
      className="venue-preview-grid"
      viewBox={`0 0 ${w} ${h}`}
      role="img"
      aria-label={t('preview.grid', { label, rows, count: cols })}
      width={cols * cell}
      height={rows * cell}
      preserveAspectRatio="xMidYMin meet"
      style={{ aspectRatio: `${w} / ${h}` }}
    >
      <defs>
        <pattern id={id} width={CELL} height={CELL} patternUnits="userSpaceOnUse">
          <rect x="1.5" y="1.5" width={CELL - 3} height={CELL - 3} rx="2" className="venue-preview-seat" />
        </pattern>
      </defs>
      <rect width={w} height={h} fill={`url(#${id})`} />
    </svg>
  );
}
