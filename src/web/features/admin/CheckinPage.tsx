import type { TFunction } from 'i18next';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckinTicket } from '../../../shared/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { seatLabel } from '../../components/OrderParts.js';
import { Spinner } from '../../components/Spinner.js';
import { adminApi, toApiError, type AdminEvent } from '../../lib/api.js';
import { formatDateTime, formatTime } from '../../lib/format.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { ConsoleHeader, Panel } from './admin-ui.js';

type Result = { code: string; at: number; ticket?: CheckinTicket } & (
  | { kind: 'valid'; ticket: CheckinTicket }
  | { kind: 'used'; checkedInAt: string | null }
  | { kind: 'wrong-show' }
  | { kind: 'void' }
  | { kind: 'unknown' }
  | { kind: 'error'; message: string }
);

interface ShowChoice {
  id: string;
  startsAt: string;
  eventTitle: string;
  venueName: string;
  timeZone: string;
}

/** Every show of every event, earliest first. */
function showChoices(events: AdminEvent[]): ShowChoice[] {
  return events
    .flatMap((e) => e.shows.map((s) => ({ id: s.id, startsAt: s.startsAt, eventTitle: e.title, venueName: s.venue.name, timeZone: s.venue.timeZone })))
    .sort((x, y) => Date.parse(x.startsAt) - Date.parse(y.startsAt));
}

const sameDay = (a: Date, b: Date) => a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** The door's likely show: today's first, else the next one to come, else the last one played. */
export function defaultShow(choices: ShowChoice[], now = new Date()): ShowChoice | undefined {
  return (
    choices.find((c) => sameDay(new Date(c.startsAt), now)) ??
    choices.find((c) => Date.parse(c.startsAt) > now.getTime()) ??
    choices.at(-1)
  );
}

const ticketOf = (details: unknown): CheckinTicket | undefined => {
  const t = (details as { ticket?: unknown } | undefined)?.ticket;
  return t && typeof t === 'object' ? (t as CheckinTicket) : undefined;
};

/** /admin/checkin — at the door of one show: paste or type a ticket code, or scan its QR code with the camera. */
export function CheckinPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('admin.pageTitle', { title: t('admin.nav.checkin') }));
  const eventsLoad = useLoad(() => adminApi.events(), []);
  const choices = useMemo(() => (eventsLoad.status === 'ok' ? showChoices(eventsLoad.data.events) : []), [eventsLoad.status, eventsLoad.data]);
  const [picked, setPicked] = useState<string | null>(null);
  const showId = picked ?? defaultShow(choices)?.id ?? '';
  const show = choices.find((c) => c.id === showId);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [recent, setRecent] = useState<Result[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const busyRef = useRef(false);
  const showRef = useRef(showId);
  showRef.current = showId;

  const check = useCallback(async (raw: string) => {
    const value = raw.trim();
    const forShow = showRef.current;
    if (!value || !forShow || busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    let r: Result;
    const at = Date.now();
    try {
      const { ticket } = await adminApi.checkin(value, forShow);
      r = { kind: 'valid', code: value, ticket, at };
    } catch (e) {
      const err = toApiError(e);
      const ticket = ticketOf(err.details);
      if (err.code === 'ALREADY_CHECKED_IN') {
        const when = (err.details as { checkedInAt?: unknown } | undefined)?.checkedInAt;
        r = { kind: 'used', code: value, ticket, checkedInAt: typeof when === 'string' ? when : null, at };
      } else if (err.code === 'WRONG_SHOW') r = { kind: 'wrong-show', code: value, ticket, at };
      else if (err.code === 'TICKET_VOID') r = { kind: 'void', code: value, ticket, at };
      else if (err.code === 'NOT_FOUND' || err.code === 'VALIDATION_FAILED') r = { kind: 'unknown', code: value, at };
      else r = { kind: 'error', code: value, message: err.message, at };
    }
    busyRef.current = false;
    setBusy(false);
    setResult(r);
    setRecent((list) => [r, ...list].slice(0, 8));
    setCode('');
    input.current?.focus();
  }, []);

  function submit(e: FormEvent) {
    e.preventDefault();
    void check(code);
  }

  return (
    <div className="console-page checkin-page">
      <ConsoleHeader eyebrow={t('admin.console')} title={t('admin.nav.checkin')}>
        {t('admin.checkin.lead')}
      </ConsoleHeader>

      <div className="checkin-layout">
        <Panel title={t('admin.checkin.panel')} className="checkin-code-panel">
          {eventsLoad.status === 'loading' && <Spinner label={t('admin.checkin.loadingShows')} />}
          {eventsLoad.status === 'error' && <ErrorMessage error={eventsLoad.error} />}
          {eventsLoad.status === 'ok' && choices.length === 0 && <p className="muted">{t('admin.checkin.noShows')}</p>}
          {choices.length > 0 && (
            <div className="field">
              <label htmlFor="checkin-show" className="field-label">
                {t('admin.checkin.showAtDoor')}
              </label>
              <select
                id="checkin-show"
                className="input"
                value={showId}
                onChange={(e) => {
                  setPicked(e.target.value);
                  setResult(null);
                  input.current?.focus();
                }}
                data-testid="checkin-show"
              >
                {choices.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.eventTitle} — {formatDateTime(c.startsAt, c.timeZone)} · {c.venueName}
                  </option>
                ))}
              </select>
            </div>
          )}
          <form className="checkin-form" onSubmit={submit}>
            <label htmlFor="checkin-code" className="visually-hidden">
              {t('admin.checkin.code')}
            </label>
            <input
              id="checkin-code"
              ref={input}
              className="input input-lg"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              placeholder={t('admin.checkin.codePlaceholder')}
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
              maxLength={200}
              autoFocus
              data-testid="checkin-code"
            />
            <button type="submit" className="btn btn-primary btn-lg" disabled={busy || !code.trim() || !show} data-testid="checkin-submit">
              {busy ? t('admin.checkin.checking') : t('admin.checkin.checkIn')}
            </button>
          </form>
        </Panel>
        <div className="checkin-result-area">
          <ResultPanel result={result} />
        </div>
        <div className="checkin-scanner-area">
          <Scanner onCode={(c) => void check(c)} paused={busy || !show} />
        </div>
        {recent.length > 1 && (
          <Panel title={t('admin.checkin.recent')} className="checkin-recent-panel">
            <ul className="checkin-recent">
              {recent.slice(1).map((r) => (
                <li key={`${r.at}-${r.code}`} className={`checkin-recent-item is-${r.kind}`}>
                  <span className="checkin-recent-dot" aria-hidden="true" />
                  <code>{r.code.length > 18 ? `${r.code.slice(0, 18)}…` : r.code}</code>
                  <span className="muted small">
                    {LABEL[r.kind](t)} · {formatTime(new Date(r.at).toISOString(), undefined)}
                  </span>
                </li>
              ))}
            </ul>
          </Panel>
        )}
      </div>
    </div>
  );
}

