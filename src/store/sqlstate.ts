/**
 * Recognise server errors by SQLSTATE. Both drivers expose the code as `error.code`, so callers
 * can react to a constraint without parsing messages.
 */

export const SqlState = {
  uniqueViolation: '23505',
  checkViolation: '23514',
  foreignKeyViolation: '23503',
  notNullViolation: '23502',
  lockNotAvailable: '55P03',
} as const;

export type SqlStateCode = (typeof SqlState)[keyof typeof SqlState];

export function sqlStateOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** The constraint a violation names, when the driver reports it. */
export function constraintOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'constraint' in error) {
    const name = (error as { constraint: unknown }).constraint;
    return typeof name === 'string' ? name : undefined;
  }
  return undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  return sqlStateOf(error) === SqlState.uniqueViolation;
}

export function isCheckViolation(error: unknown): boolean {
  return sqlStateOf(error) === SqlState.checkViolation;
}
