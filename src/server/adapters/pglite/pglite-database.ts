import { mkdir } from 'node:fs/promises';
import { PGlite, types } from '@electric-sql/pglite';
import type { Database, Queryable } from '../../platform/database.js';

const parsers = {
  [types.INT8]: (v: string) => Number(v),
  [types.NUMERIC]: (v: string) => Number(v),
};

/** The embedded database, with a way to copy its files (tests start each database from one migrated copy). */
export interface PgliteDatabase extends Database {
  /** The database's files as a tarball, which `openPglite(undefined, { from })` starts from. */
  dumpDataDir(): Promise<Blob>;
}

/**
 * The embedded PostgreSQL: same SQL, one process. dataDir undefined means in memory; `from` starts
 * an in-memory database from a copy made by dumpDataDir.
 */
export async function openPglite(dataDir?: string, o: { from?: Blob } = {}): Promise<PgliteDatabase> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const db = o.from ? await PGlite.create({ parsers, loadDataDir: o.from }) : await PGlite.create(dataDir, { parsers });

  const wrap = (q: { query: PGlite['query'] }): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      // PGlite's query() takes one statement; exec() runs a script (migrations) without parameters.
      if (!params?.length && /;\s*\S/.test(sql.trim())) {
        await (q as PGlite).exec(sql);
        return { rows: [] as T[], rowCount: 0 };
      }
      const r = await q.query<T>(sql, params);
      return { rows: r.rows, rowCount: r.rows.length > 0 ? r.rows.length : (r.affectedRows ?? 0) };
    },
  });

  return {
    kind: 'pglite',
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx as unknown as PGlite))),
    close: () => db.close(),
    dumpDataDir: () => db.dumpDataDir('none'),
  };
}
