/**
 * `npm start`: loads the configuration, connects to the backend (COC or BlueKing, or the
 * built-in simulator of either), opens the store, and runs the terminal adapter
 * (src/app/main-program.ts).
 *
 *   npm start                              interactive prompt
 *   npm start -- --exec "scripts"          run one line (repeatable) and exit
 *   npm start -- --as bob --exec "..."     act as another terminal user
 *   npm start -- --backend blueking        use BlueKing for this run (its simulator unless configured)
 *
 * This entry point is small on purpose: before the bot's code loads, it starts compiling the
 * embedded store's WebAssembly, which then runs on background threads while that code loads
 * and the configuration is read, instead of after them. Skipped when the environment names a
 * PostgreSQL database (a database URL given only in the configuration file is found later: the
 * compiled module is then dropped).
 */
import { compilePgliteWasm } from './store/pglite-artifacts.js';

if (!process.env['DATABASE_URL']) void compilePgliteWasm();
const { runMain } = await import('./app/main-program.js');
runMain();