const LABEL: Record<Result['kind'], (t: TFunction) => string> = {
  valid: (t) => t('admin.checkin.valid'),
  used: (t) => t('admin.checkin.used'),
  'wrong-show': (t) => t('admin.checkin.wrongShow'),
  void: (t) => t('admin.checkin.void'),
  unknown: (t) => t('admin.checkin.unknown'),
  error: (t) => t('admin.checkin.error'),
};

/** What the ticket is for: the door reads it on every scan, good or bad. */
function TicketFacts({ ticket }: { ticket: CheckinTicket }) {
  const { t } = useTranslation();
  const seat = seatLabel(ticket, t);
  return (
    <dl className="checkin-ticket" data-testid="checkin-ticket">
      <dt className="visually-hidden">{t('admin.checkin.event')}</dt>
      <dd className="checkin-ticket-event" data-testid="checkin-ticket-event">
        {ticket.eventTitle}
      </dd>
      <dt className="visually-hidden">{t('admin.checkin.date')}</dt>
      <dd data-testid="checkin-ticket-date">{formatDateTime(ticket.startsAt, ticket.venueTimeZone)}</dd>
      <dt className="visually-hidden">{t('admin.checkin.seat')}</dt>
      <dd data-testid="checkin-ticket-seat">{seat}</dd>
    </dl>
  );
}

