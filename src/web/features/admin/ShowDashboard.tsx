import { useEffect, useMemo, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ShowStatusBadge } from '../../components/Badge.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { PageMessage } from '../../components/PageMessage.js';
import { Spinner } from '../../components/Spinner.js';
import { adminApi, api, type LiveStats } from '../../lib/api.js';
import { formatCount, formatDateTime, formatMoney, plural } from '../../lib/format.js';
import { useDocumentTitle, useLoad, useNow } from '../../lib/hooks.js';
import { LiveIndicator } from '../../components/LiveIndicator.js';
import { ConsoleHeader, Panel, formatSecondsShort } from './admin-ui.js';
import { LiveChart, compactNumber, type ChartPoint } from './LiveChart.js';
import { useLiveStats } from './use-live-stats.js';
import { SalesPanels } from './SalesPanels.js';

/** /admin/shows/:showId — the sale as it happens: the line, the selling page, seats, waits, and two live charts. */
export function ShowDashboard() {
  const showId = (useParams().showId ?? '').toLowerCase();
  const showLoad = useLoad(() => api.show(showId), [showId]);
  const show = showLoad.status === 'ok' ? showLoad.data.show : undefined;
  const { stats, history, error, watchError, connection, updatedAt } = useLiveStats(showId);
  useDocumentTitle(show ? `Live · ${show.eventTitle}` : 'Live dashboard');

  // The per-area counts come from the show: refresh them when seats move (at most every few seconds).
  const seatsKey = stats ? `${stats.sold}/${stats.held}` : '';
  const reloadShow = showLoad.reload;
  useEffect(() => {
    if (!seatsKey) return;
    const t = setTimeout(reloadShow, 1500);
    return () => clearTimeout(t);
  }, [seatsKey, reloadShow]);

  // Sales come from the database, minute by minute: the chart is whole after a reload or a restart.
  const sales = useLoad(() => adminApi.salesHistory(showId, 60), [showId]);
  const reloadSales = sales.reload;
  useEffect(() => {
    if (!seatsKey) return;
    const t = setTimeout(reloadSales, 2000);
    return () => clearTimeout(t);
  }, [seatsKey, reloadSales]);
  const soldPerMinute = useMemo<ChartPoint[]>(
    () => (sales.status === 'ok' ? sales.data.points.map((p) => ({ t: Date.parse(p.at), v: p.sold })) : []),
    [sales],
  );

  const lineLength = useMemo<ChartPoint[]>(() => history.map((s) => ({ t: Date.parse(s.at), v: s.waiting })), [history]);
  const admissions = useMemo<ChartPoint[]>(() => history.map((s) => ({ t: Date.parse(s.at), v: s.admissionsPerMinute / 60 })), [history]);

  if (showLoad.status === 'error' || error?.code === 'NOT_FOUND') {
    const missing = showLoad.error?.code === 'NOT_FOUND' || showLoad.error?.code === 'VALIDATION_FAILED' || error?.code === 'NOT_FOUND';
    return (
      <PageMessage
        icon="error"
        title={missing ? 'Show not found' : 'Could not load this show'}
        actions={
          <Link to="/admin" className="btn btn-primary">
            Events &amp; shows
          </Link>
        }
      >
        {missing ? <p>This show does not exist.</p> : <ErrorMessage error={showLoad.error} />}
      </PageMessage>
    );
  }
  if (!show) return <Spinner label="Loading the show…" />;

  const currency = show.areas[0]?.currency ?? 'TWD';
  return (
    <div className="console-page dashboard">
      <ConsoleHeader
        eyebrow={<Link to="/admin">← Events &amp; shows</Link>}
        title={show.eventTitle}
        actions={
          <>
            <Link to={`/admin/events/${show.eventId}#show-${show.id}`} className="btn btn-secondary btn-sm">
              Edit show
            </Link>
            <Link to={`/events/${show.eventId}`} className="btn btn-ghost btn-sm">
              Public page
            </Link>
            <a href={`/api/admin/shows/${show.id}/orders.csv`} download className="btn btn-ghost btn-sm" data-testid="export-orders">
              Orders (CSV)
            </a>
            <a href={`/api/admin/shows/${show.id}/attendees.csv`} download className="btn btn-ghost btn-sm" data-testid="export-attendees">
              Attendees (CSV)
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
      {watchError && <ErrorMessage>Live updates are not available: {watchError.serverMessage ?? watchError.message}</ErrorMessage>}
      {error && !stats && <ErrorMessage error={error} />}

      {!stats ? (
        <Spinner label="Waiting for the first figures…" />
      ) : (
        <>
          <Tiles stats={stats} />
          <div className="chart-grid-2">
            <Panel title="Line length" actions={<span className="muted small">fans waiting · up to 5 min</span>}>
              <LiveChart points={lineLength} label="Fans waiting in line" testId="chart-line-length" color="var(--primary)" />
            </Panel>
            <Panel title="Admissions per second" actions={<span className="muted small">recent average · up to 5 min</span>}>
              <LiveChart
                points={admissions}
                label="Admissions per second"
                testId="chart-admissions"
                color="var(--accent)"
                format={compactNumber}
              />
            </Panel>
          </div>
          <Panel title="Tickets sold per minute" actions={<span className="muted small">from the orders · last hour</span>}>
            <LiveChart points={soldPerMinute} windowSeconds={3600} label="Tickets sold per minute" testId="chart-sold" color="var(--success, #16a34a)" emptyText="No sales yet" />
          </Panel>
        </>
      )}

      <Panel title="Areas" id="dashboard-areas">
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Area</th>
                <th scope="col">Price</th>
                <th scope="col">Seats</th>
                <th scope="col">Available</th>
                <th scope="col">Sold or held</th>
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
        </div>
      </Panel>
      <SalesPanels showId={show.id} zone={show.venue.timeZone} />
    </div>
  );
}

function Freshness({ updatedAt }: { updatedAt: number | null }) {
  const now = useNow(1000);
  if (updatedAt === null) return <span className="muted small">No figures yet</span>;
  const s = Math.max(0, Math.round((now - updatedAt) / 1000));
  return <span className="muted small">Updated {s <= 1 ? 'just now' : `${s} s ago`}</span>;
}

function Tiles({ stats }: { stats: LiveStats }) {
  const seats = stats.sold + stats.held + stats.available;
  const pct = (n: number) => (seats ? (n / seats) * 100 : 0);
  const fill = stats.pageCapacity ? Math.min(100, (stats.admitted / stats.pageCapacity) * 100) : 0;
  return (
    <div className="tiles">
      <Tile label="Waiting in line" tone="violet">
        <span className="tile-value" data-testid="stat-waiting">
          {formatCount(stats.waiting)}
        </span>
        <span className="tile-sub">fans in the waiting room</span>
      </Tile>
      <Tile label="On the selling page" tone="blue">
        <span className="tile-value">
          <span data-testid="stat-admitted">{formatCount(stats.admitted)}</span>
          <span className="tile-of"> / {formatCount(stats.pageCapacity)}</span>
        </span>
        <div className="meter" aria-hidden="true">
          <span style={{ width: `${fill}%` }} />
        </div>
        <span className="tile-sub">admitted of the page's capacity</span>
      </Tile>
      <Tile label="Admissions per minute" tone="pink">
        <span className="tile-value" data-testid="stat-apm">
          {formatRate(stats.admissionsPerMinute)}
        </span>
        <span className="tile-sub">recent average rate</span>
      </Tile>
      <Tile label="Revenue" tone="green">
        <span className="tile-value" data-testid="stat-revenue">
          {formatMoney(stats.revenue, stats.currency)}
        </span>
        <span className="tile-sub">
          from <span data-testid="stat-paid-orders">{formatCount(stats.paidOrders)}</span> paid {stats.paidOrders === 1 ? 'order' : 'orders'}
        </span>
      </Tile>
      <Tile label="Seats" tone="green">
        <span className="tile-value">
          <span data-testid="stat-sold">{formatCount(stats.sold)}</span>
          <span className="tile-of"> sold</span>
        </span>
        <div className="stacked" aria-hidden="true">
          <span className="stacked-sold" style={{ width: `${pct(stats.sold)}%` }} />
          <span className="stacked-held" style={{ width: `${pct(stats.held)}%` }} />
        </div>
        <span className="tile-sub tile-legend">
          <span>
            <i className="dot dot-held" /> <span data-testid="stat-held">{formatCount(stats.held)}</span> held
          </span>
          <span>
            <i className="dot dot-available" /> <span data-testid="stat-available">{formatCount(stats.available)}</span> available
          </span>
        </span>
      </Tile>
      <Tile label="Actual wait" tone="amber">
        <span className="tile-value tile-value-pair">
          <span>
            <small>mean</small> <span data-testid="stat-mean-wait">{formatSecondsShort(stats.meanWaitSeconds)}</span>
          </span>
          <span>
            <small>p90</small> <span data-testid="stat-p90-wait">{formatSecondsShort(stats.p90WaitSeconds)}</span>
          </span>
        </span>
        <span className="tile-sub">
          {stats.waitSamples ? `from ${plural(stats.waitSamples, 'fan')} admitted from the line` : 'nobody has waited yet'}
        </span>
      </Tile>
      <Tile label="ETA error so far" tone="grey">
        <span className="tile-value tile-value-pair">
          <span>
            <small>promised</small> <span data-testid="stat-eta-error">{formatError(stats.etaErrorSeconds)}</span>
          </span>
          <span>
            <small>likely</small> <span data-testid="stat-eta-likely-error">{formatError(stats.etaLikelyErrorSeconds)}</span>
          </span>
        </span>
        <span className="tile-sub">median gap between the estimate shown and the real wait</span>
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
const formatError = (s: number | null | undefined) => (s === null || s === undefined ? '—' : `± ${formatSecondsShort(s)}`);
