/**
 * npm run verify-draw -- <url> <showId>: fetches the show's published draw and checks it
 * (src/shared/draw-verify.ts). Prints OK or the mismatch; exit code 0 when OK, 1 when not, 2 on
 * a usage or network error.
 */
import { checkDraw } from '../src/shared/draw-verify.js';

async function main(argv: string[]): Promise<number> {
  const [url, showId] = argv;
  if (!url || !showId) {
    console.error('usage: npm run verify-draw -- <url> <showId>');
    return 2;
  }
  const res = await fetch(new URL(`/api/shows/${encodeURIComponent(showId)}/draw`, url));
  const body = (await res.json()) as { commitment: string; seed: string | null; entries: string[] | null; error?: { message: string } };
  if (!res.ok) {
    console.error(`HTTP ${res.status}: ${body.error?.message ?? 'no draw'}`);
    return 2;
  }
  const r = await checkDraw(body);
  if (r.ok) {
    console.log(`OK: sha256(seed) is the commitment ${body.commitment}; ${r.recomputed.length} entries in the published order`);
    return 0;
  }
  console.log(`MISMATCH: ${r.problem}`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
