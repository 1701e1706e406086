/** Incident enumerations with their Chinese and English names (COC reference §4.4.1.4). */

export interface EnumName {
  readonly zh: string;
  readonly en: string;
}

export const INCIDENT_LEVELS: Readonly<Record<string, EnumName>> = {
  level_10: { zh: 'P1', en: 'P1' },
  level_20: { zh: 'P2', en: 'P2' },
  level_30: { zh: 'P3', en: 'P3' },
  level_40: { zh: 'P4', en: 'P4' },
  level_50: { zh: 'P5', en: 'P5' },
};

/** Both spellings of the middleware type are accepted: the English and Chinese references disagree. */
export const INCIDENT_TYPES: Readonly<Record<string, EnumName>> = {
  inc_type_p_security_issues: { zh: '安全问题', en: 'Security issues' },
  inc_type_p_function_issues: { zh: '功能问题', en: 'function issues' },
  inc_type_p_reliability_issues: { zh: '性能/可靠性问题', en: 'reliability issues' },
  inc_type_p_config_issues: { zh: '配置问题', en: 'config issues' },
  inc_type_p_middleware_issues: { zh: '中间件问题', en: 'middleware issues' },
  inc_type_p_middlewares: { zh: '中间件问题', en: 'middlewares' },
  inc_type_p_hardware_issues: { zh: '硬件问题', en: 'hardware issues' },
  inc_type_p_networking_issues: { zh: '网络问题', en: 'networking issues' },
  inc_type_p_shelter_issues: { zh: '机房问题', en: 'shelter issues' },
  inc_type_p_monitoring_issues: { zh: '监控问题', en: 'monitoring issues' },
  inc_type_p_consulting_issues: { zh: '业务咨询类', en: 'consulting issues' },
  inc_type_p_suppliers_issues: { zh: '供应商问题', en: 'suppliers issues' },
  inc_type_p_ohter_issues: { zh: '其他', en: 'Other issues' },
  inc_type_p_change_issues: { zh: '变更操作问题', en: 'Change operation problem' },
};

export const INCIDENT_SOURCES: Readonly<Record<string, EnumName>> = {
  incident_source_manual: { zh: '人工创建', en: 'Manual Creation' },
  incident_source_forwarding: { zh: '流转创建', en: 'Transfer creation' },
  incident_source_alarm: { zh: '告警', en: 'alarm' },
};

export const INCIDENT_STATUS_NAMES: Readonly<Record<string, EnumName>> = {
  incident_draft: { zh: '草稿', en: 'DRAFT' },
  INCIDENT_STATUS_TRIGGERED: { zh: '未受理', en: 'TRIGGERED' },
  INCIDENT_STATUS_ACKNOWLEDGED: { zh: '已受理', en: 'ACKNOWLEDGED' },
  INCIDENT_STATUS_REJECTED: { zh: '被驳回', en: 'REJECTED' },
  INCIDENT_STATUS_RESOLVED: { zh: '已解决待验证', en: 'RESOLVED' },
  INCIDENT_STATUS_COMPLETED: { zh: '已完成', en: 'COMPLETED' },
};

export const WAR_ROOM_STATUS_NAMES: Readonly<Record<string, EnumName>> = {
  RUNNING: { zh: '进行中', en: 'Running' },
  CLOSED: { zh: '已关闭', en: 'Closed' },
};

export function enumKeys(table: Readonly<Record<string, EnumName>>): [string, ...string[]] {
  return Object.keys(table) as [string, ...string[]];
}
