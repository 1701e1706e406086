/** Scripts the platform can run, with their risk and parameters. */
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
  /** Exact name (where the platform can), else part of it. */
  readonly name?: string;
  readonly risk?: string;
  readonly type?: string;
  readonly limit: number;
  readonly after?: string;
}

export interface ScriptParamRules {
  readonly maxParams: number;
  readonly maxValueLength: number;
}

export interface ScriptsCapability {
  readonly publicScripts: boolean;
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
