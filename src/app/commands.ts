/** Every command and button action the bot offers, in the order help lists them. */
import { ADMIN_COMMANDS } from '../../commands/admin.js';
import { auditCommand } from '../../commands/audit.js';
import { alarmCommand } from '../../commands/alarm.js';
import { APPROVAL_BUTTONS, APPROVAL_FORMS, approvalsCommand, approvalShowCommand } from '../../commands/approvals.js';
import { RUN_BUTTONS, runCommand } from '../../commands/run.js';
import { RUN_FORMS } from '../../commands/run-form.js';
import { hostSuggestions, scriptSuggestions } from '../../commands/run-suggestions.js';
import { hostsCommand } from '../../commands/hosts.js';
import { INCIDENT_ACTION_COMMANDS, INCIDENT_ACTIONS, INCIDENT_FORMS } from '../../commands/incident-actions.js';
import { incidentCreateCommand, incidentCreateForm } from '../../commands/incident-create.js';
import { incidentsCommand, incidentShowCommand } from '../../commands/incidents.js';
import { ORDER_ACTION_COMMANDS, ORDER_ACTIONS } from '../../commands/order-actions.js';
import { orderCommand, orderShowCommand, ordersCommand } from '../../commands/orders.js';
import { orderSuggestions } from '../../commands/order-suggestions.js';
import { orderWatchCommand } from '../../commands/order-watch.js';
import { PATCH_COMMANDS } from '../../commands/patch.js';
import { SCRIPTS_COMMANDS } from '../../commands/scripts.js';
import { WARROOM_ACTIONS, WARROOM_COMMANDS } from '../../commands/warroom.js';
import { whoamiCommand } from '../../commands/whoami.js';
import { capabilitiesOf, type Backend } from '../backends/index.js';
import { limitsOf } from '../core/arguments/index.js';
import { Registry } from '../core/registry.js';
import type { ActionDefinition, AnyCommandDefinition, FormDefinition, SuggestionDefinition } from '../core/command.js';

export const COMMANDS: readonly AnyCommandDefinition[] = [
  runCommand,
  approvalsCommand,
  approvalShowCommand,
  ...SCRIPTS_COMMANDS,
  hostsCommand,
  ...PATCH_COMMANDS,
  alarmCommand,
  ordersCommand,
  orderCommand,
  orderShowCommand,
  orderWatchCommand,
  ...ORDER_ACTION_COMMANDS,
  incidentsCommand,
  incidentShowCommand,
  incidentCreateCommand,
  ...INCIDENT_ACTION_COMMANDS,
  ...WARROOM_COMMANDS,
  whoamiCommand,
  auditCommand,
  ...ADMIN_COMMANDS,
];

export const ACTIONS: readonly ActionDefinition[] = [...RUN_BUTTONS, ...APPROVAL_BUTTONS, ...ORDER_ACTIONS, ...INCIDENT_ACTIONS, ...WARROOM_ACTIONS];

export const FORMS: readonly FormDefinition[] = [...RUN_FORMS, ...APPROVAL_FORMS, incidentCreateForm, ...INCIDENT_FORMS];

export const SUGGESTIONS: readonly SuggestionDefinition[] = [scriptSuggestions, hostSuggestions, orderSuggestions];

/**
 * The commands a deployment offers: those its backend can serve (capabilities), with bounds and
 * choices read from what the backend declares.
 */
export function commandRegistry(backend: Backend): Registry {
  return new Registry(COMMANDS, ACTIONS, { forms: FORMS, suggestions: SUGGESTIONS, capabilities: capabilitiesOf(backend), limits: limitsOf(backend) });
}
