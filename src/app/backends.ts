/**
 * The deployment's backend as declared, for what is decided before any call: the command set,
 * help, the Slack manifest and Discord's command tree. COC is the one backend today.
 */
import type { Backend } from '../backends/index.js';
import { declaredCocBackend } from '../backends/coc/index.js';

export function declaredBackend(): Backend {
  return declaredCocBackend();
}
