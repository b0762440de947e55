import { useTranslation } from 'react-i18next';
import type { AreaSummary } from '../../../shared/api.js';
import { formatMoney } from '../../lib/format.js';

/** Areas grouped by price, most expensive first, each with its live count of free seats. */
export function AreaPicker({
  areas,
  available,
  selectedId,
  mineByArea,
  onPick,
}: {
  areas: AreaSummary[];
  available: (a: AreaSummary) => number;
  selectedId: string | null;
  mineByArea: ReadonlyMap<string, number>;
  onPick: (areaId: string) => void;
}) {
  const { t } = useTranslation();
  const groups = new Map<number, AreaSummary[]>();
  for (const a of areas) {
    const g = groups.get(a.price);
    if (g) g.push(a);
    else groups.set(a.price, [a]);
  }
  const sorted = [...groups.entries()].sort((a, b) => b[0] - a[0]);

  return (
    <div className="area-picker">
      {sorted.map(([price, list]) => (
        <div className="price-group" key={price}>
          <h3 className="price-group-title">
            {formatMoney(price, list[0]?.currency ?? 'TWD')}
            <span className="muted">{t('selling.perSeat')}</span>
          </h3>
          <div className="area-buttons">
            {list
              .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }))
              .map((a) => {
                const free = available(a);
                const mine = mineByArea.get(a.id) ?? 0;
                return (
                  <button
                    key={a.id}
                    type="button"
                    className={`area-button${a.id === selectedId ? ' is-active' : ''}${free === 0 ? ' is-empty' : ''}`}
                    aria-pressed={a.id === selectedId}
                    onClick={() => onPick(a.id)}
                    data-testid="area-button"
                    data-area-id={a.id}
                    data-available={free}
                  >
                    <span className="area-name">{a.name}</span>
                    <span className="area-count">
                      {free === 0 ? t('selling.soldOut') : t('selling.left', { count: free })}
                      {mine > 0 && <span className="area-mine">{t('selling.yours', { count: mine })}</span>}
                    </span>
                    <span className="area-meter" aria-hidden="true">
                      <span style={{ width: `${a.seatCount ? Math.round((free / a.seatCount) * 100) : 0}%` }} />
                    </span>
                  </button>
                );
              })}
          </div>
        </div>
      ))}
    </div>
  );
}
