import { useEffect, useMemo, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ShowStatusBadge } from '../../components/Badge.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { PageMessage } from '../../components/PageMessage.js';
import { Spinner } from '../../components/Spinner.js';
import { api, type LiveStats } from '../../lib/api.js';
import { formatCount, formatDateTime, formatMoney } from '../../lib/format.js';
import { useDocumentTitle, useLoad, useNow } from '../../lib/hooks.js';
import { LiveIndicator } from '../../components/LiveIndicator.js';
import { ConsoleHeader, DataTable, Panel, formatSecondsShort } from './admin-ui.js';
import { LiveChart, type ChartPoint } from './LiveChart.js';
import { useLiveStats, useSaleHistory } from './use-live-stats.js';
import { SalesPanels } from './SalesPanels.js';

/** /admin/shows/:showId — the sale as it happens: the line, the selling page, seats, waits, and four charts of the last hour. */
export function ShowDashboard() {
  const { t } = useTranslation();
  const showId = (useParams().showId ?? '').toLowerCase();
  const showLoad = useLoad(() => api.show(showId), [showId]);
  const show = showLoad.status === 'ok' ? showLoad.data.show : undefined;
  const { stats, error, watchError, connection, updatedAt } = useLiveStats(showId);
  const history = useSaleHistory(showId, stats);
  useDocumentTitle(show ? t('admin.dashboard.docTitle', { title: show.eventTitle }) : t('admin.dashboard.title'));

  // The per-area counts come from the show: refresh them when seats move (at most every few seconds).
  const seatsKey = stats ? `${stats.sold}/${stats.held}` : '';
  const reloadShow = showLoad.reload;
  useEffect(() => {
    if (!seatsKey) return;
    const timer = setTimeout(reloadShow, 1500);
    return () => clearTimeout(timer);
  }, [seatsKey, reloadShow]);

  // Every chart is the server's history, minute by minute (the line's last point follows the live
  // updates): a reload, a restart or another instance draws the same curves.
  const series = useMemo(() => {
    const of = (v: (p: (typeof history.points)[number]) => number): ChartPoint[] => history.points.map((p) => ({ t: Date.parse(p.at), v: v(p) }));
    return {
      line: of((p) => p.waiting + p.early),
      admissions: of((p) => p.admissions),
      sold: of((p) => p.sold),
      revenue: of((p) => p.revenue),
    };
  }, [history.points]);

  if (showLoad.status === 'error' || error?.code === 'NOT_FOUND') {
    const missing = showLoad.error?.code === 'NOT_FOUND' || showLoad.error?.code === 'VALIDATION_FAILED' || error?.code === 'NOT_FOUND';
    return (
      <PageMessage
        icon="error"
        title={missing ? t('admin.dashboard.notFound') : t('admin.dashboard.loadError')}
        actions={
          <Link to="/admin" className="btn btn-primary">
            {t('admin.nav.events')}
          </Link>
        }
      >
        {missing ? <p>{t('admin.dashboard.noSuchShow')}</p> : <ErrorMessage error={showLoad.error} />}
      </PageMessage>
    );
  }
  if (!show) return <Spinner label={t('admin.dashboard.loading')} />;

  const currency = show.areas[0]?.currency ?? 'TWD';
  return (
    <div className="console-page dashboard">
      <ConsoleHeader
        eyebrow={<Link to="/admin">{t('admin.backLink')}</Link>}
        title={show.eventTitle}
        actions={
          <>
            <Link to={`/admin/events/${show.eventId}#show-${show.id}`} className="btn btn-secondary btn-sm">
              {t('admin.dashboard.editShow')}
            </Link>
            <Link to={`/events/${show.eventId}`} className="btn btn-ghost btn-sm">
              {t('admin.publicPage')}
            </Link>
            <a href={`/api/admin/shows/${show.id}/orders.csv`} download className="btn btn-ghost btn-sm" data-testid="export-orders">
              {t('admin.dashboard.ordersCsv')}
            </a>
            <a href={`/api/admin/shows/${show.id}/attendees.csv`} download className="btn btn-ghost btn-sm" data-testid="export-attendees">
              {t('admin.dashboard.attendeesCsv')}
            </a>
          </>
        }
      >
        <span className="dashboard-meta">
          <time dateTime={show.startsAt}>{formatDateTime(show.startsAt, show.venue.timeZone)}</time> · {show.venue.name}, {show.venue.city}
          <ShowStatusBadge status={show.status} />
        </span>
      </ConsoleHeader>

      <div className="dashboard-live">
        <LiveIndicator connection={connection} />
        <Freshness updatedAt={updatedAt} />
      </div>
      {watchError && <ErrorMessage>{t('admin.dashboard.liveUnavailable', { message: watchError.serverMessage ?? watchError.message })}</ErrorMessage>}
      {error && !stats && <ErrorMessage error={error} />}

      {!stats ? (
        <Spinner label={t('admin.dashboard.waitingFigures')} />
      ) : (
        <>
          <Tiles stats={stats} />
          {history.error && <ErrorMessage error={history.error} />}
          <div className="chart-grid-2">
            <Panel title={t('admin.dashboard.lineLength')} actions={<span className="muted small">{t('admin.dashboard.lineLengthNote')}</span>}>
              <LiveChart points={series.line} label={t('admin.dashboard.lineLengthLabel')} unit={t('admin.dashboard.unitFans')} testId="chart-line-length" color="var(--primary)" />
            </Panel>
            <Panel title={t('admin.dashboard.admissions')} actions={<span className="muted small">{t('admin.dashboard.admissionsNote')}</span>}>
              <LiveChart points={series.admissions} label={t('admin.dashboard.admissions')} unit={t('admin.dashboard.unitFansPerMinute')} testId="chart-admissions" color="var(--accent)" />
            </Panel>
            <Panel title={t('admin.dashboard.soldPerMinute')} actions={<span className="muted small">{t('admin.dashboard.soldNote')}</span>}>
              <LiveChart
                points={series.sold}
                label={t('admin.dashboard.soldPerMinute')}
                unit={t('admin.dashboard.unitTicketsPerMinute')}
                testId="chart-sold"
                color="var(--success, #16a34a)"
                emptyText={t('admin.dashboard.noSales')}
              />
            </Panel>
            <Panel title={t('admin.dashboard.revenuePerMinute')} actions={<span className="muted small">{t('admin.dashboard.soldNote')}</span>}>
              <LiveChart
                points={series.revenue}
                label={t('admin.dashboard.revenuePerMinute')}
                unit={t('admin.dashboard.unitRevenuePerMinute', { currency: history.currency ?? stats.currency })}
                format={(v) => formatMoney(v, history.currency ?? stats.currency)}
                testId="chart-revenue"
                color="var(--warning, #d97706)"
                emptyText={t('admin.dashboard.noSales')}
              />
            </Panel>
          </div>
        </>
      )}

      <Panel title={t('admin.dashboard.areas')} id="dashboard-areas">
        <DataTable headers={[t('admin.dashboard.area'), t('admin.dashboard.price'), t('admin.dashboard.seats'), t('admin.dashboard.available'), t('admin.dashboard.soldOrHeld')]}>
          {show.areas.map((a) => {
            const taken = a.seatCount - a.availableCount;
            return (
              <tr key={a.id}>
                <td>{a.name}</td>
                <td>{formatMoney(a.price, a.currency || currency)}</td>
                <td>{formatCount(a.seatCount)}</td>
                <td>{formatCount(a.availableCount)}</td>
                <td>
                  <div className="mini-meter">
                    <span style={{ width: `${a.seatCount ? Math.round((taken / a.seatCount) * 100) : 0}%` }} />
                  </div>
                  <span className="small">{formatCount(taken)}</span>
                </td>
              </tr>
            );
          })}
        </DataTable>
      </Panel>
      <SalesPanels showId={show.id} zone={show.venue.timeZone} />
    </div>
  );
}

