/**
 * Checks a published draw with Web Crypto only, so the browser's "how the draw works" page and
 * `npm run verify-draw` run the same code, independent of the server's: sha256(seed) must be the
 * commitment, and the entries sorted ascending by hex HMAC-SHA256(key: the seed's 32 bytes,
 * message: the entryId as UTF-8) must be the published order.
 */
export interface DrawCheck {
  ok: boolean;
  /** Why not, in a sentence (null when ok). */
  problem: string | null;
  /** The order recomputed from the seed. */
  recomputed: string[];
}

const hex = (buf: ArrayBuffer): string => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

function bytesOfHex(s: string): Uint8Array<ArrayBuffer> | null {
  if (!/^(?:[0-9a-f]{2})+$/i.test(s)) return null;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', bytes));
}

/** The drawn order of `entries` for `seedHex`. */
export async function recomputeOrder(seedHex: string, entries: readonly string[]): Promise<string[]> {
  const seed = bytesOfHex(seedHex);
  if (!seed) throw new Error('the seed is not hex');
  const key = await crypto.subtle.importKey('raw', seed, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const enc = new TextEncoder();
  const keyed = await Promise.all(entries.map(async (id) => ({ id, k: hex(await crypto.subtle.sign('HMAC', key, enc.encode(id))) })));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return keyed.map((e) => e.id);
}

export async function checkDraw(d: { commitment: string; seed: string | null; entries: string[] | null }): Promise<DrawCheck> {
  if (d.seed === null || d.entries === null) return { ok: false, problem: 'not drawn yet', recomputed: [] };
  const seed = bytesOfHex(d.seed);
  if (!seed || seed.length !== 32) return { ok: false, problem: 'the seed is not 32 bytes of hex', recomputed: [] };
  const digest = await sha256Hex(seed);
  if (digest !== d.commitment.toLowerCase()) {
    return { ok: false, problem: `sha256(seed) is ${digest}, not the commitment ${d.commitment}`, recomputed: [] };
  }
  const recomputed = await recomputeOrder(d.seed, d.entries);
  const at = recomputed.findIndex((id, i) => id !== d.entries![i]);
  if (at >= 0) return { ok: false, problem: `position ${at + 1}: recomputed ${recomputed[at]}, published ${d.entries[at]}`, recomputed };
  return { ok: true, problem: null, recomputed };
}
