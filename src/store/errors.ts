/** Errors raised by the store itself (SQL errors from the server pass through unchanged). */

export class StoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** `db.transaction` was called while a transaction on the same database was already open. */
export class NestedTransactionError extends StoreError {
  constructor() {
    super('a transaction is already open on this database: run the work on the existing transaction handle');
  }
}

/** `db.query` was called inside `db.transaction`, or a transaction handle was used after it ended. */
export class TransactionScopeError extends StoreError {}

export class StoreClosedError extends StoreError {
  constructor() {
    super('the store is closed');
  }
}

/** Bad arguments to `openStore` (schema name, data folder, connection string). */
export class StoreOptionsError extends StoreError {}

/** Another process holds the embedded data folder; two writers would corrupt it. */
export class DataDirBusyError extends StoreError {
  constructor(
    readonly dataDir: string,
    readonly holder: string,
  ) {
    super(`the data folder ${dataDir} is in use by ${holder}; stop that process or use another folder`);
  }
}

export class MigrationError extends StoreError {}

/** An applied migration's file was edited afterwards: the database no longer matches the code. */
export class MigrationChecksumError extends MigrationError {
  constructor(readonly version: string) {
    super(
      `migration ${version} was changed after it was applied; restore its original text and add a new migration instead`,
    );
  }
}

/** Another replica held the migration lock for too long. */
export class MigrationLockTimeoutError extends MigrationError {}

/** A bigint value does not fit a JavaScript number without losing precision. */
export class Int8RangeError extends StoreError {}
