/**
 * Places where a test widens a race window on purpose (a delay, or a pause until the test lets
 * go), so a race is proven by construction rather than by luck. buildApp takes them from its deps;
 * main.ts never sets them, so a server runs straight through.
 */
export interface TestHooks {
  /** queue:watch, after the socket is registered as watching and before the watch completes. */
  queueWatch?(): Promise<void>;
  /** A seat hold, after the first admission check and before its transaction. */
  seatHold?(): Promise<void>;
  /** The waiting room, after an admission ended and before its seats and orders are released. */
  queueRelease?(): Promise<void>;
  /** Checkout, after the first admission check and before its transaction. */
  checkout?(): Promise<void>;
  /** The draw's claim, inside its transaction, after the check that it is not claimed yet. */
  drawClaim?(): Promise<void>;
  /** Putting a draw in line, before each chunk (`offset`: its first position). */
  drawChunk?(showId: string, offset: number): Promise<void>;
}
