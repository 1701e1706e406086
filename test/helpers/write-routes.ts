/**
 * The COC write routes the write fault matrices (write-outcomes, alarm-write-outcomes) and the
 * audit-intent test (write-intents-name-invoker) send through the bot, as the simulator keys them.
 */
export const WRITE_ROUTES = {
  operate: 'PUT /v1/job/script/orders/{execute_uuid}/operation',
  create: 'POST /v1/external/incident/create',
  /** Accept, solve, verify and reject: the v2 action on the task the tasks call offered. */
  handle: 'POST /v2/incidents/{incident_id}/actions',
  warRoom: 'POST /v1/external/warrooms',
  alarm: 'POST /v1/event/huawei/custom/{integration_key}',
  link: 'POST /v1/alarm-mgmt/alarms-linked-incident',
  clear: 'POST /v1/alarm-mgmt/alarms/cancel',
  autoProcess: 'POST /v1/alarm-mgmt/alarm/{alarm_id}/auto-process',
  execute: 'POST /v1/job/scripts/{script_uuid}',
} as const;
