/**
 * The demo BlueKing deployment's well-known values. They exist so that a local run works with
 * no BlueKing at hand; they open nothing but this simulator. Do not reuse them anywhere real.
 */

/** Demo app (`bk_app_code`) registered on the simulated ESB. */
export const BK_SIM_APP_CODE = 'chatops-demo';
/** Its secret (`bk_app_secret`). Documented, never printed or logged. */
export const BK_SIM_APP_SECRET = 'sim-demo-bk-app-secret-0b7d2f4e9a1c';
/**
 * People known to bk_login: `chatops-bot` is the bot's service user; alice (operator), bob
 * (approver), carol (viewer) and dave (admin) are the terminal's demo people, the same names the
 * COC simulator's IAM knows. bob and carol are the processors of the approval service's node.
 */
export const BK_SIM_USERS: readonly string[] = ['chatops-bot', 'alice', 'bob', 'carol', 'dave'];
/** The business commands act in by default: "demo-shop". */
export const BK_SIM_BIZ_ID = 3;
/** Default seed of the simulated world. */
export const BK_SIM_SEED = 42;
/** The ITSM service whose one node approves executions (processors bob, carol). */
export const BK_SIM_APPROVAL_SERVICE_ID = 1;
/** The supplier account every record carries (BlueKing community edition's default). */
export const BK_SIM_SUPPLIER_ACCOUNT = '0';