function ResultPanel({ result }: { result: Result | null }) {
  const { t } = useTranslation();
  if (!result) {
    return (
      <div className="checkin-result is-idle card" data-testid="checkin-idle">
        <p className="checkin-result-title">{t('admin.checkin.ready')}</p>
        <p className="checkin-result-text">{t('admin.checkin.readyText')}</p>
      </div>
    );
  }
  const bad = result.kind !== 'valid' && result.kind !== 'used';
  // A new element per result, so screen readers announce it and the flash animation runs again.
  return (
    <div
      key={result.at}
      className={`checkin-result card is-${bad ? 'unknown' : result.kind}`}
      role="status"
      aria-live="assertive"
      data-testid="checkin-result"
      data-result={result.kind}
    >
      <div className="checkin-result-icon" aria-hidden="true">
        {result.kind === 'valid' ? '✓' : result.kind === 'used' ? '!' : '✕'}
      </div>
      {result.kind === 'valid' && <p className="checkin-result-title">{t('admin.checkin.validTitle')}</p>}
      {result.kind === 'used' && (
        <>
          <p className="checkin-result-title">{t('admin.checkin.used')}</p>
          <p className="checkin-result-text">
            {result.checkedInAt ? t('admin.checkin.usedAt', { date: formatDateTime(result.checkedInAt, undefined) }) : t('admin.checkin.usedBefore')}
          </p>
        </>
      )}
      {result.kind === 'wrong-show' && (
        <>
          <p className="checkin-result-title">{t('admin.checkin.wrongTitle')}</p>
          <p className="checkin-result-text">{t('admin.checkin.wrongText')}</p>
        </>
      )}
      {result.kind === 'void' && (
        <>
          <p className="checkin-result-title">{t('admin.checkin.voidTitle')}</p>
          <p className="checkin-result-text">{t('admin.checkin.voidText')}</p>
        </>
      )}
      {result.kind === 'unknown' && (
        <>
          <p className="checkin-result-title">{t('admin.checkin.unknownTitle')}</p>
          <p className="checkin-result-text">{t('admin.checkin.unknownText')}</p>
        </>
      )}
      {result.kind === 'error' && (
        <>
          <p className="checkin-result-title">{t('admin.checkin.errorTitle')}</p>
          <p className="checkin-result-text">{result.message}</p>
        </>
      )}
      {result.ticket && <TicketFacts ticket={result.ticket} />}
      <p className="checkin-result-code">
        <code>{result.code}</code>
      </p>
    </div>
  );
}

// ---- Camera scanning, where the browser has the BarcodeDetector API.

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorCtor = new (opts?: { formats?: string[] }) => BarcodeDetectorLike;

function detectorCtor(): BarcodeDetectorCtor | undefined {
  const ctor = (globalThis as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
  return typeof ctor === 'function' && typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia ? ctor : undefined;
}

function Scanner({ onCode, paused }: { onCode: (code: string) => void; paused: boolean }) {
  const { t } = useTranslation();
  const supported = detectorCtor() !== undefined;
  const [on, setOn] = useState(false);
  const [error, setError] = useState<'refused' | 'failed' | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  useEffect(() => {
    if (!on) return;
    const Ctor = detectorCtor();
    if (!Ctor) return;
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let last = { code: '', at: 0 };
    const detector = new Ctor({ formats: ['qr_code'] });

    const tick = async () => {
      if (stopped) return;
      const v = video.current;
      if (v && v.readyState >= 2 && !pausedRef.current) {
        try {
          const found = await detector.detect(v);
          const value = found[0]?.rawValue?.trim();
          // The same code in front of the camera is read many times a second: act once per 3 s.
          if (value && (value !== last.code || Date.now() - last.at > 3000)) {
            last = { code: value, at: Date.now() };
            onCodeRef.current(value);
          }
        } catch {
          // A frame that could not be read: try the next one.
        }
      }
      timer = setTimeout(() => void tick(), 250);
    };

    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (s) => {
        if (stopped) {
          s.getTracks().forEach((t) => t.stop());
          return;
        }
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          await video.current.play().catch(() => undefined);
        }
        void tick();
      })
      .catch((e: unknown) => {
        setError(e instanceof DOMException && e.name === 'NotAllowedError' ? 'refused' : 'failed');
        setOn(false);
      });
    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [on]);

  return (
    <Panel title={t('admin.checkin.scan')}>
      {!supported ? (
        <p className="muted small" data-testid="scanner-unsupported">
          {t('admin.checkin.unsupported')}
        </p>
      ) : (
        <div className="scanner">
          {on && <video ref={video} className="scanner-video" muted playsInline aria-label={t('admin.checkin.cameraView')} />}
          {error && <p className="field-error">{error === 'refused' ? t('admin.checkin.cameraRefused') : t('admin.checkin.cameraFailed')}</p>}
          <button type="button" className={`btn ${on ? 'btn-secondary' : 'btn-primary'}`} onClick={() => {
              setError(null);
              setOn((x) => !x);
            }} data-testid="scanner-toggle">
            {on ? t('admin.checkin.stopCamera') : t('admin.checkin.startCamera')}
          </button>
        </div>
      )}
    </Panel>
  );
}
