import { useState } from 'react';

/** An event's poster, or a tasteful gradient with initials when there is none (or it fails to load). */
export function EventImage({ src, title, className = '' }: { src: string | null | undefined; title: string; className?: string }) {
  const [failed, setFailed] = useState(false);
  if (src && !failed) {
    return <img className={`event-image ${className}`} src={src} alt="" loading="lazy" onError={() => setFailed(true)} />;
  }
  const initials = title
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('');
  let hue = 0;
  for (const ch of title) hue = (hue * 31 + ch.charCodeAt(0)) % 360;
  return (
    <div
      className={`event-image event-image-fallback ${className}`}
      style={{ background: `linear-gradient(135deg, hsl(${hue} 70% 45%), hsl(${(hue + 60) % 360} 70% 30%))` }}
      aria-hidden="true"
    >
      <span>{initials || '♪'}</span>
    </div>
  );
}
