/**
 * The BlueKing backend: the neutral interface over ESB components (CMDB and GSE hosts, Job
 * scripts and executions, ITSM approvals, SOPS tasks, Monitor alarms, CMSI notices). One backend
 * per caller: a person's session is a caller acting as their BlueKing user name.
 *
 * It has no `runs`: Job has no batches, pause or cancel of its own, so src/batches composes runs
 * from `executions` and the store. It has no incidents, WarRooms or patches: commands that need
 * them are absent in BlueKing mode.
 */
import { Secret } from '../../config/secret.js';
import type { Backend } from '../backend.js';
import { makeId, type Id, type IdKind } from '../ids.js';
import { checkBluekingUser } from './users.js';
import { bluekingAlarms } from './alarms.js';
import { bluekingApprovals } from './approvals.js';
import { EsbClient } from './esb/client.js';
import type { EsbCaller } from './esb/component.js';
import './errors.js';
import { bluekingExecutions } from './executions.js';
import { bluekingHosts } from './hosts.js';
import { bluekingNotices } from './notices.js';
import { bluekingScripts, typedScriptId } from './scripts.js';
import type { BluekingSettings } from './settings.js';
import { bluekingTasks, type KeptTaskDetails } from './tasks.js';
import { BLUEKING_VOCABULARY } from './vocabulary.js';
import type { CallScope } from '../observe.js';
import { capabilitiesMadeFrom } from '../scoped.js';

const DIGITS = /^\d{1,18}$/;
const BIZ_AND_DIGITS = /^(?:(\d{1,18}):)?(\d{1,18})$/;
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
/** What people type for the ids BlueKing keeps as text (ITSM ticket numbers, the bot's run ids). */
const LOOSE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** What a person typed for an id of `kind`, as BlueKing numbers it; undefined when it cannot be one. */
export function parseTypedId<K extends IdKind>(kind: K, typed: string, defaultBiz: number): Id<K> | undefined {
  const text = typed.trim();
  const inBiz = (): Id<K> | undefined => {
    const match = BIZ_AND_DIGITS.exec(text);
    return match ? makeId('blueking', kind, `${match[1] ?? defaultBiz}:${match[2]}`) : undefined;
  };
  switch (kind) {
    case 'host': {
      // `<cloud area>:<inner IP>`, or an IP in the default cloud area 0.
      const match = /^(?:(\d{1,9}):)?(.+)$/.exec(text);
      return match && IPV4.test(match[2]!) ? makeId('blueking', kind, `${match[1] ?? '0'}:${match[2]}`) : undefined;
    }
    case 'script':
    case 'public-script':
      return typedScriptId(kind, text, defaultBiz) as Id<K> | undefined;
    case 'execution':
    case 'task':
    case 'template':
      return inBiz();
    case 'alarm':
      return DIGITS.test(text) ? makeId('blueking', kind, text) : undefined;
    case 'ticket':
    case 'run':
      return LOOSE.test(text) ? makeId('blueking', kind, text) : undefined;
    default:
      // host-run, incident, war-room, patch-host: BlueKing has none.
      return undefined;
  }
}

/**
 * The backend over `caller`; `within` gives one over a scoped view of it for one invocation, which
 * keeps what this one keeps (`taskDetails`): what a person read is not read again per command.
 */
export function createBluekingBackend(caller: EsbCaller, settings: BluekingSettings, taskDetails: KeptTaskDetails = new Map()): Backend {
  const scoped = caller.scoped?.bind(caller);
  const backend: Backend = {
    name: 'blueking',
    displayName: { 'en-US': 'BlueKing', 'zh-CN': '蓝鲸' },
    vocabulary: BLUEKING_VOCABULARY,
    perUser: 'username',
    hosts: bluekingHosts(caller, settings),
    scripts: bluekingScripts(caller, settings),
    executions: bluekingExecutions(caller, settings),
    alarms: bluekingAlarms(caller, settings),
    tasks: bluekingTasks(caller, settings, taskDetails),
    notices: bluekingNotices(caller),
    identity: { userExists: async (name, options) => (await checkBluekingUser(caller, name, options)) === 'exists' },
    ...(settings.itsmServiceId !== undefined ? { approvals: bluekingApprovals(caller, settings) } : {}),
    parseId<K extends IdKind>(kind: K, typed: string): Id<K> | undefined {
      return parseTypedId(kind, typed, settings.defaultBiz);
    },
    ...(scoped ? { within: (scope: CallScope) => capabilitiesMadeFrom(createBluekingBackend(scoped(scope), settings, taskDetails), backend) } : {}),
  };
  return backend;
}

/** Settings for a backend that is only declared, never called. */
const DECLARED_SETTINGS: BluekingSettings = { defaultBiz: 1, riskRules: [], defaultAccount: 'root', itsmServiceId: 1, paasHost: 'https://paas.invalid' };

/**
 * The BlueKing backend as declared, for what is decided before any call (the command set, help,
 * the Slack manifest, Discord's command tree): its groups, limits and codes, over a client that
 * is never used. ITSM approvals are declared present: the command set offers what a deployment
 * may configure.
 */
export function declaredBluekingBackend(settings: BluekingSettings = DECLARED_SETTINGS): Backend {
  const client = new EsbClient({ endpoint: 'https://paas.invalid', appCode: 'declared-only', appSecret: new Secret('declared-only'), username: 'declared-only' });
  return createBluekingBackend(client, settings);
}
