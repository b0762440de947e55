/** A seat of a seated area as best-available sees it. */
export interface GridSeat {
  id: string;
  row: number;
  number: number;
  free: boolean;
}

/**
 * The best block of `quantity` free seats: adjacent seats of one row, nearest the stage (lowest row
 * first, then lowest number), and never one that leaves a single empty seat between taken seats
 * when another block avoids it. `skip` names seats not to use (lost to another buyer a moment ago).
 * Null when no row has `quantity` adjacent free seats.
 */
export function bestBlock(seats: GridSeat[], quantity: number, skip: ReadonlySet<string> = new Set()): GridSeat[] | null {
  const rows = new Map<number, GridSeat[]>();
  for (const s of seats) {
    const list = rows.get(s.row);
    if (list) list.push(s);
    else rows.set(s.row, [s]);
  }
  let fallback: GridSeat[] | null = null;
  for (const row of [...rows.keys()].sort((a, b) => a - b)) {
    const line = rows.get(row)!.sort((a, b) => a.number - b.number);
    const free = (i: number) => {
      const s = line[i];
      return s !== undefined && s.free && !skip.has(s.id);
    };
    // Taken: a seat that exists and is not free (the row's ends are walls, not taken seats).
    const taken = (i: number) => line[i] !== undefined && !free(i);
    for (let start = 0; start + quantity <= line.length; start++) {
      let ok = true;
      for (let i = start; i < start + quantity && ok; i++) ok = free(i) && (i === start || line[i]!.number === line[i - 1]!.number + 1);
      if (!ok) continue;
      const end = start + quantity - 1;
      const leavesSingle = (free(start - 1) && taken(start - 2)) || (free(end + 1) && taken(end + 2));
      const block = line.slice(start, end + 1);
      if (!leavesSingle) return block;
      fallback ??= block;
    }
  }
  return fallback;
}
