import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import type { DrawResponse } from '../../../shared/api.js';
import { checkDraw, type DrawCheck } from '../../../shared/draw-verify.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Spinner } from '../../components/Spinner.js';
import { api } from '../../lib/api.js';
import { formatCount, formatDateTime } from '../../lib/format.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { rememberedEntry } from './entry-memory.js';

/**
 * "How the draw works": the commitment before the draw; after it, the order recomputed here in the
 * browser with Web Crypto (the same check as `npm run verify-draw`), and the fan's rank.
 */
export function DrawPage() {
  const { showId = '' } = useParams();
  const [params] = useSearchParams();
  useDocumentTitle('How the draw works');
  const showLoad = useLoad(() => api.show(showId), [showId]);
  const drawLoad = useLoad(() => api.draw(showId), [showId]);
  const entry = params.get('entry') ?? rememberedEntry(showId);
  const [check, setCheck] = useState<DrawCheck | 'checking' | null>(null);
  const draw: DrawResponse | undefined = drawLoad.status === 'ok' ? drawLoad.data : undefined;

  useEffect(() => {
    if (!draw?.seed) return;
    setCheck('checking');
    let live = true;
    void checkDraw(draw).then((r) => live && setCheck(r));
    return () => {
      live = false;
    };
  }, [draw]);

  // Before the draw, look again every few seconds: the seed and the order appear when it is made.
  const reload = drawLoad.reload;
  const undrawn = draw !== undefined && draw.seed === null;
  useEffect(() => {
    if (!undrawn) return;
    const t = setInterval(reload, 5_000);
    return () => clearInterval(t);
  }, [undrawn, reload]);

  const show = showLoad.status === 'ok' ? showLoad.data.show : undefined;
  const zone = show?.venue.timeZone;
  const rank = entry && check && check !== 'checking' && check.ok ? check.recomputed.indexOf(entry) + 1 : 0;

  return (
    <div className="container narrow">
      <p>{show && <Link to={`/shows/${showId}`}>← {show.eventTitle}</Link>}</p>
      <h1>How the draw works</h1>
      <p>
        Fans who come before the sale opens enter a draw instead of racing to refresh. When the sale opens, every entry is put in line in a random order,
        ahead of everyone who comes later. Nobody, not even us, can pick that order after seeing the entries:
      </p>
      <ol>
        <li>
          When the queue opens we publish a <strong>commitment</strong>: the SHA-256 of a secret random 32-byte seed.
        </li>
        <li>
          At the draw we publish the <strong>seed</strong> and every <strong>entry</strong>. Anyone can check that the seed's SHA-256 is the commitment.
        </li>
        <li>
          The order is the entries sorted by HMAC-SHA256(seed, entry): this page recomputes it in your browser, and so does{' '}
          <code>npm run verify-draw -- &lt;url&gt; {showId}</code>.
        </li>
      </ol>
      {drawLoad.status === 'loading' && <Spinner label="Loading the draw…" />}
      {drawLoad.status === 'error' && <ErrorMessage error={drawLoad.error} />}
      {draw && (
        <dl className="draw-facts">
          <dt>Draw</dt>
          <dd data-testid="draw-at">{formatDateTime(draw.drawAt, zone)}</dd>
          <dt>Commitment</dt>
          <dd>
            <code data-testid="draw-commitment">{draw.commitment}</code>
          </dd>
          <dt>Seed</dt>
          <dd>
            <code data-testid="draw-seed">{draw.seed ?? 'published at the draw'}</code>
          </dd>
          {draw.entries && (
            <>
              <dt>Entries</dt>
              <dd data-testid="draw-entries">{formatCount(draw.entries.length)}</dd>
            </>
          )}
          {entry && (
            <>
              <dt>Your entry</dt>
              <dd>
                <code data-testid="draw-my-entry">{entry}</code>
              </dd>
            </>
          )}
        </dl>
      )}
      {check === 'checking' && <Spinner label="Recomputing the order…" />}
      {check && check !== 'checking' && (
        <p data-testid="draw-check" className={check.ok ? 'draw-ok' : 'draw-bad'} role="status">
          {check.ok ? 'Verified in your browser: the seed matches the commitment and the order is the published one.' : `Does not verify: ${check.problem}`}
        </p>
      )}
      {rank > 0 && (
        <p data-testid="draw-rank">
          Your entry was drawn <strong>#{formatCount(rank)}</strong> of {formatCount(draw!.entries!.length)}.
        </p>
      )}
      {entry && check && check !== 'checking' && check.ok && rank === 0 && <p data-testid="draw-rank">Your entry is not in this draw.</p>}
    </div>
  );
}
