/**
 * The table of contents of this folder: every command, button action, form and type-ahead source
 * the bot offers, in the order help lists them. Adding a command = its file + one line here
 * (see README.md beside this file).
 */
import { ADMIN_COMMANDS } from './admin.js';
import { auditCommand } from './audit.js';
import { alarmCommand } from './alarm.js';
import { ALARMS_COMMANDS } from './alarms.js';
import { ALARM_RUN_BUTTONS } from './alarm-run.js';
import { CHANGE_ACTIONS, CHANGE_COMMANDS } from './change.js';
import { RUNBOOK_ACTION_DEFINITIONS, RUNBOOK_COMMANDS } from './runbook.js';
import { APPROVAL_BUTTONS, APPROVAL_FORMS, approvalsCommand, approvalShowCommand } from './approvals.js';
import { RUN_BUTTONS, runCommand } from './run.js';
import { RUN_FORMS } from './run-form.js';
import { customScriptSuggestions, hostSuggestions, scriptSuggestions } from './run-suggestions.js';
import { hostsCommand } from './hosts.js';
import { hostsSyncCommand } from './hosts-sync.js';
import { agentsSyncCommand } from './agents.js';
import { notifyCommand } from './notify.js';
import { TASK_ACTIONS, TASK_COMMANDS } from './tasks.js';
import { INCIDENT_ACTION_COMMANDS, INCIDENT_ACTIONS, INCIDENT_FORMS } from './incident-actions.js';
import { incidentCreateCommand, incidentCreateForm } from './incident-create.js';
import { incidentsCommand, incidentShowCommand } from './incidents.js';
import { incidentTimelineCommand } from './incident-timeline.js';
import { ORDER_ACTION_COMMANDS, ORDER_ACTIONS } from './order-actions.js';
import { orderCommand, orderShowCommand, ordersCommand } from './orders.js';
import { orderSuggestions } from './order-suggestions.js';
import { orderWatchCommand } from './order-watch.js';
import { PATCH_COMMANDS } from './patch.js';
import { SCRIPTS_COMMANDS } from './scripts.js';
import { SCRIPT_CHANGE_FORMS } from './scripts-changes.js';
import { WARROOM_ACTIONS, WARROOM_COMMANDS } from './warroom.js';
import { warRoomsCommand } from './warrooms.js';
import { whoamiCommand } from './whoami.js';
import type { ActionDefinition, CommandDefinition, FormDefinition, SuggestionDefinition } from '../src/core/command.js';

export const COMMANDS: readonly CommandDefinition[] = [
  runCommand,
  approvalsCommand,
  approvalShowCommand,
  ...SCRIPTS_COMMANDS,
  hostsCommand,
  hostsSyncCommand,
  agentsSyncCommand,
  ...PATCH_COMMANDS,
  alarmCommand,
  ...ALARMS_COMMANDS,
  ...CHANGE_COMMANDS,
  ...RUNBOOK_COMMANDS,
  ...TASK_COMMANDS,
  notifyCommand,
  ordersCommand,
  orderCommand,
  orderShowCommand,
  orderWatchCommand,
  ...ORDER_ACTION_COMMANDS,
  incidentsCommand,
  incidentShowCommand,
  incidentTimelineCommand,
  incidentCreateCommand,
  ...INCIDENT_ACTION_COMMANDS,
  ...WARROOM_COMMANDS,
  warRoomsCommand,
  whoamiCommand,
  auditCommand,
  ...ADMIN_COMMANDS,
];

export const ACTIONS: readonly ActionDefinition[] = [...RUN_BUTTONS, ...APPROVAL_BUTTONS, ...ORDER_ACTIONS, ...INCIDENT_ACTIONS, ...WARROOM_ACTIONS, ...TASK_ACTIONS, ...ALARM_RUN_BUTTONS, ...CHANGE_ACTIONS, ...RUNBOOK_ACTION_DEFINITIONS];

export const FORMS: readonly FormDefinition[] = [...RUN_FORMS, ...APPROVAL_FORMS, incidentCreateForm, ...INCIDENT_FORMS, ...SCRIPT_CHANGE_FORMS];

export const SUGGESTIONS: readonly SuggestionDefinition[] = [scriptSuggestions, customScriptSuggestions, hostSuggestions, orderSuggestions];

