/** The frame every email shares: plain text, and the same as simple HTML in which no user text is markup. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Paragraphs of plain text (user text included as is: it is escaped here), and one button link. */
export function layout(subject: string, paragraphs: string[], action?: { label: string; url: string }, footer?: string): RenderedMail {
  const text = [...paragraphs, ...(action ? [`${action.label}: ${action.url}`] : []), ...(footer ? ['--', footer] : [])].join('\n\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5;color:#111">',
    ...paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`),
    action ? `<p><a href="${escapeHtml(action.url)}" style="display:inline-block;padding:10px 16px;background:#4f46e5;color:#fff;text-decoration:none;border-radius:6px">${escapeHtml(action.label)}</a></p>` : '',
    footer ? `<p style="color:#666;font-size:12px">${escapeHtml(footer)}</p>` : '',
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
