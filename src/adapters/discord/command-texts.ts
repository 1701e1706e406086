/**
 * What Discord shows of `/coc`: a short, complete description of every group, subcommand and
 * option in English and Chinese, and the Chinese names of each. Discord allows 100 characters
 * a description and 8,000 for the whole command, names and choices included, so these are
 * written for Discord rather than cut from the commands' own help (which the terminal and
 * `--help` keep showing in full).
 *
 * Descriptions are keyed by the path Discord shows (`order cancel`, `order cancel yes`; the
 * root is ''); names by the English name, which is the same thing at every place it appears.
 * Discord sends the English names back whatever the reader's language, so localised names
 * change nothing in how an interaction is read.
 */

export interface Described {
  readonly en: string;
  readonly zh: string;
}

const d = (en: string, zh: string): Described => ({ en, zh });

export const DESCRIPTIONS: Readonly<Record<string, Described>> = {
  '': d('Huawei Cloud COC: scripts, orders, hosts, incidents, approvals', 'Huawei Cloud COC：脚本、工单、主机、事件、审批'),

  run: d('Run a script on hosts in batches; preview first, HIGH risk needs approval', '在主机上分批运行脚本：先预览，高风险需他人审批'),
  'run script': d('Script name or uuid (leave all empty for a form)', '脚本名称或 uuid（全部留空则打开表单）'),
  'run hosts': d('Host names or resource ids, comma separated', '主机名或资源 id，以逗号分隔'),
  'run tag': d('Every host with this tag, key=value', '带此标签的所有主机，格式 key=value'),
  'run query': d('Every host whose name contains this', '名称包含此文本的所有主机'),
  'run batch-size': d('Hosts per batch (default 10)', '每批主机数（默认 10）'),
  'run rotation': d('After each batch: continue or pause', '每批之后：继续或暂停'),
  'run timeout': d('Seconds per host (default 300)', '每台主机的超时秒数（默认 300）'),
  'run success-rate': d('% of hosts that must succeed for the next batch', '进入下一批所需的主机成功率（%）'),
  'run param': d('Parameters name=value, space separated', '脚本参数 name=value，以空格分隔'),
  'run canary': d('First batch is one host, then pause', '首批仅一台主机，然后暂停'),
  'run user': d('OS user the script runs as (default root)', '运行脚本的系统用户（默认 root）'),

  approvals: d('HIGH-risk runs waiting for a second person', '等待他人审批的高风险运行'),
  'approvals limit': d('How many to list (default 20)', '列出数量（默认 20）'),
  approval: d('One approval request', '单个审批请求'),
  'approval show': d('What would run, who asked, state, who decided', '将运行什么、谁发起、状态、谁决定'),
  'approval show approval-id': d('The approval id', '审批 id'),

  scripts: d('Custom scripts in COC', 'COC 中的自定义脚本'),

  public: d("COC's public (built-in) scripts", 'COC 的公共（内置）脚本'),


  patch: d('Patch compliance', '补丁合规'),



  order: d('One execution order', '单个执行工单'),

  incidents: d('COC incidents, newest first', 'COC 事件，最新的在前'),
  'incidents status': d('draft, triggered, acknowledged, rejected, resolved, completed (comma list)', 'draft、triggered、acknowledged、rejected、resolved、completed（逗号分隔）'),
  'incidents level': d('p1 to p5 (comma list)', 'p1 至 p5（逗号分隔）'),
  'incidents mine': d('Only incidents assigned to you', '仅指派给你的事件'),
  'incidents since': d('Within 30m, 2h, 1d, 2w, or since a UTC date', '最近 30m、2h、1d、2w，或自某个 UTC 日期起'),
  'incidents page': d('Page number', '页码'),
  'incidents limit': d('Per page (default 10)', '每页数量（默认 10）'),

  incident: d('One COC incident', '单个 COC 事件'),
  'incident show': d('Level, status, assignee, WarRoom, orders', '级别、状态、处理人、作战室、工单'),
  'incident show incident-number': d('Incident number', '事件编号'),
  'incident create': d('Open an incident (a form, or options)', '创建事件（表单或选项）'),
  'incident create title': d("What's wrong (at most 200 characters)", '问题概述（最多 200 个字符）'),
  'incident create description': d('Details (at most 600 characters)', '详细信息（最多 600 个字符）'),
  'incident create level': d('p1 (most severe) to p5', 'p1（最严重）至 p5'),
  'incident create type': d('Incident type, e.g. function, config, networking, hardware, other', '事件类型，例如 function、config、networking、hardware、other'),
  'incident create application': d('Affected application: name or id', '受影响的应用：名称或 id'),
  'incident create region': d('Region id, e.g. cn-north-4', '区域 id，例如 cn-north-4'),
  'incident create interrupted': d('yes or no: is service interrupted', 'yes 或 no：服务是否中断'),
  'incident create assignee': d('Chat user or IAM user (default: you)', '聊天用户或 IAM 用户（默认：你）'),
  'incident accept': d('Accept a waiting (TRIGGERED) incident', '受理等待中（TRIGGERED）的事件'),
  'incident accept incident-number': d('Incident number', '事件编号'),
  'incident solve': d('Give cause and solution (a form, or options)', '提交原因与解决方案（表单或选项）'),
  'incident solve incident-number': d('Incident number', '事件编号'),
  'incident solve cause': d('What caused it', '原因'),
  'incident solve solution': d('What resolved it', '解决方案'),
  'incident solve type': d('Incident type (default: unchanged)', '事件类型（默认：不变）'),
  'incident solve interrupted': d('yes or no (default: unchanged)', 'yes 或 no（默认：不变）'),
  'incident verify': d('Verify the solution; completes it', '验证解决方案并完成事件'),
  'incident verify incident-number': d('Incident number', '事件编号'),
  'incident verify comment': d('How it was checked (max 300)', '如何验证的（最多 300 字）'),
  'incident reject': d('Reject the solution, with a reason', '驳回解决方案并说明原因'),
  'incident reject incident-number': d('Incident number', '事件编号'),
  'incident reject comment': d("Why it isn't enough (max 300)", '驳回原因（最多 300 字）'),

  warroom: d('COC WarRooms', 'COC 作战室'),
  'warroom create': d('Start a WarRoom for an open incident', '为未关闭的事件创建作战室'),
  'warroom create incident-number': d('Incident number', '事件编号'),
  'warroom create name': d('Title (default: [level] incident title)', '标题（默认：[级别] 事件标题）'),
  'warroom create description': d('Description (default: incident title)', '描述（默认：事件标题）'),
  'warroom create members': d('Chat or IAM users to add, comma list', '要加入的聊天或 IAM 用户，逗号分隔'),
  'warroom show': d('Status, members, durations, impact', '状态、成员、时长、影响'),
  'warroom show incident-number-or-warroom-id': d('Incident number or WarRoom id', '事件编号或作战室 id'),
  'warroom summary': d("Post the incident's summary here", '在此发布事件总结'),
  'warroom summary incident-number': d('Incident number', '事件编号'),


  admin: d('Who may use the bot', '机器人使用者管理'),
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
  alarm: '告警',
  orders: '工单列表',
  order: '工单',
  incidents: '事件列表',
  incident: '事件',
  warroom: '作战室',
  audit: '审计',
  admin: '管理',
  list: '列表',
  show: '详情',
  'script-show': '脚本详情',
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
  link: '关联',
  unlink: '解除关联',
  users: '用户列表',
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
  yes: '直接执行',
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
