import { mkdir } from 'node:fs/promises';
import { PGlite, types } from '@electric-sql/pglite';
import type { Database, Queryable } from '../../platform/database.js';

const parsers = {
  [types.INT8]: (v: string) => Number(v),
  [types.NUMERIC]: (v: string) => Number(v),
};

/** The embedded PostgreSQL: same SQL, one process. dataDir undefined means in memory. */
export async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, { parsers });

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
  };
}
