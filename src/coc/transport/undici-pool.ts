/**
 * undici's connection pool without the rest of undici. The package's entry also loads its fetch,
 * WebSocket, cookies, caches, mocks and proxies (and with them Node's own copy of undici), none
 * of which the COC client uses: ~0.05 s of a start's CPU, before the bot is ready. The pool and
 * its request method are loaded alone here, wired as the entry wires them.
 */
import type { Pool } from 'undici';
import PoolImpl from 'undici/lib/dispatcher/pool.js';
import DispatcherImpl from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';

// What undici's entry does as it loads (index.js: `Object.assign(Dispatcher.prototype, api)`),
// giving every dispatcher `request()`; doing it again, should the entry load too, changes nothing.
Object.assign(DispatcherImpl.prototype, api);

/** undici's Pool, the same class its entry exports. */
export const UndiciPool: typeof Pool = PoolImpl;
