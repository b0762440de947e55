import type { Locale, User } from '../../../shared/api.js';
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';
import type { LoginLimiter } from './login-limiter.js';
import { dummyHash, hashPassword, verifyPassword } from './passwords.js';
import { SessionCache } from './session-cache.js';
import { SessionsRepository } from './sessions-repository.js';
import { SESSION_TTL_SECONDS, TokenHashes, hashToken, newToken } from './sessions.js';
import { UsersRepository, type UserRow } from './users-repository.js';

const tablesOn = (q: Queryable) => ({ users: new UsersRepository(q), sessions: new SessionsRepository(q) });

/** The account steps email takes (modules/mail: the name a message greets), on `q`. */
export const accountNames = (q: Queryable): Pick<UsersRepository, 'addressee'> => new UsersRepository(q);

const toUser = (r: UserRow): User => ({ id: r.id, name: r.name, email: r.email, role: r.role });

const isUniqueViolation = (e: unknown): boolean => (e as { code?: string }).code === '23505';

/** How long an instance trusts a session it looked up (see SessionCache). */
export const SESSION_CACHE_MS = 5_000;

/** What `ensureAccount` did, for the start-up log. */
export interface EnsuredAccount {
  userId: string;
  created: boolean;
  /** The role it had before, when it changed. */
  roleChangedFrom?: 'customer' | 'admin';
  passwordChanged: boolean;
  /** Sessions ended because the role or the password changed. */
  revokedSessions: number;
}

