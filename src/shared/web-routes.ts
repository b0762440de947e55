/**
 * The web app's addresses, one list for the React router and for the server, which answers
 * any other address with a 404 (the app's HTML with a "Page not found" page, but the real status).
 */
export const WEB_ROUTES = {
  home: '/',
  event: '/events/:eventId',
  login: '/login',
  signup: '/signup',
  forgotPassword: '/forgot-password',
  resetPassword: '/reset-password',
  profile: '/profile',
  order: '/orders/:orderId',
  show: '/shows/:showId',
  draw: '/shows/:showId/draw',
  admin: '/admin/*',
  help: '/help',
  terms: '/terms',
  privacy: '/privacy',
  contact: '/contact',
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `pathname` is one of the app's pages. A `:somethingId` segment must be an id, so
 * /events/whatever is a 404 without asking the database (an unknown id is the page's own 404).
 */
export function isWebRoute(pathname: string): boolean {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  let segments: string[];
  try {
    segments = path.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return false; // a malformed %-escape
  }
  return Object.values(WEB_ROUTES).some((pattern) => {
    const parts = pattern.split('/').slice(1);
    if (pattern === '/') return path === '/';
    // The router matches case-insensitively (/PROFILE is the profile): so does this.
    const same = (p: string, s: string | undefined) => p.toLowerCase() === s?.toLowerCase();
    if (parts.at(-1) === '*') return parts.slice(0, -1).every((p, i) => same(p, segments[i]));
    if (parts.length !== segments.length) return false;
    return parts.every((p, i) => (p.startsWith(':') ? (p.endsWith('Id') ? UUID.test(segments[i]!) : segments[i] !== '') : same(p, segments[i])));
  });
}
