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
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
