/**
 * The one badge of each risk level, wherever a level is shown (script lists, previews,
 * approvals, cards, on every surface): a reader learns one colour per level.
 */
import type { RiskState } from '../backends/index.js';

export const RISK_DOT: Readonly<Record<RiskState, string>> = { low: '🟢', medium: '🟡', high: '🔴', unclassified: '⚪' };

/** The state of a level as plans keep it: the platform's code, which both platforms spell HIGH, MEDIUM, LOW. */
const STATE_OF_CODE: Readonly<Record<string, RiskState>> = { LOW: 'low', MEDIUM: 'medium', HIGH: 'high' };

/** The badge of a level code (anything else counts as unclassified). */
export function riskDotOfCode(code: string): string {
  return RISK_DOT[STATE_OF_CODE[code.toUpperCase()] ?? 'unclassified'];
}
