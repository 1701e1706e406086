/**
 * The terminal's own sentences (prompts, numbered choices, forms asked field by field, Ctrl-C,
 * `--exec`, the first screen), in the language of the person acting at the prompt.
 */
import type { Text } from '../translate.js';

export const SHELL_TEXTS = {
  // Prompts.
  optional: { 'en-US': ' (optional)', 'zh-CN': '（可选）' },
  whichOne: { 'en-US': 'which one?', 'zh-CN': '选哪一个？' },
  // Acting as someone.
  asOneName: { 'en-US': '"/as" takes one name: /as {name}', 'zh-CN': '"/as" 只接受一个名字：/as {name}' },
  nowActingAs: { 'en-US': 'Now acting as {user}.', 'zh-CN': '现在以 {user} 的身份操作。' },
  actingAs: { 'en-US': 'Acting as {user}.{people} Switch with: /as <name>', 'zh-CN': '当前身份：{user}。{people}切换：/as <名字>' },
  peopleHere: { 'en-US': ' People here: {people}.', 'zh-CN': '可用的人：{people}。' },
  noSuchPerson: { 'en-US': 'No person "{name}" here. People: {people}. Still acting as {user}.', 'zh-CN': '这里没有名为“{name}”的人。可用的人：{people}。仍以 {user} 的身份操作。' },
  noSuchPersonNobody: { 'en-US': 'No person "{name}" here, and nobody is mapped on the terminal. Still acting as {user}.', 'zh-CN': '这里没有名为“{name}”的人，终端上也没有映射任何人。仍以 {user} 的身份操作。' },
  // Numbered choices.
  noChoice: { 'en-US': 'There is no choice {n} on {card}; {hint}.', 'zh-CN': '{card} 上没有选项 {n}；{hint}。' },
  typeOne: { 'en-US': 'type 1', 'zh-CN': '请输入 1' },
  pickRange: { 'en-US': 'pick 1 to {count}', 'zh-CN': '请输入 1 到 {count}' },
  nothingToChoose: { 'en-US': 'There is nothing to choose from; run a command first.', 'zh-CN': '当前没有可选的内容；请先执行一条命令。' },
  chooseHint: { 'en-US': 'Type a number to choose; the numbers answer {card}.', 'zh-CN': '输入数字进行选择；这些数字对应 {card}。' },
  buttonsUnnumbered: {
    'en-US': 'Buttons: {buttons} (not numbered: {now}; "/answer {ref}" numbers these instead).',
    'zh-CN': '按钮：{buttons}（未编号：{now}；输入 "/answer {ref}" 改为给这些按钮编号）。',
  },
  stillAnswer: { 'en-US': 'the numbers still answer {card}', 'zh-CN': '数字仍对应 {card}' },
  nothingNumbered: { 'en-US': 'nothing is numbered now', 'zh-CN': '当前没有编号' },
  cardWithTitle: { 'en-US': 'card {ref} ("{title}")', 'zh-CN': '卡片 {ref}（“{title}”）' },
  card: { 'en-US': 'card {ref}', 'zh-CN': '卡片 {ref}' },
  titled: { 'en-US': '"{title}"', 'zh-CN': '“{title}”' },
  lastReply: { 'en-US': 'the last reply', 'zh-CN': '上一条回复' },
  // Cards that arrive on their own.
  updated: { 'en-US': '── updated ({where}, card {ref}) ──', 'zh-CN': '── 已更新（{where}，卡片 {ref}）──' },
  posted: { 'en-US': '── posted ({where}, card {ref}) ──', 'zh-CN': '── 新消息（{where}，卡片 {ref}）──' },
  noticeFor: { 'en-US': 'for {user}', 'zh-CN': '给 {user}' },
  // "/answer".
  noCard: { 'en-US': 'There is no card {ref} here.', 'zh-CN': '这里没有卡片 {ref}。' },
  whichCard: { 'en-US': 'Which card? Type "/answer <card>".', 'zh-CN': '哪张卡片？请输入 "/answer <卡片>"。' },
  cardsLately: { 'en-US': ' Cards shown lately: {cards}.', 'zh-CN': '最近显示的卡片：{cards}。' },
  offersNothing: { 'en-US': '{card} offers you nothing to choose.', 'zh-CN': '{card} 没有可供您选择的内容。' },
  // Confirmations.
  no: { 'en-US': 'No', 'zh-CN': '否' },
  confirmHow: { 'en-US': 'Type y or yes for "{yes}"; anything else is "{no}".', 'zh-CN': '输入 y 或 yes 表示“{yes}”；输入其他任何内容表示“{no}”。' },
  notDone: { 'en-US': 'Not done: "{about}" was not confirmed (got {said}; y or yes confirms).', 'zh-CN': '未执行：“{about}”未被确认（收到 {said}；y 或 yes 表示确认）。' },
  asOnlyDemo: {
    'en-US': 'Not switched: this terminal acts as {user}, the person it was started as. "/as" switches people only with the built-in simulator\'s demo people; on a real platform one person could otherwise request a run and approve it as another, and an approval needs two different people.',
    'zh-CN': '未切换：此终端以启动时的身份 {user} 操作。"/as" 只能在内置模拟器的演示人员之间切换；在真实平台上，否则一个人就能发起执行再以另一个人的身份批准，而审批需要两个不同的人。',
  },
  typedBeforeQuestion: { 'en-US': 'Not done: that line was typed before the question; answer it now.', 'zh-CN': '未执行：这一行是在问题出现之前输入的；请现在回答。' },
  emptyLine: { 'en-US': 'an empty line', 'zh-CN': '空行' },
  canceled: { 'en-US': 'Canceled: nothing was sent.', 'zh-CN': '已取消：未发送任何内容。' },
  // Forms.
  formHow: { 'en-US': 'Answer each field; an empty line skips an optional one, "/cancel" closes the form.', 'zh-CN': '请逐项填写；空行跳过可选项，输入 "/cancel" 关闭表单。' },
  filePath: { 'en-US': 'The path of a text file on this machine (at most {max} bytes).', 'zh-CN': '本机上一个文本文件的路径（最多 {max} 字节）。' },
  sensitive: { 'en-US': 'Sensitive: never shown in any reply, log or audit record, and kept out of the history file.', 'zh-CN': '敏感信息：不会出现在任何回复、日志或审计记录中，也不会写入历史文件。' },
  several: { 'en-US': 'Several: separate them with commas.', 'zh-CN': '可填多个：用逗号分隔。' },
  emptyKeeps: { 'en-US': 'Empty line keeps: {value}', 'zh-CN': '空行保留：{value}' },
  formClosed: { 'en-US': 'Closed "{form}"; nothing was submitted.', 'zh-CN': '已关闭“{form}”；未提交任何内容。' },
  needsValue: { 'en-US': '"{field}" needs a value.', 'zh-CN': '“{field}”需要填写。' },
  // Part of a name in a searched field.
  nothingMatches: { 'en-US': '{field}: nothing matches "{part}".', 'zh-CN': '{field}：没有与“{part}”匹配的项。' },
  matchesSeveral: {
    'en-US': '{field}: "{part}" matches {count}. Type the number of the one you mean{several}, or "/cancel".',
    'zh-CN': '{field}：“{part}”匹配到 {count} 项。请输入您要的那一项的编号{several}，或输入 "/cancel"。',
  },
  matchesMore: {
    'en-US': '{field}: more than {count} match "{part}"; the first {count} are below. Type the number of the one you mean{several}, type more of its name, or "/cancel".',
    'zh-CN': '{field}：与“{part}”匹配的超过 {count} 项；下面是前 {count} 项。请输入您要的那一项的编号{several}，或输入更完整的名称，或输入 "/cancel"。',
  },
  noneShown: {
    'en-US': '{field}: more match "{part}" than one search shows, and none of those shown can be chosen. Type more of its name.',
    'zh-CN': '{field}：与“{part}”匹配的项超过一次查找所能显示的数量，且显示的项均不可选。请输入更完整的名称。',
  },
  searchFailed: { 'en-US': '{field}: could not look "{part}" up, so nothing was chosen.', 'zh-CN': '{field}：无法查找“{part}”，因此未选择任何项。' },
  withheld: { 'en-US': '{field}: "{part}" cannot be chosen: {why}.', 'zh-CN': '{field}：无法选择“{part}”：{why}。' },
  severalNumbers: { 'en-US': ' (several: separate the numbers with commas)', 'zh-CN': '（可选多个：编号之间用逗号分隔）' },
  pickNumber: { 'en-US': 'Type a number from 1 to {count} for "{typed}", or "/cancel".', 'zh-CN': '请为“{typed}”输入 1 到 {count} 之间的编号，或输入 "/cancel"。' },
  resolved: { 'en-US': '{typed} → {value}', 'zh-CN': '{typed} → {value}' },
  // `--exec`.
  execForm: {
    'en-US': '"{line}" needs answers ({fields}): give them as flags on the same line ("help {command}" lists them, with an example). --exec answers no form; nothing was done.',
    'zh-CN': '“{line}”需要填写（{fields}）：请在同一行以参数给出（"help {command}" 列出这些参数并附示例）。--exec 不回答表单；未执行任何操作。',
  },
  execQuestion: {
    'en-US': '"{line}" needs answers: "{about}" asks to confirm, and --exec answers no question. Confirm it at the prompt (npm start). Nothing was done.',
    'zh-CN': '“{line}”需要回答：“{about}”要求确认，而 --exec 不回答问题。请在交互提示符下确认（npm start）。未执行任何操作。',
  },
  execButtons: {
    'en-US': '"{line}" needs answers: its reply waits for {labels}, and --exec presses no buttons. Nothing was started: press them at the prompt (npm start), where LOW risk runs on Run, MEDIUM asks once more and HIGH becomes an approval request.',
    'zh-CN': '“{line}”需要回答：其回复等待 {labels}，而 --exec 不按按钮。未启动任何操作：请在交互提示符下按（npm start）；低风险点“执行”即运行，中风险会再确认一次，高风险会成为审批请求。',
  },
  // Ctrl-C.
  ctrlCAgain: { 'en-US': 'Press Ctrl-C again or Ctrl-D to quit.', 'zh-CN': '再按一次 Ctrl-C 或按 Ctrl-D 退出。' },
  ctrlCRunning: {
    'en-US': 'The command is still running — press Ctrl-C again to quit once it has finished.',
    'zh-CN': '命令仍在运行——再按一次 Ctrl-C，将在其完成后退出。',
  },
  closing: { 'en-US': 'Closing… the store and the simulator\'s world are being saved; this ends on its own.', 'zh-CN': '正在关闭…正在保存存储和模拟器的世界；完成后自动退出。' },
  ctrlCQuitting: { 'en-US': 'Quitting once the running command has finished.', 'zh-CN': '正在运行的命令完成后即退出。' },
  // A platform that is slow to answer.
  stillWaiting: { 'en-US': 'still waiting for {platform}… {seconds} s', 'zh-CN': '仍在等待 {platform}… {seconds} 秒' },
  // The first screen.
  connected: { 'en-US': 'Connected to {description}. Store: {store}.', 'zh-CN': '已连接：{description}。存储：{store}。' },
  demoPeople: {
    'en-US': 'Demo people: alice (operator), bob (approver), carol (viewer), dave (admin); switch with "/as bob".',
    'zh-CN': '演示用户：alice（operator）、bob（approver）、carol（viewer）、dave（admin）；用 "/as bob" 切换。',
  },
  configuredPeople: { 'en-US': 'People: from config ({people}); switch with "/as <name>".', 'zh-CN': '用户：来自配置（{people} 人）；用 "/as <名字>" 切换。' },
  typeHelp: { 'en-US': 'Type "help" for the commands, "exit" to leave.', 'zh-CN': '输入 "help" 查看命令，输入 "exit" 退出。' },
} satisfies Record<string, Text>;
