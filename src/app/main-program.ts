/**
 * What `npm start` runs (src/main.ts loads it): loads the configuration, connects to the backend
 * (COC or BlueKing, or the built-in simulator of either), opens the store, and runs the terminal
 * adapter, and Slack or Discord when configured. Options: USAGE below.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
// Adapters are loaded only when configured (Bolt and discord.js take a while to load).
import type { DiscordAdapter } from '../adapters/discord/adapter.js';
import type { RunningSlack } from '../adapters/slack/start.js';
import { paletteFor } from '../adapters/shell/ansi.js';
import { renderMessage } from '../adapters/shell/render.js';
import { runRepl } from '../adapters/shell/repl.js';
import { ShellSession } from '../adapters/shell/session.js';
import { ShellSurface, type ShellEvent } from '../adapters/shell/surface.js';
import { runExecLines } from '../adapters/shell/exec.js';
import { firstScreen } from '../adapters/shell/first-screen.js';
import { startBot } from './bot.js';
import { printEarlyEnd, readCliOptions } from '../core/cli-options.js';
import { switchesPeople } from '../adapters/shell/switch-people.js';
import { BACKEND_KINDS, enabledAdapters, loadConfig, type BackendKind } from '../config.js';
import { DEMO_FIRST_USER } from '../identity/demo.js';
import { guardSignalsUntilClosed, type ClosingGuard } from '../adapters/shell/closing-guard.js';

const USAGE = [
  'usage: npm start [-- options]',
  '  (none)                  an interactive prompt (and Slack or Discord when configured)',
  '  --exec "<line>"         run one line and exit (repeatable); the exit code is 1 if any line failed',
  '  --as <user>             act as another terminal user (the demo people: alice, bob, carol, dave)',
  `  --backend <name>        ${BACKEND_KINDS.join(' | ')}: the platform for this run, as COC_CHATOPS_BACKEND would set it;`,
  '                          without its connection configured, its built-in simulator with the demo people',
  '  --help, -h              print this',
].join('\n');

function isBackendKind(value: string): value is BackendKind {
  return (BACKEND_KINDS as readonly string[]).includes(value);
}

async function main(): Promise<number> {
  const read = readCliOptions(USAGE, { exec: { type: 'string', multiple: true }, as: { type: 'string' }, backend: { type: 'string' } });
  if (!read.ok) return printEarlyEnd(read);
  const { values } = read;
  if (values.backend !== undefined && !isBackendKind(values.backend)) {
    process.stderr.write(`--backend ${JSON.stringify(values.backend)}: must be one of ${BACKEND_KINDS.join(', ')}\n\n${USAGE}\n`);
    return 2;
  }
  const palette = paletteFor(process.stdout);
  // The flag wins over the file and the environment for this run, and is checked with them.
  const loaded = loadConfig(values.backend ? { env: { ...process.env, COC_CHATOPS_BACKEND: values.backend } } : {});
  if (!loaded.ok) {
    process.stderr.write(`The configuration has problems (run "npm run check-config" for details):\n`);
    for (const problem of loaded.problems) process.stderr.write(`  ${problem.path}: ${problem.message} — ${problem.fix}\n`);
    return 1;
  }
  const onUnexpected = (error: unknown) => process.stderr.write(`unexpected error: ${error instanceof Error ? `${error.name}: ${error.message}` : 'unknown'}\n`);
  const enabled = enabledAdapters(loaded.config);
  const bot = await startBot(loaded.config, { onUnexpected });
  let guard: ClosingGuard | undefined;
  let discord: DiscordAdapter | undefined;
  let slack: RunningSlack | undefined;
  try {
    const user = values.as ?? process.env['COC_CHATOPS_SHELL_USER'] ?? (bot.demoIdentities ? DEMO_FIRST_USER : (process.env['USER'] ?? 'local'));
    const session = new ShellSession(bot.dispatcher, palette, user, loaded.config.locale, switchesPeople(bot.connected.simulated, loaded.config.backend === 'blueking' ? loaded.config.blueking.paasHost : loaded.config.coc.endpoint));
    // Posted cards go to stdout straight away until the prompt takes over printing them.
    let print: (text: string) => void = (text) => {
      process.stdout.write(text);
    };
    bot.chat.register(new ShellSurface((event: ShellEvent) => print(session.receive(event))));
    // Chat platforms register their surfaces before the background work starts posting cards.
    if (enabled.slack) {
      const { startSlackAdapter } = await import('../adapters/slack/start.js');
      slack = await startSlackAdapter({ config: loaded.config, dispatcher: bot.dispatcher, services: bot.services, readiness: bot.readiness });
      bot.chat.register(slack.surface);
    }
    if (enabled.discord) {
      const { startDiscordAdapter } = await import('../adapters/discord/adapter.js');
      discord = await startDiscordAdapter({
        config: loaded.config,
        dispatcher: bot.dispatcher,
        registry: bot.dispatcher.registry,
        db: bot.store.db,
        metrics: bot.services.metrics,
        readiness: bot.readiness,
        onUnexpected,
      });
      bot.chat.register(discord.surface);
    }
    bot.start();
    // Installed just before the prompt's, --exec's or the wait's own handlers (which decide what a
    // signal does until then) and removed only once the bot has closed: a second signal while the
    // stores close says so instead of killing the process.
    guard = guardSignalsUntilClosed({ signals: ['SIGINT', 'SIGTERM'], output: process.stdout, locale: () => loaded.config.locale });
    const lines = values.exec ?? [];
    if (lines.length > 0) {
      // Like any command-line tool: a refusal or an error in any line makes the exit code 1, and
      // so does a line that waits for answers (a form, a question): the next line is never one.
      // A signal ends it after the line running; the stores close below.
      return await runExecLines({ lines, execLine: (line) => session.execLine(line), output: process.stdout, waitingFor: bot.connected.platform, locale: () => session.locale });
    }
    if (!enabled.shell) {
      const platforms = [slack?.description, discord ? `Discord (${discord.endpoint ? `interactions endpoint ${discord.endpoint.url}` : 'gateway'})` : undefined];
      const where = platforms.filter(Boolean).join(', ') || 'no chat platform';
      process.stdout.write(`coc-chatops is running: ${where}; ${bot.connected.platform}: ${bot.connected.description}. Stop with Ctrl+C.\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      return 0;
    }
    // The first screen in the configured language (nobody has typed anything yet).
    process.stdout.write(
      renderMessage(
        firstScreen({
          locale: loaded.config.locale,
          connectedTo: bot.connected.describedAs,
          ...(bot.connected.simulatorNote ? { simulatorNote: bot.connected.simulatorNote } : {}),
          store: bot.store.db.description,
          demoPeople: bot.demoIdentities,
          ...(bot.people.configuredForTerminal ? { configuredPeople: bot.people.configuredForTerminal } : {}),
        }),
        palette,
      ),
    );
    await runRepl({
      input: process.stdin,
      output: process.stdout,
      prompt: () => session.prompt(),
      historyFile: join(homedir(), '.coc-chatops_history'),
      handleLine: (line, typed) => session.handleLine(line, typed),
      recordable: () => session.recordable,
      interrupt: () => session.cancelOpen(),
      waitingFor: bot.connected.platform,
      locale: () => session.locale,
      stopSignals: process.stdin.isTTY ? ['SIGTERM'] : ['SIGTERM', 'SIGINT'],
      historyLine: (line) => bot.dispatcher.maskLine(line),
      attach: (printer) => {
        print = printer;
      },
    });
    return 0;
  } finally {
    // The chat platforms drain their acknowledged work side by side, so a stop takes one drain
    // deadline (see adapters/in-flight.ts), not one per platform; the store closes after them.
    guard?.closing();
    try {
      await Promise.allSettled([slack?.close(), discord?.close()]);
      await bot.close();
    } finally {
      guard?.release();
    }
  }
}

/** Runs the bot as `npm start` does, then ends the process with its exit code. */
export function runMain(): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`coc-chatops could not start: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
