/**
 * BlueKing's codes in words: Job's job and host status numbers, GSE's agent flag, the risk levels
 * the deployment's rules give, Monitor's alarm levels and states (alarms.ts). BlueKing has no
 * incidents, patches or script statuses: those tables are empty.
 */
import type { EnumNames, Vocabulary } from '../vocabulary.js';
import { ALARM_LEVEL_NAMES, ALARM_STATUS_NAMES } from './alarms.js';

/** Job status (callback_protocol): 1 未执行 … 12 步骤强制终止失败. */
const RUN_STATUS: EnumNames = {
  '1': { 'en-US': 'Not started', 'zh-CN': '未执行' },
  '2': { 'en-US': 'Running', 'zh-CN': '正在执行' },
  '3': { 'en-US': 'Succeeded', 'zh-CN': '执行成功' },
  '4': { 'en-US': 'Failed', 'zh-CN': '执行失败' },
  '5': { 'en-US': 'Skipped', 'zh-CN': '跳过' },
  '6': { 'en-US': 'Error ignored', 'zh-CN': '忽略错误' },
  '7': { 'en-US': 'Waiting for a user', 'zh-CN': '等待用户' },
  '8': { 'en-US': 'Ended by hand', 'zh-CN': '手动结束' },
  '9': { 'en-US': 'Abnormal', 'zh-CN': '状态异常' },
  '10': { 'en-US': 'Being force-stopped', 'zh-CN': '步骤强制终止中' },
  '11': { 'en-US': 'Force-stopped', 'zh-CN': '步骤强制终止成功' },
  '12': { 'en-US': 'Force-stop failed', 'zh-CN': '步骤强制终止失败' },
};

/** ip_status (get_job_instance_log, get_job_instance_status). */
const HOST_RUN_STATUS: EnumNames = {
  '1': { 'en-US': 'Agent abnormal', 'zh-CN': 'Agent 异常' },
  '3': { 'en-US': 'Succeeded last time', 'zh-CN': '上次已成功' },
  '5': { 'en-US': 'Waiting', 'zh-CN': '等待执行' },
  '7': { 'en-US': 'Running', 'zh-CN': '正在执行' },
  '9': { 'en-US': 'Succeeded', 'zh-CN': '执行成功' },
  '11': { 'en-US': 'Task failed', 'zh-CN': '任务失败' },
  '12': { 'en-US': 'Could not be dispatched', 'zh-CN': '任务下发失败' },
  '13': { 'en-US': 'Task timed out', 'zh-CN': '任务超时' },
  '15': { 'en-US': 'Task log error', 'zh-CN': '任务日志错误' },
  '101': { 'en-US': 'Script failed', 'zh-CN': '脚本执行失败' },
  '102': { 'en-US': 'Script timed out', 'zh-CN': '脚本执行超时' },
  '103': { 'en-US': 'Script stopped', 'zh-CN': '脚本执行被终止' },
  '104': { 'en-US': 'Script exited non-zero', 'zh-CN': '脚本返回码非零' },
  '202': { 'en-US': 'File transfer failed', 'zh-CN': '文件传输失败' },
  '203': { 'en-US': 'Source file missing', 'zh-CN': '源文件不存在' },
  '310': { 'en-US': 'Agent abnormal', 'zh-CN': 'Agent 异常' },
  '311': { 'en-US': 'No such user', 'zh-CN': '用户名不存在' },
  '320': { 'en-US': 'File fetch failed', 'zh-CN': '文件获取失败' },
  '321': { 'en-US': 'File over the limit', 'zh-CN': '文件超出限制' },
  '329': { 'en-US': 'File transfer error', 'zh-CN': '文件传输错误' },
  '399': { 'en-US': 'Task error', 'zh-CN': '任务执行出错' },
  '403': { 'en-US': 'Force-stopped', 'zh-CN': '任务强制终止成功' },
  '404': { 'en-US': 'Force-stop failed', 'zh-CN': '任务强制终止失败' },
};

/** GSE `bk_agent_alive`; UNKNOWN when GSE said nothing of the host. */
const AGENT_STATE: EnumNames = {
  '1': { 'en-US': 'Online', 'zh-CN': '在线' },
  '0': { 'en-US': 'Offline', 'zh-CN': '离线' },
  UNKNOWN: { 'en-US': 'Unknown', 'zh-CN': '未知' },
};

/** The levels risk rules give (risk.ts); UNCLASSIFIED counts as HIGH. */
const RISK_LEVEL: EnumNames = {
  LOW: { 'en-US': 'Low', 'zh-CN': '低' },
  MEDIUM: { 'en-US': 'Medium', 'zh-CN': '中' },
  HIGH: { 'en-US': 'High', 'zh-CN': '高' },
  UNCLASSIFIED: { 'en-US': 'Unclassified (counts as high)', 'zh-CN': '未分级（按高风险处理）' },
};

/** The stored plans' own rotation words, as for COC. */
const ROTATION: EnumNames = {
  CONTINUE: { 'en-US': 'Go on to the next batch', 'zh-CN': '自动继续下一批' },
  PAUSE: { 'en-US': 'Pause after this batch', 'zh-CN': '本批完成后暂停' },
};

export const BLUEKING_VOCABULARY: Vocabulary = {
  riskLevel: RISK_LEVEL,
  scriptStatus: {},
  runStatus: RUN_STATUS,
  hostRunStatus: HOST_RUN_STATUS,
  rotation: ROTATION,
  agentState: AGENT_STATE,
  incidentLevel: {},
  incidentType: {},
  incidentStatus: {},
  incidentSource: {},
  patchStatus: {},
  patchCompliance: {},
  alarmLevel: ALARM_LEVEL_NAMES,
  alarmStatus: ALARM_STATUS_NAMES,
};
