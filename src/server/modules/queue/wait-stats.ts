import type { WaitSample } from './queue-store.js';

export interface WaitFigures {
  /** How many admissions from the line the figures come from. */
  waitSamples: number;
  meanWaitSeconds: number | null;
  p90WaitSeconds: number | null;
  /** Median of |predicted etaSeconds - actual wait|. */
  etaErrorSeconds: number | null;
  etaLikelyErrorSeconds: number | null;
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
};
const round1 = (x: number) => Math.round(x * 10) / 10;

/** Actual waits and how far the two estimates were from them. */
export function waitFigures(samples: WaitSample[]): WaitFigures {
  if (samples.length === 0) {
    return { waitSamples: 0, meanWaitSeconds: null, p90WaitSeconds: null, etaErrorSeconds: null, etaLikelyErrorSeconds: null };
  }
  const waits = samples.map((s) => (s.admittedAt - s.joinedAt) / 1000);
  return {
    waitSamples: samples.length,
    meanWaitSeconds: round1(waits.reduce((a, b) => a + b, 0) / waits.length),
    p90WaitSeconds: round1(quantile(waits, 0.9)),
    etaErrorSeconds: round1(quantile(samples.map((s, i) => Math.abs(s.etaSeconds - waits[i]!)), 0.5)),
    etaLikelyErrorSeconds: round1(quantile(samples.map((s, i) => Math.abs(s.etaLikelySeconds - waits[i]!)), 0.5)),
  };
}
