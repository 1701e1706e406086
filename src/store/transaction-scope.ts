import { AsyncLocalStorage } from 'node:async_hooks';
import type { Queryable, QueryResult } from './db.js';
import { NestedTransactionError, TransactionScopeError } from './errors.js';

/**
 * Remembers, per async call chain, which databases have a transaction open. Both drivers use it
 * to refuse nested transactions and stray `db.query` calls from inside a transaction, mistakes
 * that would otherwise deadlock PGlite or silently escape the transaction on PostgreSQL.
 *
 * A check for programming mistakes, made where the code is developed and tested: with
 * COC_CHATOPS_CHECK_TRANSACTIONS=1 (the test suite and `npm run dev` set it). Elsewhere it is off,
 * because AsyncLocalStorage in Node 20 puts a hook on every promise the process makes, which cost
 * the bot 10–15% of its CPU per answered command.
 */
const openTransactions = process.env['COC_CHATOPS_CHECK_TRANSACTIONS'] === '1' ? new AsyncLocalStorage<ReadonlySet<object>>() : undefined;

function isOpenIn(owner: object): boolean {
  return openTransactions?.getStore()?.has(owner) ?? false;
}

export function assertNoTransactionForQuery(owner: object): void {
  if (isOpenIn(owner)) {
    throw new TransactionScopeError(
      'db.query was called inside db.transaction: use the transaction handle passed to the callback',
    );
  }
}

export function assertNoTransactionForBegin(owner: object): void {
  if (isOpenIn(owner)) throw new NestedTransactionError();
}

export function withTransactionMarked<T>(owner: object, fn: () => Promise<T>): Promise<T> {
  if (!openTransactions) return fn();
  const current = openTransactions.getStore() ?? new Set<object>();
  return openTransactions.run(new Set([...current, owner]), fn);
}

/** A handle that stops working once its transaction has ended, so late writes fail loudly. */
export function endableHandle(inner: Queryable): { handle: Queryable; end: () => void } {
  let ended = false;
  const check = (): void => {
    if (ended) throw new TransactionScopeError('the transaction handle was used after its transaction ended');
  };
  const handle: Queryable = {
    async query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
      check();
      return inner.query<T>(sql, params);
    },
    async exec(sql: string): Promise<void> {
      check();
      return inner.exec(sql);
    },
  };
  return {
    handle,
    end: () => {
      ended = true;
    },
  };
}