export class AuthService {
  private readonly sessions: SessionCache;
  private readonly tokenHashes = new TokenHashes();
  /** Ends sessions on this instance's sockets and on every other instance (set by app.ts). */
  private ended?: (tokenHashes: string[]) => Promise<void>;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly limiter: LoginLimiter,
    cacheMs = SESSION_CACHE_MS,
  ) {
    this.sessions = new SessionCache(cacheMs);
  }

  onSessionsEnded(fn: (tokenHashes: string[]) => Promise<void>): void {
    this.ended = fn;
  }

  /** Drops this instance's copy of a session that ended (here or elsewhere). */
  forgetSession(tokenHash: string): void {
    this.sessions.forget(tokenHash, this.clock.now());
  }

  /** Whether a session ended lately: a lookup that raced its end must not be trusted. */
  wasRevoked(tokenHash: string): boolean {
    return this.sessions.wasRevoked(tokenHash, this.clock.now());
  }

  async signup(input: { name: string; email: string; password: string; locale?: Locale | undefined }): Promise<{ user: User; token: string }> {
    const hash = await hashPassword(input.password);
    try {
      return await this.db.transaction(async (tx) => {
        const user = toUser(await tablesOn(tx).users.create({ name: input.name, email: input.email.trim(), passwordHash: hash, locale: input.locale ?? 'en' }));
        return { user, token: await this.createSession(tx, user.id) };
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError('EMAIL_TAKEN');
      throw e;
    }
  }

  async login(email: string, password: string, ip: string): Promise<{ user: User; token: string }> {
    await this.limiter.begin(email, ip);
    const row = await tablesOn(this.db).users.byEmail(email.trim());
    const ok = await verifyPassword(row?.password_hash ?? (await dummyHash()), password);
    // A failure keeps the point begin() took.
    if (!row || !ok) throw new AppError('INVALID_CREDENTIALS');
    await this.limiter.succeeded(email, ip);
    return { user: toUser(row), token: await this.createSession(this.db, row.id) };
  }

  /** The language the account's emails and ticket PDFs are written in. */
  async setLocale(userId: string, locale: Locale): Promise<void> {
    await tablesOn(this.db).users.setLocale(userId, locale);
  }

  /** Ends the session here and on every instance (cached copies and open sockets) before answering. */
  async logout(token: string): Promise<void> {
    const tokenHash = hashToken(token);
    await tablesOn(this.db).sessions.delete(tokenHash);
    await this.endSessions([tokenHash]);
  }

  /**
   * Every session of an account but `keep`, deleted in the caller's transaction. The caller passes
   * the hashes to `endSessions` once it committed.
   */
  private async deleteSessions(q: Queryable, userIds: string[], keepTokenHash: string | null = null): Promise<string[]> {
    if (userIds.length === 0) return [];
    return tablesOn(q).sessions.deleteOfUsers(userIds, keepTokenHash);
  }

  private async endSessions(tokenHashes: string[]): Promise<void> {
    if (tokenHashes.length === 0) return;
    for (const h of tokenHashes) this.forgetSession(h);
    await this.ended?.(tokenHashes);
  }

  /**
   * Sets a new password for the account `claim` names inside the same transaction (null: nothing
   * changes), and ends every session of that account here and on every instance. Says whether it did.
   */
  async replacePassword(password: string, claim: (tx: Queryable) => Promise<string | null>): Promise<boolean> {
    const hash = await hashPassword(password);
    const revoked = await this.db.transaction(async (tx) => {
      const userId = await claim(tx);
      if (!userId) return null;
      await tablesOn(tx).users.setPassword(userId, hash);
      return this.deleteSessions(tx, [userId]);
    });
    if (revoked === null) return false;
    await this.endSessions(revoked);
    return true;
  }

  /**
   * The account of a token when it is known without the database: null for a token that cannot be
   * one, the account of a session cached here, else undefined (ask `authenticate`). No promise:
   * the guards answer most requests of a busy session with it.
   */
  knownUser(token: string): User | null | undefined {
    if (token.length < 20 || token.length > 200) return null;
    return this.sessions.get(this.tokenHashes.of(token), this.clock.now());
  }

  /** The account a token belongs to, or null when it is unknown, logged out or expired. */
  async authenticate(token: string): Promise<User | null> {
    const known = this.knownUser(token);
    if (known !== undefined) return known;
    const tokenHash = this.tokenHashes.of(token);
    const now = this.clock.now();
    const row = await tablesOn(this.db).sessions.userOf(tokenHash, new Date(now));
    // Read just before a logout deleted it: the session is over all the same.
    if (!row || this.wasRevoked(tokenHash)) return null;
    const user = toUser(row);
    this.sessions.set(tokenHash, user, new Date(row.session_expires_at).getTime(), now);
    return user;
  }

  async createSession(q: Queryable, userId: string): Promise<string> {
    const token = newToken();
    await tablesOn(q).sessions.create(hashToken(token), userId, new Date(this.clock.now() + SESSION_TTL_SECONDS * 1000));
    return token;
  }

  /**
   * Creates or updates an account with a known password (demo accounts, ADMIN_EMAIL). When that
   * changes an existing account's role or password, every session it had ends: whoever held one
   * (say, the person who registered the admin's email first) keeps nothing of it.
   */
  async ensureAccount(input: { name: string; email: string; password: string; role: 'customer' | 'admin' }): Promise<EnsuredAccount> {
    const hash = await hashPassword(input.password);
    const result = await this.db.transaction(async (tx) => {
      const { users } = tablesOn(tx);
      const created = await users.createIfNew({ name: input.name, email: input.email, passwordHash: hash, role: input.role });
      if (created) return { userId: created, created: true, passwordChanged: false, revoked: [] as string[] };
      const row = (await users.lockByEmail(input.email))!;
      const passwordChanged = !(await verifyPassword(row.password_hash, input.password));
      const roleChanged = row.role !== input.role;
      if (!passwordChanged && !roleChanged) return { userId: row.id, created: false, passwordChanged, revoked: [] };
      await users.setPasswordAndRole(row.id, passwordChanged ? hash : row.password_hash, input.role);
      const revoked = await this.deleteSessions(tx, [row.id]);
      return { userId: row.id, created: false, passwordChanged, roleChangedFrom: roleChanged ? row.role : undefined, revoked };
    });
    await this.endSessions(result.revoked);
    const { revoked, ...rest } = result;
    return { ...rest, revokedSessions: revoked.length };
  }

  /**
   * Load-test accounts: `<prefix><i>@load.test`, one password hash shared by all, each with a session.
   * Existing accounts with the same email are reused, so a load run can be repeated; their password
   * changes, so their earlier sessions end.
   */
  async bulkCreate(count: number, prefix: string, password: string): Promise<{ id: string; email: string; token: string }[]> {
    const hash = await hashPassword(password);
    const emails = Array.from({ length: count }, (_, i) => `${prefix}${i + 1}@load.test`.toLowerCase());
    const { users, revoked } = await this.db.transaction(async (tx) => {
      const { users, sessions } = tablesOn(tx);
      const rows = await users.upsertWithPassword(emails, hash);
      const revoked = await this.deleteSessions(
        tx,
        rows.filter((r) => r.existed).map((r) => r.id),
      );
      const tokens = rows.map(() => newToken());
      await sessions.createMany(
        tokens.map(hashToken),
        rows.map((r) => r.id),
        new Date(this.clock.now() + SESSION_TTL_SECONDS * 1000),
      );
      // An existing account may spell its email with capitals: match case-insensitively.
      const byEmail = new Map(rows.map((r, i) => [r.email.toLowerCase(), { id: r.id, email: r.email, token: tokens[i]! }]));
      return { users: emails.map((e) => byEmail.get(e)!), revoked };
    });
    await this.endSessions(revoked);
    return users;
  }
}
