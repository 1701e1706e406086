/**
 * `npm start`: loads the configuration, connects to COC (or starts the built-in simulator),
 * opens the store, and runs the terminal adapter.
 *
 *   npm start                          interactive prompt
 *   npm start -- --exec "scripts"      run one line (repeatable) and exit
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { paletteFor } from './adapters/shell/ansi.js';
import { renderMessage } from './adapters/shell/render.js';
import { runRepl } from './adapters/shell/repl.js';
import { COMMANDS } from './app/commands.js';
import { connectCoc } from './app/coc-connection.js';
import { loadConfig, storeOptionsFrom } from './config.js';
import { Dispatcher } from './core/dispatcher.js';
import { openStore } from './store/index.js';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { exec: { type: 'string', multiple: true } }, allowPositionals: false });
  const palette = paletteFor(process.stdout);
  const loaded = loadConfig();
  if (!loaded.ok) {
    process.stderr.write(`The configuration has problems (run "npm run check-config" for details):\n`);
    for (const problem of loaded.problems) process.stderr.write(`  ${problem.path}: ${problem.message} — ${problem.fix}\n`);
    return 1;
  }
  const { config } = loaded;
  const store = await openStore(storeOptionsFrom(config));
  const connected = await connectCoc(config);
  const dispatcher = new Dispatcher(COMMANDS, { coc: connected.coc }, (error) => {
    process.stderr.write(`unexpected error: ${error instanceof Error ? `${error.name}: ${error.message}` : 'unknown'}\n`);
  });
  const shutdown = async () => {
    await connected.close();
    await store.close();
  };
  try {
    const lines = values.exec ?? [];
    if (lines.length > 0) {
      for (const line of lines) process.stdout.write(renderMessage(await dispatcher.dispatch(line), palette));
      return 0;
    }
    process.stdout.write(
      renderMessage(
        {
          title: 'coc-chatops',
          text: `Connected to ${connected.description}. Store: ${store.db.description}.`,
          footer: 'Type "help" for the commands, "exit" to leave.',
        },
        palette,
      ),
    );
    await runRepl({
      input: process.stdin,
      output: process.stdout,
      prompt: () => palette.bold('coc> '),
      historyFile: join(homedir(), '.coc-chatops_history'),
      handleLine: async (line) => renderMessage(await dispatcher.dispatch(line), palette),
    });
    return 0;
  } finally {
    await shutdown();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`coc-chatops could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
