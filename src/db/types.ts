/**
 * The Db port. Repositories take a `Queryable` explicitly, which may be the
 * pool or a transaction; `Tx` is branded so `enqueue(tx, …)` and
 * `record(tx, …)` cannot be handed a bare pool by mistake.
 */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, any>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Tx extends Queryable {
  readonly __tx: true;
  /**
   * A statement whose result nobody reads (an audit row, an outbox job, a consent record): queued, and sent with
   * the transaction's next statement or with its COMMIT, so it costs no round trip of its own. Statements still
   * run in the order they were issued. If a deferred one fails, the transaction is aborted and its error is thrown
   * by the next statement or by the commit: the transaction can never commit without it.
   */
  defer(sql: string, params?: unknown[]): void;
  /**
   * The transaction's last statement, written together with its COMMIT (one round trip less); nothing may be issued
   * after it. The transaction commits whatever the statement returns, so a statement whose outcome must stop the
   * commit (an optimistic version check that matched nothing) has to raise an error for it inside the database.
   * Issued in the same tick as other statements (Promise.all), a whole read-only transaction is one round trip.
   */
  last<T = Record<string, any>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
}

/**
 * Whose rows a transaction may see and write (row-level security, issue 6 part 7).
 * - `{ tenantId }`: that tenant's rows only.
 * - `{ system }`: every tenant's rows, for cross-tenant work (worker scans, admin endpoints,
 *   reconciliation). The reason names the work; it is never the default.
 * - no scope: no tenant's rows at all (a transaction that forgot its tenant sees nothing).
 */
export type TxScope = { tenantId: string } | { system: string };

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Tx) => Promise<T>, scope?: TxScope): Promise<T>;
  /**
   * One statement in a transaction of its own, in `scope`: what a scoped view's plain query is
   * (scopedDb). The same as `transaction((tx) => tx.query(sql, params), scope)`; an adapter may
   * send it in fewer round trips.
   */
  queryInScope<T = Record<string, any>>(sql: string, params: unknown[] | undefined, scope: TxScope): Promise<QueryResult<T>>;
  /**
   * A view of the same database whose every statement runs as `role` (no superuser, no
   * BYPASSRLS), each transaction opening with one statement that sets role, tenant and system
   * scope transaction-locally. The adapter itself runs as the connecting role (the owner):
   * migrations and test fixtures use that one; the app uses this view.
   */
  asRole(role: string): Db;
  close(): Promise<void>;
}
