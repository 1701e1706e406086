/**
 * Human names, in both languages, for the enumerations COC answers with: risk levels, script,
 * order and instance statuses, rotation strategies, UniAgent states, incident levels, types,
 * statuses and sources, patch statuses and custom-event alarm levels.
 *
 * `enumName(kind, value, locale)` gives the name; a value this table does not know (COC adds
 * values, or a document disagrees with the service) is shown as it came, never hidden.
 * Chinese names follow COC's own Chinese reference where it names them (§4.4.1.6 for
 * incidents, the order-list and patch tables); the English ones are written for people on
 * call rather than copied from the reference's lower-case machine names.
 */
import type { Locale } from '../../i18n/translate.js';

export type EnumNames = Readonly<Record<string, Readonly<Record<Locale, string>>>>;

const RISK_LEVEL: EnumNames = {
  LOW: { 'en-US': 'Low', 'zh-CN': '低' },
  MEDIUM: { 'en-US': 'Medium', 'zh-CN': '中' },
  HIGH: { 'en-US': 'High', 'zh-CN': '高' },
};

const SCRIPT_STATUS: EnumNames = {
  PENDING_APPROVE: { 'en-US': 'Awaiting approval', 'zh-CN': '待审批' },
  APPROVED: { 'en-US': 'Approved', 'zh-CN': '正常（审批通过）' },
  REJECTED: { 'en-US': 'Rejected', 'zh-CN': '已驳回' },
};

/** The SDK's six, plus ERROR and ROLLBACKED, which only the reference document lists. */
const ORDER_STATUS: EnumNames = {
  READY: { 'en-US': 'Waiting to start', 'zh-CN': '待执行' },
  PROCESSING: { 'en-US': 'Running', 'zh-CN': '执行中' },
  ABNORMAL: { 'en-US': 'Failed', 'zh-CN': '异常' },
  PAUSED: { 'en-US': 'Paused', 'zh-CN': '已暂停' },
  CANCELED: { 'en-US': 'Canceled', 'zh-CN': '已取消' },
  FINISHED: { 'en-US': 'Finished', 'zh-CN': '成功' },
  ERROR: { 'en-US': 'Error', 'zh-CN': '错误' },
  ROLLBACKED: { 'en-US': 'Rolled back', 'zh-CN': '已回滚' },
};

const INSTANCE_STATUS: EnumNames = {
  READY: { 'en-US': 'Waiting', 'zh-CN': '待执行' },
  PROCESSING: { 'en-US': 'Running', 'zh-CN': '执行中' },
  ABNORMAL: { 'en-US': 'Failed', 'zh-CN': '异常' },
  CANCELED: { 'en-US': 'Canceled', 'zh-CN': '已取消' },
  FINISHED: { 'en-US': 'Succeeded', 'zh-CN': '成功' },
  ROLLBACKED: { 'en-US': 'Rolled back', 'zh-CN': '已回滚' },
};

const ROTATION_STRATEGY: EnumNames = {
  CONTINUE: { 'en-US': 'Go on to the next batch', 'zh-CN': '自动继续下一批' },
  PAUSE: { 'en-US': 'Pause after this batch', 'zh-CN': '本批完成后暂停' },
};

const AGENT_STATE: EnumNames = {
  ONLINE: { 'en-US': 'Online', 'zh-CN': '在线' },
  OFFLINE: { 'en-US': 'Offline', 'zh-CN': '离线' },
  INSTALLING: { 'en-US': 'Installing', 'zh-CN': '安装中' },
  FAILED: { 'en-US': 'Install failed', 'zh-CN': '安装失败' },
  UNINSTALLED: { 'en-US': 'Not installed', 'zh-CN': '未安装' },
};

const INCIDENT_LEVEL: EnumNames = {
  level_10: { 'en-US': 'P1', 'zh-CN': 'P1' },
  level_20: { 'en-US': 'P2', 'zh-CN': 'P2' },
  level_30: { 'en-US': 'P3', 'zh-CN': 'P3' },
  level_40: { 'en-US': 'P4', 'zh-CN': 'P4' },
  level_50: { 'en-US': 'P5', 'zh-CN': 'P5' },
};

/** Both middleware spellings (English and Chinese references disagree) and COC's "ohter" key. */
const INCIDENT_TYPE: EnumNames = {
  inc_type_p_security_issues: { 'en-US': 'Security', 'zh-CN': '安全问题' },
  inc_type_p_function_issues: { 'en-US': 'Functional', 'zh-CN': '功能问题' },
  inc_type_p_reliability_issues: { 'en-US': 'Performance / reliability', 'zh-CN': '性能/可靠性问题' },
  inc_type_p_config_issues: { 'en-US': 'Configuration', 'zh-CN': '配置问题' },
  inc_type_p_middleware_issues: { 'en-US': 'Middleware', 'zh-CN': '中间件问题' },
  inc_type_p_middlewares: { 'en-US': 'Middleware', 'zh-CN': '中间件问题' },
  inc_type_p_hardware_issues: { 'en-US': 'Hardware', 'zh-CN': '硬件问题' },
  inc_type_p_networking_issues: { 'en-US': 'Networking', 'zh-CN': '网络问题' },
  inc_type_p_shelter_issues: { 'en-US': 'Data centre (facility)', 'zh-CN': '机房问题' },
  inc_type_p_monitoring_issues: { 'en-US': 'Monitoring', 'zh-CN': '监控问题' },
  inc_type_p_consulting_issues: { 'en-US': 'Consulting', 'zh-CN': '业务咨询类' },
  inc_type_p_suppliers_issues: { 'en-US': 'Supplier', 'zh-CN': '供应商问题' },
  inc_type_p_ohter_issues: { 'en-US': 'Other', 'zh-CN': '其他' },
  inc_type_p_change_issues: { 'en-US': 'Change operation', 'zh-CN': '变更操作问题' },
};

