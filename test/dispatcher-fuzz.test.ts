/**
 * Garbage in, a clear reply out: 10,000 fuzzed command lines and 10,000 fuzzed button clicks
 * through the real Dispatcher (simulator, in-memory store, audit on). Nothing may throw or
 * reject, every reply must say something (a title or a text), and no click with a garbage
 * value may reach COC with a write to a script or an order.
 *
 * Seeded (FUZZ_SEED, default below) so a failure can be replayed; FUZZ_LINES / FUZZ_ACTIONS
 * change the counts. The test bot's `onUnexpected` rethrows, so a handler crash that the
 * dispatcher would turn into "Something went wrong" counts here as an exception too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Invocation, Place } from '../src/core/invocation.js';
import type { Message } from '../src/core/message.js';
import { lineFlagsOf } from '../src/core/command.js';
import { DEMO_MAPPINGS } from '../src/identity/demo.js';
import { mulberry32 } from '../src/sim/prng.js';
import type { RequestRecord } from '../src/sim/server.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { VOLUME_TEST_MS } from './helpers/safety-net.js';
import { writeHeldAuditRows } from '../src/store/audit-events.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20_261_122);
const LINES = Number(process.env['FUZZ_LINES'] ?? 10_000);
const ACTIONS = Number(process.env['FUZZ_ACTIONS'] ?? 10_000);
/** Invocations in flight at once, as several chat users would be. */
const CONCURRENCY = 8;
const VERBOSE = process.env['FUZZ_VERBOSE'] === '1';

const random = mulberry32(SEED);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
const chance = (p: number) => random() < p;

const SLACK_TEAM = 'T0FUZZTEAM';
const DISCORD_GUILD = '111111111111111111';
const MAPPINGS = [
  ...DEMO_MAPPINGS,
  { platform: 'slack', workspace: SLACK_TEAM, user: 'U0OPERATOR', iamUser: 'slack.op', role: 'operator' },
  { platform: 'slack', workspace: SLACK_TEAM, user: 'U0ADMIN', iamUser: 'slack.admin', role: 'admin', locale: 'zh-CN' },
  { platform: 'discord', workspace: DISCORD_GUILD, user: '222222222222222222', iamUser: 'discord.approver', role: 'approver' },
] as const;

const MAPPED: readonly Actor[] = [
  ...['alice', 'bob', 'carol', 'dave'].map((userId) => ({ platform: 'shell' as const, workspaceId: 'local', userId })),
  { platform: 'slack', workspaceId: SLACK_TEAM, userId: 'U0OPERATOR' },
  { platform: 'slack', workspaceId: SLACK_TEAM, userId: 'U0ADMIN' },
  { platform: 'discord', workspaceId: DISCORD_GUILD, userId: '222222222222222222' },
];
/** Nobody mapped these: strangers, a mapped id in another workspace, a display name that is not an id, broken ids. */
const UNMAPPED: readonly Actor[] = [
  { platform: 'shell', workspaceId: 'local', userId: 'mallory' },
  { platform: 'shell', workspaceId: 'local', userId: '' },
  { platform: 'shell', workspaceId: 'elsewhere', userId: 'alice' },
  { platform: 'slack', workspaceId: 'T0OTHERTEAM', userId: 'U0OPERATOR' },
  { platform: 'slack', workspaceId: SLACK_TEAM, userId: 'U0STRANGER', displayName: 'alice' },
  { platform: 'discord', workspaceId: DISCORD_GUILD, userId: '333333333333333333' },
  { platform: 'shell', workspaceId: 'local', userId: 'ali\u0000ce' },
  { platform: 'shell', workspaceId: 'local', userId: '用户\u202e' },
  { platform: 'shell', workspaceId: 'local', userId: '\ud800' },
];

/** Three in four invocations come from someone mapped, so the fuzz reaches the commands. */
const actor = (): Actor => (chance(0.75) ? pick(MAPPED) : pick(UNMAPPED));

function place(): Place {
  const isDirect = chance(0.3);
  const channelId = pick(['terminal', 'C0OPS', 'C0PUBLIC', 'D0DM', '', 'ch\u0000an', '频道', 'x'.repeat(300)]);
  return { channelId, isDirect, ...(chance(0.1) ? { threadId: pick(['1712345678.000100', '', '\ud800']) } : {}) };
}

