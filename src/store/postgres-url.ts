import { StoreOptionsError } from './errors.js';

/**
 * Helpers for PostgreSQL connection strings. The string usually carries a password, so anything
 * meant for people (logs, `check-config`) goes through `describePostgresUrl`.
 */

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

export function isPostgresUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== undefined && (parsed.protocol === 'postgres:' || parsed.protocol === 'postgresql:');
}

/** Host, port and database only: no user, password or query parameters. */
export function describePostgresUrl(url: string): string {
  const parsed = parse(url);
  if (!parsed) return 'PostgreSQL (connection string not shown)';
  const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
  const port = parsed.port || '5432';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
  return `PostgreSQL at ${host}:${port}/${database}`;
}

/**
 * The pg driver lets an `options=` parameter in the URL override the one we pass to set the
 * schema, which would silently put the tables in the wrong schema; refuse that combination.
 */
export function assertSchemaCanBeApplied(url: string): void {
  if (parse(url)?.searchParams.has('options')) {
    throw new StoreOptionsError(
      'the database URL has an options= parameter, which would override the configured schema: set search_path there instead, or remove it',
    );
  }
}
