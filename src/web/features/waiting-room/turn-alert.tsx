/**
 * "It's your turn" said loudly enough to be noticed in another tab or window: a system
 * notification (when allowed), a short chime (unless switched off) and a flashing tab title.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../../i18n/index.js';

const SOUND_KEY = 'tc:turn-sound';
/** The flashing tab title, in the language shown when the turn comes. */
const turnTitle = (): string => i18n.t('turn.title');
/** The title flashes at least this long, and then until the page is seen. */
const FLASH_MIN_MS = 6_000;
const FLASH_EVERY_MS = 1_000;

export function soundOn(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) !== 'off';
  } catch {
    return true;
  }
}
function setSoundOn(on: boolean): void {
  try {
    localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
  } catch {
    // Private mode: the choice lasts as long as the page.
  }
}

const notifications = (): typeof Notification | undefined => (typeof Notification === 'undefined' ? undefined : Notification);

/** Two soft notes through Web Audio (no file to load); silent where audio is not allowed yet. */
function chime(): void {
  try {
    const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx) return;
    const ctx = new Ctx();
    [0, 0.18].forEach((offset, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = i === 0 ? 880 : 1320;
      gain.gain.setValueAtTime(0.0001, ctx.currentTime + offset);
      gain.gain.exponentialRampToValueAtTime(0.25, ctx.currentTime + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + offset + 0.5);
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + offset);
      osc.stop(ctx.currentTime + offset + 0.55);
    });
    setTimeout(() => void ctx.close(), 1_500);
  } catch {
    // No audio here: the notification and the title still say it.
  }
}

/**
 * Alerts once when this tab sees the account admitted after waiting (or after the draw), not on a
 * refresh of the selling page. `title` is the tab's title to come back to.
 */
export function useTurnAlert(phaseKind: string, title: string, body: string): void {
  const previous = useRef(phaseKind);
  const titleRef = useRef(title);
  titleRef.current = title;
  const bodyRef = useRef(body);
  bodyRef.current = body;
  useEffect(() => {
    const was = previous.current;
    previous.current = phaseKind;
    if (phaseKind !== 'admitted' || (was !== 'waiting' && was !== 'early')) return;

    const N = notifications();
    if (N?.permission === 'granted') {
      try {
        const n = new N(i18n.t('turn.notification'), { body: bodyRef.current, tag: 'tc-turn' });
        n.onclick = () => {
          window.focus();
          n.close();
        };
      } catch {
        // Some browsers only notify from a service worker: the title and the chime remain.
      }
    }
    if (soundOn()) chime();

    const flash = turnTitle();
    const started = Date.now();
    let on = false;
    const t = setInterval(() => {
      const seen = document.visibilityState === 'visible' && document.hasFocus();
      if (Date.now() - started >= FLASH_MIN_MS && seen) {
        clearInterval(t);
        document.title = titleRef.current;
        return;
      }
      on = !on;
      document.title = on ? flash : titleRef.current;
    }, FLASH_EVERY_MS);
    document.title = flash;
    return () => {
      clearInterval(t);
      document.title = titleRef.current;
    };
  }, [phaseKind]);
}

/** While waiting: ask to be notified, and the chime's switch. */
export function TurnAlertSettings() {
  const { t } = useTranslation();
  const N = notifications();
  const [permission, setPermission] = useState<NotificationPermission | 'unsupported'>(N ? N.permission : 'unsupported');
  const [sound, setSound] = useState(soundOn);

  async function ask() {
    if (!N) return;
    try {
      setPermission(await N.requestPermission());
    } catch {
      setPermission(N.permission);
    }
  }

  return (
    <div className="turn-alerts" data-testid="turn-alerts">
      {permission === 'default' && (
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void ask()} data-testid="notify-button">
          {t('turn.notify')}
        </button>
      )}
      {permission === 'granted' && <span className="small" data-testid="notify-on">{t('turn.notifyOn')}</span>}
      {permission === 'denied' && <span className="small muted">{t('turn.blocked')}</span>}
      <label className="turn-sound small">
        <input
          type="checkbox"
          checked={sound}
          onChange={(e) => {
            setSound(e.target.checked);
            setSoundOn(e.target.checked);
          }}
          data-testid="turn-sound"
        />{' '}
        {t('turn.sound')}
      </label>
    </div>
  );
}
