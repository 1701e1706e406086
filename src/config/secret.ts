import { inspect } from 'node:util';

/**
 * A configuration value that must never be printed: tokens, passwords, secret keys, database
 * URLs. The value lives in a WeakMap, not on the object, so console.log, JSON.stringify,
 * util.inspect, spreading or structuredClone can only ever show the mask. Code that needs the
 * value asks for it by name with `reveal()`, which makes every use easy to find.
 */
export const REDACTED = '***';

const values = new WeakMap<Secret, string>();

export class Secret {
  constructor(value: string) {
    values.set(this, value);
  }

  reveal(): string {
    const value = values.get(this);
    if (value === undefined) throw new TypeError('not a Secret created by the configuration');
    return value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }
}
