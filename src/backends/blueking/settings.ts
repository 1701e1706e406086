/**
 * What a BlueKing backend holds beside its client: the same for every person of one deployment.
 * src/app builds it from the configuration (`blueking.*`, checked by `npm run check-config`).
 */
import type { RiskState } from '../types/scripts.js';

/** A rule that classifies a script's risk; the first that matches wins, none = unclassified (counts as HIGH). */
export interface RiskRule {
  /** The script's id on BlueKing (`get_script_list` id). */
  readonly scriptId?: number;
  /** A glob on the script's name (`*` any run of characters, `?` one), case-sensitive. */
  readonly namePattern?: string;
  /** The business the script belongs to. */
  readonly biz?: number;
  readonly risk: Exclude<RiskState, 'unclassified'>;
  /** The script's one parameter line carries secrets: sent with `is_param_sensitive`, masked everywhere. */
  readonly sensitiveArgs?: boolean;
}

export interface BluekingSettings {
  /** The business (`bk_biz_id`) commands act in unless a person names another. */
  readonly defaultBiz: number;
  readonly riskRules: readonly RiskRule[];
  /** The OS account (alias) scripts run as unless a person names another. */
  readonly defaultAccount: string;
  /** The ITSM service whose tickets carry approvals (approvals.via: itsm). */
  readonly itsmServiceId?: number;
  /** The bot's public base URL that BlueKing Job calls back (`bk_callback_url`); absent = no callbacks. */
  readonly callbackBaseUrl?: string;
  /** Where people open things on BlueKing (links on cards): the PaaS host. */
  readonly paasHost: string;
}
