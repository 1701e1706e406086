/**
 * IAM users and the tokens issued to them by `POST /v3/auth/tokens`. Tokens are random
 * (they are credentials, not world data) and expire after `ttlMs` of simulator time.
 */
import { randomBytes } from 'node:crypto';
import type { SimClock } from '../clock.js';
import type { IamUser, Region } from './model.js';

export interface IssuedToken {
  readonly token: string;
  readonly user: IamUser;
  readonly project: Region | undefined;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export type TokenLookup = { readonly ok: true; readonly issued: IssuedToken } | { readonly ok: false; readonly reason: 'unknown' | 'expired' };

export class IamDirectory {
  private readonly byName = new Map<string, IamUser>();
  private readonly byId = new Map<string, IamUser>();
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    users: readonly IamUser[],
    private readonly clock: SimClock,
    private readonly ttlMs: number,
  ) {
    for (const user of users) {
      this.byName.set(`${user.domainName}\u0000${user.name}`, user);
      this.byId.set(user.id, user);
    }
  }

  users(): readonly IamUser[] {
    return [...this.byId.values()];
  }

  userById(id: string): IamUser | undefined {
    return this.byId.get(id);
  }

  userByName(name: string, domainName?: string): IamUser | undefined {
    if (domainName !== undefined) return this.byName.get(`${domainName}\u0000${name}`);
    return [...this.byId.values()].find((user) => user.name === name);
  }

  /** Password check; undefined when the user, domain or password is wrong (IAM does not say which). */
  authenticate(name: string, password: string, domainName: string | undefined, domainId: string | undefined): IamUser | undefined {
    const user = [...this.byId.values()].find(
      (candidate) => candidate.name === name && (domainName === undefined || candidate.domainName === domainName) && (domainId === undefined || candidate.domainId === domainId),
    );
    return user && user.password === password ? user : undefined;
  }

  issue(user: IamUser, project: Region | undefined): IssuedToken {
    // Real tokens are long opaque strings starting with "MII"; their content means nothing to clients.
    const token = `MII${randomBytes(96).toString('base64url')}`;
    const issuedAt = this.clock.now();
    const issued: IssuedToken = { token, user, project, issuedAt, expiresAt: issuedAt + this.ttlMs };
    this.tokens.set(token, issued);
    return issued;
  }

  lookup(token: string): TokenLookup {
    const issued = this.tokens.get(token);
    if (!issued) return { ok: false, reason: 'unknown' };
    if (issued.expiresAt <= this.clock.now()) {
      this.tokens.delete(token);
      return { ok: false, reason: 'expired' };
    }
    return { ok: true, issued };
  }
}
