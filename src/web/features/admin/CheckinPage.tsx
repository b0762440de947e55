import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { Ticket } from '../../../shared/api.js';
import { adminApi, toApiError } from '../../lib/api.js';
import { formatDateTime, formatTime } from '../../lib/format.js';
import { useDocumentTitle } from '../../lib/hooks.js';
import { ConsoleHeader, Panel } from './admin-ui.js';

type Result =
  | { kind: 'valid'; code: string; ticket: Ticket; at: number }
  | { kind: 'used'; code: string; checkedInAt: string | null; at: number }
  | { kind: 'unknown'; code: string; at: number }
  | { kind: 'error'; code: string; message: string; at: number };

/** /admin/checkin — at the door: paste or type a ticket code, or scan its QR code with the camera. */
export function CheckinPage() {
  useDocumentTitle('Check-in · Console');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [recent, setRecent] = useState<Result[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const busyRef = useRef(false);

  const check = useCallback(async (raw: string) => {
    const value = raw.trim();
    if (!value || busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    let r: Result;
    try {
      const { ticket } = await adminApi.checkin(value);
      r = { kind: 'valid', code: value, ticket, at: Date.now() };
    } catch (e) {
      const err = toApiError(e);
      if (err.code === 'ALREADY_CHECKED_IN') {
        const at = (err.details as { checkedInAt?: unknown } | undefined)?.checkedInAt;
        r = { kind: 'used', code: value, checkedInAt: typeof at === 'string' ? at : null, at: Date.now() };
      } else if (err.code === 'NOT_FOUND' || err.code === 'VALIDATION_FAILED') r = { kind: 'unknown', code: value, at: Date.now() };
      else r = { kind: 'error', code: value, message: err.message, at: Date.now() };
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
      <ConsoleHeader eyebrow="Console" title="Check-in">
        Scan a ticket's QR code or paste its code. Each ticket lets one person in, once.
      </ConsoleHeader>

      <div className="checkin-layout">
        <Panel title="Ticket code" className="checkin-code-panel">
          <form className="checkin-form" onSubmit={submit}>
            <label htmlFor="checkin-code" className="visually-hidden">
              Ticket code
            </label>
            <input
              id="checkin-code"
              ref={input}
              className="input input-lg"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              placeholder="Paste or type the code"
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
              maxLength={200}
              autoFocus
              data-testid="checkin-code"
            />
            <button type="submit" className="btn btn-primary btn-lg" disabled={busy || !code.trim()} data-testid="checkin-submit">
              {busy ? 'Checking…' : 'Check in'}
            </button>
          </form>
        </Panel>
        <div className="checkin-result-area">
          <ResultPanel result={result} />
        </div>
        <div className="checkin-scanner-area">
          <Scanner onCode={(c) => void check(c)} paused={busy} />
        </div>
        {recent.length > 1 && (
          <Panel title="Recent" className="checkin-recent-panel">
            <ul className="checkin-recent">
              {recent.slice(1).map((r) => (
                <li key={`${r.at}-${r.code}`} className={`checkin-recent-item is-${r.kind}`}>
                  <span className="checkin-recent-dot" aria-hidden="true" />
                  <code>{r.code.length > 18 ? `${r.code.slice(0, 18)}…` : r.code}</code>
                  <span className="muted small">
                    {LABEL[r.kind]} · {formatTime(new Date(r.at).toISOString(), undefined)}
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

const LABEL: Record<Result['kind'], string> = { valid: 'Valid', used: 'Already used', unknown: 'Unknown', error: 'Not checked' };

function ResultPanel({ result }: { result: Result | null }) {
  if (!result) {
    return (
      <div className="checkin-result is-idle card" data-testid="checkin-idle">
        <p className="checkin-result-title">Ready</p>
        <p className="checkin-result-text">The result of each scan shows here.</p>
      </div>
    );
  }
  // A new element per result, so screen readers announce it and the flash animation runs again.
  return (
    <div key={result.at} className={`checkin-result card is-${result.kind}`} role="status" aria-live="assertive" data-testid="checkin-result" data-result={result.kind}>
      <div className="checkin-result-icon" aria-hidden="true">
        {result.kind === 'valid' ? '✓' : result.kind === 'used' ? '!' : '✕'}
      </div>
      {result.kind === 'valid' && (
        <>
          <p className="checkin-result-title">Valid — let them in</p>
          <p className="checkin-result-text">
            {[result.ticket.areaName, result.ticket.row !== undefined ? `Row ${result.ticket.row}` : '', result.ticket.number !== undefined ? `Seat ${result.ticket.number}` : '']
              .filter(Boolean)
              .join(' · ')}
          </p>
        </>
      )}
      {result.kind === 'used' && (
        <>
          <p className="checkin-result-title">Already used</p>
          <p className="checkin-result-text">
            This ticket was checked in{result.checkedInAt ? ` at ${formatDateTime(result.checkedInAt, undefined)}` : ' before'}. Do not let a second person in with it.
          </p>
        </>
      )}
      {result.kind === 'unknown' && (
        <>
          <p className="checkin-result-title">Unknown ticket</p>
          <p className="checkin-result-text">No ticket has this code. Check it was scanned or typed completely.</p>
        </>
      )}
      {result.kind === 'error' && (
        <>
          <p className="checkin-result-title">Could not check</p>
          <p className="checkin-result-text">{result.message}</p>
        </>
      )}
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
  const supported = detectorCtor() !== undefined;
  const [on, setOn] = useState(false);
  const [error, setError] = useState<string | null>(null);
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
        setError(e instanceof DOMException && e.name === 'NotAllowedError' ? 'Camera access was refused. Allow it in the browser, or paste codes.' : 'The camera could not be started. Paste codes instead.');
        setOn(false);
      });
    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [on]);

  return (
    <Panel title="Scan with the camera">
      {!supported ? (
        <p className="muted small" data-testid="scanner-unsupported">
          This browser cannot read QR codes from the camera. Paste or type the code above — a handheld scanner that types works too.
        </p>
      ) : (
        <div className="scanner">
          {on && <video ref={video} className="scanner-video" muted playsInline aria-label="Camera view" />}
          {error && <p className="field-error">{error}</p>}
          <button type="button" className={`btn ${on ? 'btn-secondary' : 'btn-primary'}`} onClick={() => {
              setError(null);
              setOn((x) => !x);
            }} data-testid="scanner-toggle">
            {on ? 'Stop camera' : 'Start camera'}
          </button>
        </div>
      )}
    </Panel>
  );
}
