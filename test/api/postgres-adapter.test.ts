import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgres } from '../../src/server/adapters/postgres/postgres-database.js';
import type { Database } from '../../src/server/platform/database.js';
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
});
