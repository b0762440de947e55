/**
 * First come, first served, checked from the clients' side. X certainly joined before Y when X's
 * join response arrived before Y's join request left. A violation: Y was admitted (server time)
 * while such an X was still in line — X was admitted later, left later, or never left at all.
 * Server admission times are taken by each instance just before its Redis step, so two instances
 * can order them a few milliseconds apart: inversions within `toleranceMs` are counted separately.
 */
export interface FifoEntry {
  g: number;
  joinSentAt: number;
  joinRespAt: number;
  /** Server admission time, if admitted. */
  admittedAt?: number;
  /** When it stopped waiting: admittedAt, the time its leave was sent, or Infinity if it never did. */
  exitAt: number;
}

export interface FifoReport {
  checked: number;
  admitted: number;
  violations: number;
  inversionsWithinTolerance: number;
  toleranceMs: number;
  examples: { admitted: number; admittedAt: number; stillWaiting: number; joinedBeforeBy: number; stillWaitingUntil: number | null }[];
}

export function checkFifo(entries: FifoEntry[], toleranceMs: number): FifoReport {
  const byResp = [...entries].sort((a, b) => a.joinRespAt - b.joinRespAt);
  const resp = byResp.map((e) => e.joinRespAt);
  // prefixMax[i]: the latest exit among the first i+1 (by join response), and whose it was.
  const prefixMax: number[] = [];
  const prefixWho: number[] = [];
  byResp.forEach((e, i) => {
    const prev = i > 0 ? prefixMax[i - 1]! : -Infinity;
    if (e.exitAt > prev) {
      prefixMax.push(e.exitAt);
      prefixWho.push(i);
    } else {
      prefixMax.push(prev);
      prefixWho.push(prefixWho[i - 1]!);
    }
  });
  const lastBefore = (t: number): number => {
    let lo = 0;
    let hi = resp.length - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (resp[mid]! < t) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  };
  const out: FifoReport = { checked: entries.length, admitted: 0, violations: 0, inversionsWithinTolerance: 0, toleranceMs, examples: [] };
  for (const y of entries) {
    if (y.admittedAt === undefined) continue;
    out.admitted++;
    const j = lastBefore(y.joinSentAt);
    if (j < 0) continue;
    const latest = prefixMax[j]!;
    if (latest > y.admittedAt + toleranceMs) {
      out.violations++;
      if (out.examples.length < 10) {
        const x = byResp[prefixWho[j]!]!;
        out.examples.push({
          admitted: y.g,
          admittedAt: y.admittedAt,
          stillWaiting: x.g,
          joinedBeforeBy: y.joinSentAt - x.joinRespAt,
          stillWaitingUntil: Number.isFinite(x.exitAt) ? x.exitAt : null,
        });
      }
    } else if (latest > y.admittedAt) out.inversionsWithinTolerance++;
  }
  return out;
}
