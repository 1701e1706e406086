/**
 * What Discord shows of `/coc` that no command declares: the root's and each group's
 * description in English and Chinese, the Chinese names of groups and of names a definition
 * leaves to the catalogue, and the words of choices offered without a label of their own.
 * Subcommands and options carry their texts in their definitions (`discord`, `localName`,
 * `description`). Discord allows 100 characters a description and 8,000 for the whole command.
 *
 * Descriptions are keyed by the path Discord shows (the root is '', a group its name); names by
 * the English name, which is the same thing at every place it appears. Discord sends the
 * English names back whatever the reader's language, so localised names change nothing in how
 * an interaction is read.
 */

export interface Described {
  readonly en: string;
  readonly zh: string;
}

const d = (en: string, zh: string): Described => ({ en, zh });

export const DESCRIPTIONS: Readonly<Record<string, Described>> = {
  '': d('Huawei Cloud COC: scripts, orders, hosts, incidents, approvals', 'Huawei Cloud COC：脚本、工单、主机、事件、审批'),
  approval: d('One approval request', '单个审批请求'),
  scripts: d('Custom scripts in COC', 'COC 中的自定义脚本'),
  public: d("COC's public (built-in) scripts", 'COC 的公共（内置）脚本'),
  patch: d('Patch compliance', '补丁合规'),
  order: d('One execution order', '单个执行工单'),
  incident: d('One COC incident', '单个 COC 事件'),
  warroom: d('COC WarRooms', 'COC 作战室'),
  admin: d('Who may use the bot', '机器人使用者管理'),
  alarms: d('Alarms of the platform’s monitoring', '平台监控告警'),
  tasks: d('Standard-operations tasks', '标准运维任务'),
};

/** Chinese names of commands, groups, subcommands and options, by their English name. */
export const NAMES_ZH: Readonly<Record<string, string>> = {
  coc: 'coc',
  // groups and subcommands
  run: '运行',
  approvals: '待审批',
  approval: '审批',
  scripts: '脚本',
  public: '公共脚本',
  hosts: '主机',
  patch: '补丁',
  orders: '工单列表',
  order: '工单',
  incidents: '事件列表',
  incident: '事件',
  warroom: '作战室',
  audit: '审计',
  admin: '管理',
  alarms: '告警列表',
  tasks: '任务',
  show: '详情',
  view: '概览',
  watch: '跟踪',
  pause: '暂停',
  continue: '继续',
  cancel: '取消',
  'skip-batch': '跳过批次',
  'cancel-instance': '取消主机',
  create: '创建',
  accept: '受理',
  solve: '解决',
  verify: '验证',
  reject: '驳回',
  summary: '总结',
  // options
  script: '脚本',
  tag: '标签',
  query: '名称包含',
  'batch-size': '每批主机数',
  rotation: '批间动作',
  timeout: '超时秒数',
  'success-rate': '成功率',
  param: '参数',
  canary: '金丝雀',
  user: '用户',
  limit: '数量',
  'approval-id': '审批id',
  name: '名称',
  risk: '风险',
  type: '类型',
  after: '起始',
  'name-or-uuid': '名称或uuid',
  agent: '代理状态',
  region: '区域',
  status: '状态',
  host: '主机',
  page: '页码',
  'host-name-or-report-id': '主机名或报告id',
  level: '级别',
  desc: '描述',
  resource: '资源',
  app: '应用',
  ok: '恢复',
  mine: '我的',
  since: '时间范围',
  'execute-uuid': '执行uuid',
  batch: '批次',
  log: '日志',
  lines: '行数',
  instance: '实例',
  'incident-number': '事件编号',
  title: '标题',
  description: '描述',
  application: '应用',
  interrupted: '是否中断',
  assignee: '处理人',
  cause: '原因',
  solution: '解决方案',
  comment: '备注',
  members: '成员',
  'incident-number-or-warroom-id': '事件编号或作战室id',
  calls: '调用明细',
  'platform-user-id': '聊天用户id',
  'iam-user': 'iam用户',
  role: '角色',
  locale: '语言',
  'iam-user-id': 'iam用户id',
};

/** What a choice is called, by its value: English, and Chinese. */
export const CHOICES: Readonly<Record<string, Described>> = {
  continue: d('continue', '继续'),
  pause: d('pause', '暂停'),
  low: d('low', '低'),
  medium: d('medium', '中'),
  high: d('high', '高'),
  shell: d('shell', 'Shell'),
  python: d('python', 'Python'),
  bat: d('bat', 'Bat 批处理'),
  online: d('online', '在线'),
  offline: d('offline', '离线'),
  installing: d('installing', '安装中'),
  failed: d('failed', '失败'),
  uninstalled: d('uninstalled', '未安装'),
  compliant: d('compliant', '合规'),
  'non-compliant': d('non-compliant', '不合规'),
  critical: d('critical', '紧急'),
  major: d('major', '重要'),
  minor: d('minor', '次要'),
  info: d('info', '提示'),
  ready: d('ready', '就绪'),
  processing: d('processing', '执行中'),
  abnormal: d('abnormal', '异常'),
  paused: d('paused', '已暂停'),
  canceled: d('canceled', '已取消'),
  finished: d('finished', '已完成'),
  viewer: d('viewer', '查看者'),
  operator: d('operator', '操作员'),
  approver: d('approver', '审批人'),
  admin: d('admin', '管理员'),
  'en-US': d('English (en-US)', '英语 (en-US)'),
  'zh-CN': d('Chinese (zh-CN)', '简体中文 (zh-CN)'),
};
