/** Scripts the platform can run, with their risk and parameters. */
import type { Text } from '../../i18n/translate.js';
import type { CallOptions, Page } from '../backend.js';
import type { ScriptId } from '../ids.js';
import type { Coded } from './coded.js';
import type { FieldProblem } from '../errors.js';

export type RiskState = 'low' | 'medium' | 'high' | 'unclassified';

export interface ScriptSummary {
  readonly id: ScriptId;
  readonly name: string;
  /** SHELL, PYTHON, BAT… the platform's own word. */
  readonly type?: string;
  readonly description?: string;
  readonly risk: Coded<RiskState>;
  readonly status?: Coded<string>;
  readonly createdAt?: number;
  readonly modifiedAt?: number;
  readonly owner?: string;
  /** Who changed the script last, where the platform says. */
  readonly modifiedBy?: string;
  readonly publicScript: boolean;
  /** The list's own row id (cursor of the next page). */
  readonly rowId?: string;
}

export interface ScriptParam {
  readonly name: string;
  readonly defaultValue?: string;
  readonly sensitive: boolean;
  readonly description?: string;
  readonly order?: number;
  /** May be left empty (BlueKing's one parameter line); COC needs every parameter. */
  readonly optional?: boolean;
}

export interface Script extends ScriptSummary {
  readonly content?: string;
  readonly params: readonly ScriptParam[];
  /** People the platform names as the script's reviewers. */
  readonly reviewers: readonly string[];
  /** The reviewers with the platform's own user ids, where it gives them (a change keeps them as they are). */
  readonly reviewerRefs?: readonly ScriptReviewerDraft[];
  readonly version?: string;
  /**
   * Pins what was previewed: the same hash and modification time = the same script. A change
   * voids a pending approval.
   */
  readonly pin: { readonly hash: string; readonly modifiedAt: number };
}

export interface ScriptQuery {
  /** Exact name (where the platform can), else part of it: the caller compares the names it gets. */
  readonly name?: string;
  /** Part of the name, as the platform matches it (COC: anywhere for custom scripts, the start for public ones). */
  readonly nameLike?: string;
  /** The platform's own risk code (one of `riskCodes`). */
  readonly risk?: string;
  /** The platform's own type code (one of `typeCodes`). */
  readonly type?: string;
  readonly limit: number;
  /** The `next` of the previous page. */
  readonly after?: string;
}

export interface ScriptParamRules {
  readonly maxParams: number;
  readonly maxValueLength: number;
  /** Whether the platform takes a value's characters (beyond its length); absent = any. */
  readonly accepts?: (value: string) => boolean;
}

/** How people refer to a script: by name or by the platform's id, each with its own form. */
export interface ScriptRefRules {
  /** What the platform accepts as a script name. */
  readonly name: RegExp;
  /** The form of the platform's script ids: such a reference is tried as an id first. */
  readonly id: RegExp;
  /** Both forms in words, for a reference that fits neither. */
  readonly says: Text;
}

/** A reviewer of a script as the platform knows them: a user name and the platform's user id. */
export interface ScriptReviewerDraft {
  readonly name: string;
  readonly id: string;
}

export interface ScriptParamDraft {
  readonly name: string;
  /** The default value; a sensitive one is never shown, logged or stored in clear. */
  readonly defaultValue: string;
  readonly description: string;
  readonly sensitive: boolean;
}

/**
 * A script as a person wants it to be: the whole of it for a create, and for an edit the script
 * as it is with what they changed (name and type stay). Risk and type are the platform's codes.
 */
export interface ScriptDraft {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly content: string;
  readonly risk: string;
  readonly version: string;
  readonly params: readonly ScriptParamDraft[];
  readonly reviewers: readonly ScriptReviewerDraft[];
}

/** What an edit sends: the draft, and which optional parts changed (the others are left as they are). */
export interface ScriptUpdate {
  readonly draft: ScriptDraft;
  readonly paramsChanged: boolean;
  readonly propertiesChanged: boolean;
}

export interface ScriptsCapability {
  readonly publicScripts: boolean;
  readonly refs: ScriptRefRules;
  /** The platform's risk and type codes, in its order (filters offer them). */
  readonly riskCodes: readonly string[];
  readonly typeCodes: readonly string[];
  readonly paramRules: ScriptParamRules;
  list(query: ScriptQuery, options?: CallOptions): Promise<Page<ScriptSummary>>;
  /** undefined = no such script. */
  get(id: ScriptId, options?: CallOptions): Promise<Script | undefined>;
  listPublic?(query: ScriptQuery, options?: CallOptions): Promise<Page<ScriptSummary>>;
  getPublic?(id: ScriptId, options?: CallOptions): Promise<Script | undefined>;
  /**
   * Managing the tenant's scripts, where the platform lets the bot do it. `draftProblems` checks a
   * draft against the platform's own rules (every problem at once, by field; nothing is sent);
   * the writes follow the three outcomes of every write (done, refused, unknown: a
   * `BackendError` whose `mayHaveActed` says which) and are never retried.
   */
  draftProblems?(draft: ScriptDraft, action: 'create' | 'update'): readonly FieldProblem[];
  create?(draft: ScriptDraft, options?: CallOptions): Promise<ScriptId>;
  update?(id: ScriptId, update: ScriptUpdate, options?: CallOptions): Promise<void>;
  remove?(id: ScriptId, options?: CallOptions): Promise<void>;
}
