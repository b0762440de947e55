/** An organizer's description: Markdown, with the renderer loaded on demand (plain paragraphs meanwhile). */
import { lazy, Suspense } from 'react';

const Markdown = lazy(() => import('./Markdown.js'));

export function RichText({ text, className = '' }: { text: string; className?: string }) {
  return (
    <Suspense fallback={<PlainText text={text} className={className} />}>
      <Markdown text={text} className={className} />
    </Suspense>
  );
}

/** The text as plain paragraphs (React escapes it): the fallback while Markdown loads. */
export function PlainText({ text, className = '' }: { text: string; className?: string }) {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return (
    <div className={`markdown ${className}`}>
      {paragraphs.map((p, i) => (
        <p key={i}>{p}</p>
      ))}
    </div>
  );
}
