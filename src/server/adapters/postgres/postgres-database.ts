import pg from 'pg';
import type { Database, Queryable } from '../../platform/database.js';
import { MIGRATION_LOCK } from '../../platform/database.js';

// Counts, sums and bigints come back as strings by default; our numbers fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export interface PostgresOptions {
  url: string;
  /** Every connection uses this schema (created if missing): how tests isolate runs. */
  schema?: string;
  max?: number;
}

/**
 * Statements with parameters are named, so each pooled connection parses and plans them once and
 * then only binds and executes (the `pg` client remembers which names a connection has prepared).
 * The name follows the text; past MAX_PREPARED distinct texts the rest run unnamed.
 */
const MAX_PREPARED = 1_000;
const prepared = new Map<string, string | null>();
function statement(text: string, params: readonly unknown[] | undefined): pg.QueryConfig {
  const values = params as unknown[] | undefined;
  if (!values || values.length === 0) return { text, values };
  let name = prepared.get(text);
  if (name === undefined && prepared.size < MAX_PREPARED) prepared.set(text, (name = `tc${prepared.size}`));
  return name ? { name, text, values } : { text, values };
}

/**
 * A migration run by another process (a rolling deploy) can change a table under a prepared
 * `SELECT *`: PostgreSQL then refuses that statement on every connection that prepared it. Such a
 * text runs unnamed from then on; the caller may retry.
 */
function unprepareIfStale(e: unknown, text: string): boolean {
  const stale = (e as { code?: string }).code === '0A000' && /cached plan must not change result type/.test(String((e as Error).message));
  if (stale && prepared.get(text)) prepared.set(text, null);
  return stale;
}

export async function openPostgres(opts: PostgresOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 20,
    options: opts.schema ? `-c search_path=${opts.schema}` : undefined,
  });
  pool.on('error', () => {
    // An idle client died (server restart); the pool replaces it on next use.
  });
  if (opts.schema) {
    // Instances starting together on a new schema: IF NOT EXISTS alone lets two of them collide.
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  const run: Queryable['query'] = async (sql, params) => {
    let r: pg.QueryResult;
    try {
      r = await pool.query(statement(sql, params));
    } catch (e) {
      if (!unprepareIfStale(e, sql)) throw e;
      r = await pool.query(statement(sql, params));
    }
    return { rows: r.rows, rowCount: r.rowCount ?? 0 };
  };

  return {
    kind: 'postgres',
    query: run,
    async transaction(fn) {
      const client = await pool.connect();
      const tx: Queryable = {
        query: async (sql, params) => {
          // Inside a transaction the error has aborted it: no retry, but the next one runs unnamed.
          const r = await client.query(statement(sql, params)).catch((e: unknown) => {
            unprepareIfStale(e, sql);
            throw e;
          });
          return { rows: r.rows, rowCount: r.rowCount ?? 0 };
        },
      };
      try {
        await client.query('BEGIN');
        const out = await fn(tx);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
