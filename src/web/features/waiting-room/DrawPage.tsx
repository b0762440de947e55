import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
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
  const { t } = useTranslation();
  const { showId = '' } = useParams();
  const [params] = useSearchParams();
  useDocumentTitle(t('draw.title'));
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
      <h1>{t('draw.title')}</h1>
      <p>{t('draw.intro')}</p>
      <ol>
        <li>
          <Trans i18nKey="draw.step1" components={{ strong: <strong /> }} />
        </li>
        <li>
          <Trans i18nKey="draw.step2" components={{ strong: <strong /> }} />
        </li>
        <li>
          {t('draw.step3')} <code>npm run verify-draw -- &lt;url&gt; {showId}</code>
        </li>
      </ol>
      {drawLoad.status === 'loading' && <Spinner label={t('draw.loading')} />}
      {drawLoad.status === 'error' && <ErrorMessage error={drawLoad.error} />}
      {draw && (
        <dl className="draw-facts">
          <dt>{t('draw.drawAt')}</dt>
          <dd data-testid="draw-at">{formatDateTime(draw.drawAt, zone)}</dd>
          <dt>{t('draw.commitment')}</dt>
          <dd>
            <code data-testid="draw-commitment">{draw.commitment}</code>
          </dd>
          <dt>{t('draw.seed')}</dt>
          <dd>
            <code data-testid="draw-seed">{draw.seed ?? t('draw.seedLater')}</code>
          </dd>
          {draw.entries && (
            <>
              <dt>{t('draw.entries')}</dt>
              <dd data-testid="draw-entries">{formatCount(draw.entries.length)}</dd>
            </>
          )}
          {entry && (
            <>
              <dt>{t('draw.yourEntry')}</dt>
              <dd>
                <code data-testid="draw-my-entry">{entry}</code>
              </dd>
            </>
          )}
        </dl>
      )}
      {check === 'checking' && <Spinner label={t('draw.recomputing')} />}
      {check && check !== 'checking' && (
        <p data-testid="draw-check" className={check.ok ? 'draw-ok' : 'draw-bad'} role="status">
          {check.ok ? t('draw.verified') : t('draw.notVerified', { problem: check.problem })}
        </p>
      )}
      {rank > 0 && (
        <p data-testid="draw-rank">
          <Trans i18nKey="draw.rank" values={{ rank, total: draw!.entries!.length }} components={{ strong: <strong /> }} />
        </p>
      )}
      {entry && check && check !== 'checking' && check.ok && rank === 0 && <p data-testid="draw-rank">{t('draw.notIn')}</p>}
    </div>
  );
}