const UNICODE = ['日本語', '中文参数', '🚀🔥', 'e\u0301', '\u200b', '\u202eevil', '\ufeff', 'ǅ', '𝔘𝔫𝔦', '\u3000', 'Ω≈ç√', '\ud800', '\udfff', '\ud83d'];
const CONTROL = ['\u0000', '\u0001', '\u0007', '\b', '\u001b[31m', '\u007f', '\u0085', '\r', '\n', '\t', '\u2028'];
const SPICY = [
  "'; DROP TABLE audit_events; --",
  '<!channel>',
  '<@U0ADMIN>',
  '${process.exit()}',
  '../../etc/passwd',
  '%s%n%x',
  '{"execute_uuid":"EX-1"}',
  '[]',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  'toString',
  'env=prod',
  '=',
  'a=',
  '=b',
  'k=v=w',
  'password=hunter2',
  'SC20250331145618b3b0ba577',
  'high',
  'LOW',
  'shell',
  'online',
  'viewer',
  'admin',
  'zh-CN',
  'en-US',
  '2h',
  '1d',
  '2026-05-01',
  '2026-02-31T25:61Z',
];
const NUMBERS = ['0', '1', '-1', '20', '100', '101', '200', '201', '1.5', '1e309', 'NaN', 'Infinity', '0x10', '007', '-0', '9007199254740993', '٣'];

function value(): string {
  switch (int(10)) {
    case 0:
      return pick(NUMBERS);
    case 1:
      return pick(UNICODE) + (chance(0.5) ? pick(UNICODE) : '');
    case 2:
      return `a${pick(CONTROL)}b`;
    case 3:
      return pick(SPICY);
    case 4: {
      // Quotes, closed or not, straight or typographic.
      const quote = pick(['"', "'", '“', '‘', '”', '’']);
      return chance(0.5) ? `${quote}${word()} ${word()}${quote === '“' ? '”' : quote === '‘' ? '’' : quote}` : `${quote}${word()}`;
    }
    case 5:
      return chance(0.05) ? 'x'.repeat(50_000 + int(50_000)) : pick(['a', '中', '🚀']).repeat(100 + int(2000));
    case 6:
      return `${word()}\\${pick(['', '"', ' ', '\\'])}`;
    case 7:
      return Array.from({ length: 1 + int(6) }, () => String.fromCharCode(int(0x3000))).join('');
    default:
      return word();
  }
}

function word(): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789-_.';
  return Array.from({ length: 1 + int(10) }, () => letters[int(letters.length)]).join('');
}

interface Shape {
  readonly words: readonly string[];
  /** `--name` of each flag the command declares. */
  readonly flags: readonly string[];
}

function commandLine(commands: readonly Shape[], allFlags: readonly string[]): string {
  if (chance(0.02)) return pick(['', ' ', '\t\n', '--', '-', '"', "'", '“', '\\', '\u0000', 'help', '--help', '/coc', 'coc', 'coc coc']);
  const words: string[] = [];
  if (chance(0.15)) words.push(pick(['/coc', 'coc', '/COC']));
  const command = pick(commands);
  if (chance(0.85)) words.push(...command.words);
  else words.push(...Array.from({ length: int(3) }, () => pick([...commands.flatMap((c) => c.words), 'help', 'HELP', word()])));
  // Mostly the command's own flags, so the handler gets the garbage rather than the parser.
  const flags = command.flags.length && chance(0.8) ? command.flags : allFlags;
  const extra = int(6);
  for (let i = 0; i < extra; i++) {
    switch (int(8)) {
      case 0:
      case 1:
      case 2:
        words.push(pick(flags));
        if (chance(0.7)) words.push(value());
        break;
      case 3:
        words.push(`${pick(flags)}=${value()}`);
        break;
      case 4:
        if (chance(0.3)) words.push(pick(['--', '--help', '-x', '---', '--=', `--${word()}`, '—limit']));
        break;
      default:
        words.push(value());
    }
  }
  return words.join(pick([' ', ' ', '  ', '\t', '\u3000', '\u00a0']));
}

/** A write to a script or an order that reached COC. */
function isScriptOrOrderWrite(request: RequestRecord): boolean {
  return request.method !== 'GET' && /^\/v1\/job\/(scripts?|script\/orders|public-scripts?)(\/|$|\?)/.test(request.path);
}

function label(invocation: Invocation): string {
  const who = `${invocation.actor.platform}:${invocation.actor.userId}`;
  if (invocation.kind === 'command') return `${who} ${JSON.stringify(invocation.text.slice(0, 120))}`;
  if (invocation.kind === 'action') return `${who} click ${JSON.stringify(invocation.actionId.slice(0, 60))} ${JSON.stringify(invocation.value.slice(0, 60))}`;
  return `${who} form ${invocation.formId}`;
}

