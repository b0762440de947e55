/** A tiny signal for "the logged-in account changed", so modules can react without importing each other. */
const listeners = new Set<() => void>();

export function onSessionChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function sessionChanged(): void {
  for (const fn of listeners) fn();
}
