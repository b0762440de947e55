/**
 * The fan's draw ticket per show, kept in this browser: after the draw the queue answers with a
 * place in line, not the entry, and the draw page still needs it to show the fan's rank.
 */
const key = (showId: string) => `tc:draw-entry:${showId}`;

export function rememberEntry(showId: string, entryId: string): void {
  try {
    localStorage.setItem(key(showId), entryId);
  } catch {
    // Storage refused (private mode): the page asks for the entry instead.
  }
}

export function rememberedEntry(showId: string): string | null {
  try {
    return localStorage.getItem(key(showId));
  } catch {
    return null;
  }
}
