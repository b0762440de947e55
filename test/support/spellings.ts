/** The id with the letters picked by `mask` (bit i: the i-th letter) in capitals; mask 0 is the id itself. */
export function spelling(id: string, mask: number): string {
  let i = 0;
  return id.replace(/[a-f]/g, (c) => (mask & (1 << i++) ? c.toUpperCase() : c));
}
