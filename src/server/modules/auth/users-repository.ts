import type { Locale } from '../../../shared/api.js';
import type { Queryable } from '../../platform/database.js';

export interface UserRow {
  id: string;
  name: string;
  email: string;
  role: 'customer' | 'admin';
  password_hash: string;
  locale: Locale;
}

/** The users table: every statement on it is a named step here. Emails are one account however they are capitalised. */
export class UsersRepository {
  constructor(private readonly q: Queryable) {}

  /** Throws the database's unique violation (23505) when the email is taken. */
  async create(u: { name: string; email: string; passwordHash: string; locale: Locale }): Promise<UserRow> {
    const { rows } = await this.q.query<UserRow>(`INSERT INTO users (name, email, password_hash, locale) VALUES ($1, $2, $3, $4) RETURNING *`, [
      u.name,
      u.email,
      u.passwordHash,
      u.locale,
    ]);
    return rows[0]!;
  }

  /** The language of the account's emails and ticket PDFs. */
  async setLocale(id: string, locale: Locale): Promise<void> {
    await this.q.query(`UPDATE users SET locale = $2 WHERE id = $1`, [id, locale]);
  }

  /** Creates the account unless the email is taken; returns its id, undefined when it existed. */
  async createIfNew(u: { name: string; email: string; passwordHash: string; role: UserRow['role'] }): Promise<string | undefined> {
    const { rows } = await this.q.query<{ id: string }>(
      `INSERT INTO users (name, email, password_hash, role) VALUES ($1, $2, $3, $4)
       ON CONFLICT (lower(email)) DO NOTHING RETURNING id`,
      [u.name, u.email, u.passwordHash, u.role],
    );
    return rows[0]?.id;
  }

  async byEmail(email: string): Promise<UserRow | undefined> {
    const { rows } = await this.q.query<UserRow>(`SELECT * FROM users WHERE lower(email) = lower($1)`, [email]);
    return rows[0];
  }

  /** The account of this email, its row locked until the transaction ends. */
  async lockByEmail(email: string): Promise<Pick<UserRow, 'id' | 'role' | 'password_hash'> | undefined> {
    const { rows } = await this.q.query<Pick<UserRow, 'id' | 'role' | 'password_hash'>>(
      `SELECT id, role, password_hash FROM users WHERE lower(email) = lower($1) FOR UPDATE`,
      [email],
    );
    return rows[0];
  }

  /** The account's name (undefined: no such account). */
  /** How an email greets the account, and in which language. */
  async addressee(id: string): Promise<{ name: string; locale: Locale } | undefined> {
    const { rows } = await this.q.query<{ name: string; locale: Locale }>(`SELECT name, locale FROM users WHERE id = $1`, [id]);
    return rows[0];
  }

  async setPassword(id: string, passwordHash: string): Promise<void> {
    await this.q.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [id, passwordHash]);
  }

  async setPasswordAndRole(id: string, passwordHash: string, role: UserRow['role']): Promise<void> {
    await this.q.query(`UPDATE users SET password_hash = $2, role = $3 WHERE id = $1`, [id, passwordHash, role]);
  }

  /**
   * Load-test accounts: one per email (named by its local part), all with this password hash;
   * an existing account of the email gets the new password (`existed`).
   */
  async upsertWithPassword(emails: string[], passwordHash: string): Promise<{ id: string; email: string; existed: boolean }[]> {
    // xmax is 0 only for a row this statement inserted: the others existed and got a new password.
    const { rows } = await this.q.query<{ id: string; email: string; existed: boolean }>(
      `INSERT INTO users (name, email, password_hash)
         SELECT split_part(e, '@', 1), e, $2 FROM unnest($1::text[]) AS e
       ON CONFLICT (lower(email)) DO UPDATE SET password_hash = EXCLUDED.password_hash
       RETURNING id, email, (xmax <> 0) AS existed`,
      [emails, passwordHash],
    );
    return rows;
  }
}
