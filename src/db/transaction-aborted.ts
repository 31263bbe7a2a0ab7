/**
 * A transaction PostgreSQL rolled back although the caller went on to commit: a statement failed and its error was
 * caught, which aborts the transaction, and COMMIT then rolls back without an error. Both adapters raise this instead
 * of reporting a commit that did not happen. Its code is PostgreSQL's own for that state (in_failed_sql_transaction).
 */
export function transactionAborted(): Error {
  return Object.assign(new Error('transaction aborted by a failed statement whose error was caught: nothing was committed'), { code: '25P02' });
}

/** A statement issued after the transaction's last one (Tx.last): a bug in the caller, refused by both adapters. */
export function statementAfterLast(): Error {
  return new Error("a statement after the transaction's last one");
}
