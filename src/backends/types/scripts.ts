/** Scripts the platform can run, with their risk and parameters. */
import type { Text } from '../../i18n/translate.js';
import type { CallOptions, Page } from '../backend.js';
import type { ScriptId } from '../ids.js';
import type { Coded } from './coded.js';

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
}