const INCIDENT_STATUS: EnumNames = {
  incident_draft: { 'en-US': 'Draft', 'zh-CN': '草稿' },
  INCIDENT_STATUS_TRIGGERED: { 'en-US': 'Triggered (not accepted yet)', 'zh-CN': '未受理' },
  INCIDENT_STATUS_ACKNOWLEDGED: { 'en-US': 'Acknowledged', 'zh-CN': '已受理' },
  INCIDENT_STATUS_REJECTED: { 'en-US': 'Rejected', 'zh-CN': '被驳回' },
  INCIDENT_STATUS_RESOLVED: { 'en-US': 'Resolved (awaiting verification)', 'zh-CN': '已解决待验证' },
  INCIDENT_STATUS_COMPLETED: { 'en-US': 'Completed', 'zh-CN': '已完成' },
};

const INCIDENT_SOURCE: EnumNames = {
  incident_source_manual: { 'en-US': 'Created by hand', 'zh-CN': '人工创建' },
  incident_source_forwarding: { 'en-US': 'Forwarded', 'zh-CN': '流转创建' },
  incident_source_alarm: { 'en-US': 'Alarm', 'zh-CN': '告警' },
};

const PATCH_STATUS: EnumNames = {
  INSTALLED: { 'en-US': 'Installed', 'zh-CN': '已安装' },
  INSTALLED_OTHER: { 'en-US': 'Installed (other version)', 'zh-CN': '已安装其他' },
  MISSING: { 'en-US': 'Missing', 'zh-CN': '缺失' },
  REJECT: { 'en-US': 'Rejected', 'zh-CN': '拒绝' },
  FAILED: { 'en-US': 'Failed', 'zh-CN': '失败' },
  PENDING_REBOOT: { 'en-US': 'Installed, reboot pending', 'zh-CN': '已安装待重启' },
};

const PATCH_COMPLIANCE: EnumNames = {
  compliant: { 'en-US': 'Compliant', 'zh-CN': '合规' },
  non_compliant: { 'en-US': 'Not compliant', 'zh-CN': '不合规' },
};

/** Custom-event (alarm) levels, as the reference names them in Chinese. */
const ALARM_LEVEL: EnumNames = {
  Critical: { 'en-US': 'Critical', 'zh-CN': '紧急' },
  Major: { 'en-US': 'Major', 'zh-CN': '重要' },
  Minor: { 'en-US': 'Minor', 'zh-CN': '次要' },
  Info: { 'en-US': 'Info', 'zh-CN': '提示' },
  // COC's alarm centre (coc-api-notes §2.2, AlarmInfoDto.importance).
  urgent: { 'en-US': 'Urgent', 'zh-CN': '紧急' },
  major: { 'en-US': 'Major', 'zh-CN': '重要' },
  minor: { 'en-US': 'Minor', 'zh-CN': '次要' },
  warn: { 'en-US': 'Warning', 'zh-CN': '提示' },
};

const ALARM_STATUS: EnumNames = {
  alarm: { 'en-US': 'Alarming', 'zh-CN': '告警中' },
  ok: { 'en-US': 'Cleared', 'zh-CN': '已恢复' },
  // COC's alarm centre (AlarmInfoDto.status).
  alarming: { 'en-US': 'Alarming', 'zh-CN': '告警中' },
  resolved: { 'en-US': 'Resolved', 'zh-CN': '已解决' },
};

export const COC_ENUMS = {
  riskLevel: RISK_LEVEL,
  scriptStatus: SCRIPT_STATUS,
  orderStatus: ORDER_STATUS,
  instanceStatus: INSTANCE_STATUS,
  rotationStrategy: ROTATION_STRATEGY,
  agentState: AGENT_STATE,
  incidentLevel: INCIDENT_LEVEL,
  incidentType: INCIDENT_TYPE,
  incidentStatus: INCIDENT_STATUS,
  incidentSource: INCIDENT_SOURCE,
  patchStatus: PATCH_STATUS,
  patchCompliance: PATCH_COMPLIANCE,
  alarmLevel: ALARM_LEVEL,
  alarmStatus: ALARM_STATUS,
} as const satisfies Readonly<Record<string, EnumNames>>;

export type CocEnumKind = keyof typeof COC_ENUMS;

/**
 * The human name of a COC enum value in the reader's language. Unknown values come back as
 * they are; missing ones (null, undefined, '') as ''.
 */
export function enumName(kind: CocEnumKind, value: string | null | undefined, locale: Locale): string {
  if (value === null || value === undefined || value === '') return '';
  const table: EnumNames = COC_ENUMS[kind];
  if (!Object.hasOwn(table, value)) return value;
  const names = table[value]!;
  return names[locale] ?? names['en-US'];
}

/** Whether the table knows the value (e.g. to decide whether to also show the raw key). */
export function isKnownEnum(kind: CocEnumKind, value: string | null | undefined): boolean {
  return value !== null && value !== undefined && Object.hasOwn(COC_ENUMS[kind], value);
}

/** The values the table knows, in its order (for "allowed: …" texts). */
export function enumKeys(kind: CocEnumKind): readonly string[] {
  return Object.keys(COC_ENUMS[kind]);
}
