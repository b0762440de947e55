/**
 * Places where a test widens a race window on purpose (a delay, or a pause until the test lets
 * go), so a race is proven by construction rather than by luck, or a crash is staged. buildApp
 * takes them from its deps and hands the one object on, never a copy: tests set hooks on it after
 * the app is built. main.ts sets them only with NODE_ENV=test (test-faults.ts, draw.ts), so a
 * server runs straight through.
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
  /** A standing area's shrink, inside its transaction: its places to remove are chosen, not deleted yet. */
  areaShrink?(): Promise<void>;
  /** A standing area's growth, inside its transaction: its new places are on sale in the shows that sell the area, not committed yet. */
  areaGrow?(): Promise<void>;
  /** A payment: the order was read as payable; its attempt is not recorded yet. */
  beforeAttempt?(orderId: string): void | Promise<void>;
  /** A payment: the attempt is recorded, the provider not asked yet. */
  beforeCharge?(orderId: string): void | Promise<void>;
  /** A payment: the provider charged the card; nothing of it is written on our side yet (a crash hurts most here). */
  afterCharge?(orderId: string): void | Promise<void>;
}
