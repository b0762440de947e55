/**
 * Event descriptions written by organizers, as Markdown rendered to React elements.
 * Safe by construction: raw HTML in the text is dropped (no rehype-raw, `skipHtml`), only a short
 * list of elements is allowed, link URLs go through react-markdown's default filter (no
 * `javascript:`), and external links open without access to this page.
 */
import ReactMarkdown, { type Components } from 'react-markdown';

const ALLOWED = ['p', 'br', 'strong', 'em', 'del', 'a', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'h2', 'h3', 'h4', 'hr'];

const components: Components = {
  // A description's headings sit under the page's own h1/h2.
  h1: ({ children }) => <h3>{children}</h3>,
  // A link to a page of this site (/contact) opens here; any other in a new tab, without access to this one.
  a: ({ href, children }) =>
    href && /^\/(?!\/)/.test(href) ? (
      <a href={href}>{children}</a>
    ) : (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow ugc">
        {children}
      </a>
    ),
};

export default function Markdown({ text, className = '' }: { text: string; className?: string }) {
  return (
    <div className={`markdown ${className}`} data-testid="markdown">
      <ReactMarkdown skipHtml allowedElements={[...ALLOWED, 'h1']} unwrapDisallowed components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
