/**
 * Authentication as API Gateway does it in front of COC: an `X-Auth-Token` issued by the
 * simulator's IAM, or an SDK-HMAC-SHA256 AK/SK signature verified with the same signer the
 * client uses — which builds the canonical path as Huawei's SDK does (split at every "/", an
 * encoded one included), so a request signed any other way is refused here as COC would refuse
 * it. Failure messages say what is wrong and never echo a secret.
 */
import { verifyRequest } from '../coc/auth/signer.js';
import type { SimClock } from './clock.js';
import type { SimCredential } from './defaults.js';
import { ErrorCodes } from './http/error-codes.js';
import type { Identity } from './http/types.js';
import type { World } from './state/world.js';

export interface RawRequest {
  readonly method: string;
  /** Path and query exactly as received. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

export type AuthResult =
  | { readonly ok: true; readonly identity: Identity }
  | { readonly ok: false; readonly status: 401; readonly code: string; readonly message: string };

const APIG_PREFIX = 'Incorrect app authentication information: ';

export class Authenticator {
  private readonly secrets: ReadonlyMap<string, SimCredential>;

  constructor(
    credentials: readonly SimCredential[],
    private readonly world: World,
    private readonly clock: SimClock,
    private readonly maxSkewMs: number,
  ) {
    this.secrets = new Map(credentials.map((credential) => [credential.ak, credential]));
  }

  authenticate(request: RawRequest): AuthResult {
    const token = request.headers['x-auth-token'];
    if (token !== undefined) return this.byToken(token);
    return this.bySignature(request);
  }

  private byToken(token: string): AuthResult {
    const lookup = this.world.iam.lookup(token.trim());
    if (!lookup.ok) {
      return { ok: false, status: 401, code: ErrorCodes.TOKEN_INVALID, message: lookup.reason === 'expired' ? 'Token expired.' : 'Token missing or invalid.' };
    }
    const { user, project } = lookup.issued;
    return { ok: true, identity: { kind: 'token', userName: user.name, userId: user.id, projectId: project?.projectId } };
  }

  private bySignature(request: RawRequest): AuthResult {
    const result = verifyRequest(request, {
      secretFor: (ak) => this.secrets.get(ak)?.sk,
      now: new Date(this.clock.now()),
      maxSkewMs: this.maxSkewMs,
    });
    if (!result.ok) return this.reject(this.describe(result.reason));
    const credential = this.secrets.get(result.access) as SimCredential;
    const projectHeader = request.headers['x-project-id'];
    if (credential.projectId !== undefined && projectHeader !== undefined && projectHeader !== credential.projectId) {
      return this.reject('X-Project-Id does not belong to this access key');
    }
    const userName = credential.userName ?? 'chatops-bot';
    const user = this.world.iam.userByName(userName);
    return { ok: true, identity: { kind: 'aksk', access: result.access, userName, userId: user?.id ?? '' } };
  }

  private describe(reason: string): string {
    switch (reason) {
      case 'missing':
        return 'the request is not signed (no Authorization header) and carries no X-Auth-Token';
      case 'malformed':
        return 'the Authorization header is not "SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…"';
      case 'unknown-key':
        return 'the access key does not exist';
      case 'x-sdk-date-unsigned':
        return 'x-sdk-date must be one of the SignedHeaders';
      case 'date-missing':
        return 'X-Sdk-Date is missing or not in the form yyyyMMddTHHmmssZ';
      case 'clock-skew':
        return `X-Sdk-Date differs from the server time by more than ${Math.round(this.maxSkewMs / 60_000)} minutes`;
      default:
        return 'verify aksk signature fail (the signature does not match the request)';
    }
  }

  private reject(detail: string): AuthResult {
    return { ok: false, status: 401, code: ErrorCodes.APIG_AUTH, message: `${APIG_PREFIX}${detail}` };
  }
}