function Freshness({ updatedAt }: { updatedAt: number | null }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  if (updatedAt === null) return <span className="muted small">{t('admin.dashboard.noFigures')}</span>;
  const s = Math.max(0, Math.round((now - updatedAt) / 1000));
  return <span className="muted small">{s <= 1 ? t('admin.dashboard.updatedNow') : t('admin.dashboard.updatedAgo', { seconds: s })}</span>;
}

function Tiles({ stats }: { stats: LiveStats }) {
  const { t } = useTranslation();
  const short = (s: number | null | undefined) => formatSecondsShort(t, s);
  const seats = stats.sold + stats.held + stats.available;
  const pct = (n: number) => (seats ? (n / seats) * 100 : 0);
  const fill = stats.pageCapacity ? Math.min(100, (stats.admitted / stats.pageCapacity) * 100) : 0;
  return (
    <div className="tiles">
      <Tile label={t('admin.dashboard.waiting')} tone="violet">
        <span className="tile-value" data-testid="stat-waiting">
          {formatCount(stats.waiting)}
        </span>
        <span className="tile-sub">{t('admin.dashboard.waitingSub')}</span>
      </Tile>
      <Tile label={t('admin.dashboard.onPage')} tone="blue">
        <span className="tile-value">
          <span data-testid="stat-admitted">{formatCount(stats.admitted)}</span>
          <span className="tile-of"> / {formatCount(stats.pageCapacity)}</span>
        </span>
        <div className="meter" aria-hidden="true">
          <span style={{ width: `${fill}%` }} />
        </div>
        <span className="tile-sub">{t('admin.dashboard.onPageSub')}</span>
      </Tile>
      <Tile label={t('admin.dashboard.perMinute')} tone="pink">
        <span className="tile-value" data-testid="stat-apm">
          {formatRate(stats.admissionsPerMinute)}
        </span>
        <span className="tile-sub">{t('admin.dashboard.perMinuteSub')}</span>
      </Tile>
      <Tile label={t('admin.dashboard.revenue')} tone="green">
        <span className="tile-value" data-testid="stat-revenue">
          {formatMoney(stats.revenue, stats.currency)}
        </span>
        <span className="tile-sub">
          <Trans i18nKey="admin.dashboard.paidOrders" count={stats.paidOrders} components={{ n: <span data-testid="stat-paid-orders" /> }} />
        </span>
      </Tile>
      <Tile label={t('admin.dashboard.seats')} tone="green">
        <span className="tile-value">
          <span data-testid="stat-sold">{formatCount(stats.sold)}</span>
          <span className="tile-of"> {t('admin.dashboard.sold')}</span>
        </span>
        <div className="stacked" aria-hidden="true">
          <span className="stacked-sold" style={{ width: `${pct(stats.sold)}%` }} />
          <span className="stacked-held" style={{ width: `${pct(stats.held)}%` }} />
        </div>
        <span className="tile-sub tile-legend">
          <span>
            <i className="dot dot-held" /> <Trans i18nKey="admin.dashboard.held" count={stats.held} components={{ n: <span data-testid="stat-held" /> }} />
          </span>
          <span>
            <i className="dot dot-available" />{' '}
            <Trans i18nKey="admin.dashboard.availableCount" count={stats.available} components={{ n: <span data-testid="stat-available" /> }} />
          </span>
        </span>
      </Tile>
      <Tile label={t('admin.dashboard.actualWait')} tone="amber">
        <span className="tile-value tile-value-pair">
          <span>
            <small>{t('admin.dashboard.mean')}</small> <span data-testid="stat-mean-wait">{short(stats.meanWaitSeconds)}</span>
          </span>
          <span>
            <small>{t('admin.dashboard.p90')}</small> <span data-testid="stat-p90-wait">{short(stats.p90WaitSeconds)}</span>
          </span>
        </span>
        <span className="tile-sub">
          {stats.waitSamples ? t('admin.dashboard.waitSamples', { count: stats.waitSamples }) : t('admin.dashboard.nobodyWaited')}
        </span>
      </Tile>
      <Tile label={t('admin.dashboard.etaError')} tone="grey">
        <span className="tile-value tile-value-pair">
          <span>
            <small>{t('admin.dashboard.promised')}</small> <span data-testid="stat-eta-error">{formatError(t, stats.etaErrorSeconds)}</span>
          </span>
          <span>
            <small>{t('admin.dashboard.likely')}</small> <span data-testid="stat-eta-likely-error">{formatError(t, stats.etaLikelyErrorSeconds)}</span>
          </span>
        </span>
        <span className="tile-sub">{t('admin.dashboard.etaErrorSub')}</span>
      </Tile>
    </div>
  );
}

function Tile({ label, tone, children }: { label: string; tone: string; children: ReactNode }) {
  return (
    <div className={`tile card tile-${tone}`}>
      <span className="tile-label">{label}</span>
      {children}
    </div>
  );
}

const formatRate = (n: number) => (Number.isInteger(n) ? formatCount(n) : n.toFixed(1));
const formatError = (t: TFunction, s: number | null | undefined) => (s === null || s === undefined ? '—' : `± ${formatSecondsShort(t, s)}`);