async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

describe('dispatcher fuzz', () => {
  let bot: TestBot;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    bot = await makeTestBot({ mappings: MAPPINGS, sim: { requestLogCapacity: 200_000 } });
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await bot?.close();
  });

  it(`answers ${LINES} fuzzed lines and ${ACTIONS} fuzzed clicks without one exception, and no garbage click writes to COC`, { timeout: VOLUME_TEST_MS }, async () => {
    const registry = bot.dispatcher.registry;
    const shapes: Shape[] = registry.commands.map((command) => ({ words: command.words, flags: lineFlagsOf(command).map((flag) => `--${flag.name}`) }));
    const allFlags = [...new Set(shapes.flatMap((shape) => shape.flags))];
    const knownActions = registry.actions.map((action) => action.id);
    const actionIds = [
      ...knownActions,
      ...knownActions.map((id) => `${id}x`),
      ...knownActions.map((id) => id.toUpperCase()),
      'order:cancel',
      'order:pause',
      'approval:approve',
      'approval:reject',
      'run:confirm',
      '',
      '__proto__',
      'constructor',
      'a'.repeat(10_000),
      'act\u0000ion',
    ];

    const lines: Invocation[] = Array.from({ length: LINES }, () => ({ kind: 'command', actor: actor(), place: place(), text: commandLine(shapes, allFlags) }));
    const clicks: Invocation[] = Array.from({ length: ACTIONS }, () => ({
      kind: 'action',
      actor: actor(),
      place: place(),
      // Known actions most of the time, so the handlers themselves get the garbage.
      actionId: knownActions.length && chance(0.75) ? pick(knownActions) : pick(actionIds),
      value: chance(0.1) ? '' : chance(0.5) ? value() : JSON.stringify({ id: value(), uuid: value(), n: int(1e9) }),
    }));

    const exceptions: string[] = [];
    const silent: string[] = [];
    let answered = 0;
    /** Replies that were not refusals or errors: how deep the fuzz got. */
    let succeeded = 0;
    const titles = new Map<string, number>();
    const handle = async (invocation: Invocation) => {
      let reply: Message;
      try {
        reply = await bot.dispatcher.handle(invocation);
      } catch (error) {
        exceptions.push(`${label(invocation)}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        return;
      }
      if (reply.tone !== 'danger') succeeded++;
      if (VERBOSE) titles.set(reply.title ?? '', (titles.get(reply.title ?? '') ?? 0) + 1);
      if ((typeof reply.title === 'string' && reply.title.trim()) || (typeof reply.text === 'string' && reply.text.trim())) answered++;
      else silent.push(label(invocation));
    };

    const started = performance.now();
    bot.sim.resetRequests();
    await pool(lines, CONCURRENCY, handle);
    const lineMs = performance.now() - started;
    const lineWrites = bot.sim.requests.filter(isScriptOrOrderWrite).length;

    bot.sim.resetRequests();
    const clicksStarted = performance.now();
    await pool(clicks, CONCURRENCY, handle);
    const clickMs = performance.now() - clicksStarted;
    const clickWrites = bot.sim.requests.filter(isScriptOrOrderWrite);

    // Reads' rows are written just after their answers.
    await writeHeldAuditRows(bot.store.db);
    const auditRows = (await bot.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events')).rows[0]?.n ?? 0;
    // The one summary line.
    console.log(
      `dispatcher fuzz (seed ${SEED}): lines ${LINES}, actions ${ACTIONS} (${knownActions.length} known ids), answered ${answered}, ` +
        `exceptions ${exceptions.length + unhandled.length}, silent ${silent.length}, COC writes from lines ${lineWrites} / from clicks ${clickWrites.length}, ` +
        `ran ${succeeded}, audit rows ${auditRows}, ${Math.round(lineMs)} ms + ${Math.round(clickMs)} ms`,
    );
    if (VERBOSE) console.log([...titles].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([title, n]) => `${n}\t${title}`).join('\n'));

    expect(exceptions.slice(0, 5), `${exceptions.length} invocations threw or rejected`).toEqual([]);
    expect(unhandled.map(String).slice(0, 5)).toEqual([]);
    expect(silent.slice(0, 5), `${silent.length} replies had neither title nor text`).toEqual([]);
    expect(answered).toBe(LINES + ACTIONS);
    expect(clickWrites.map((r) => `${r.method} ${r.path}`).slice(0, 5)).toEqual([]);
    // Every invocation left its row in the audit trail.
    expect(auditRows).toBeGreaterThanOrEqual(LINES + ACTIONS);
  });
});
