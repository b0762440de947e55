import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgres } from '../../src/server/adapters/postgres/postgres-database.js';
import { migrate, type Database } from '../../src/server/platform/database.js';
import { PG_URL, uniqueName } from '../support/harness-env.js';
import { describeNeeding } from '../support/needs.js';

/** The PostgreSQL adapter prepares statements: a table changed by another process must not break them. */
describeNeeding(['postgres'], 'PostgreSQL adapter', () => {
  const schema = uniqueName('pgadapter');
  let db: Database;
  let other: pg.Client;

  beforeAll(async () => {
    db = await openPostgres({ url: PG_URL, schema, max: 1 }); // one connection: every call reuses its prepared statements
    other = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
    await other.connect();
    await db.query(`CREATE TABLE t (a int)`);
    await db.query(`INSERT INTO t (a) VALUES (1)`);
  });
  afterAll(async () => {
    await db?.close();
    await other?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await other?.end();
  });

  it('when another process adds a column under a prepared SELECT *, then the next call still answers, with the new column', async () => {
    const sql = `SELECT * FROM t WHERE a = $1`;
    expect((await db.query(sql, [1])).rows).toEqual([{ a: 1 }]);
    await other.query(`ALTER TABLE t ADD COLUMN b int DEFAULT 2`);
    expect((await db.query(sql, [1])).rows).toEqual([{ a: 1, b: 2 }]);
    expect((await db.query(sql, [1])).rows).toEqual([{ a: 1, b: 2 }]);
  });

  it('when that happens inside a transaction, then that transaction fails once and the next one succeeds', async () => {
    const sql = `SELECT * FROM t WHERE a = $1 AND true`;
    await db.transaction((tx) => tx.query(sql, [1]));
    await other.query(`ALTER TABLE t ADD COLUMN c int DEFAULT 3`);
    await expect(db.transaction((tx) => tx.query(sql, [1]))).rejects.toThrow(/cached plan/);
    const again = await db.transaction((tx) => tx.query(sql, [1]));
    expect(again.rows).toEqual([{ a: 1, b: 2, c: 3 }]);
  });

  it('when four instances start together on a new schema, then every one creates the schema and migrates it without colliding', async () => {
    const fresh = uniqueName('pgstart');
    const dbs: Database[] = [];
    try {
      const applied = await Promise.all(
        [0, 1, 2, 3].map(async () => {
          const d = await openPostgres({ url: PG_URL, schema: fresh, max: 2 });
          dbs.push(d);
          return migrate(d);
        }),
      );
      // Each file ran once, by whichever instance got there first; the others found it done.
      const files = applied.flat();
      expect(files.length).toBeGreaterThan(0);
      expect(new Set(files).size).toBe(files.length);
      expect((await dbs[0]!.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations')).rows[0]!.n).toBe(files.length);
    } finally {
      await Promise.all(dbs.map((d) => d.close()));
      await other.query(`DROP SCHEMA IF EXISTS ${fresh} CASCADE`);
    }
  });
});
