/** The commands a deployment offers, from the table in commands/index.ts and the deployment's backend. */
import { ACTIONS, COMMANDS, FORMS, SUGGESTIONS } from '../../commands/index.js';
import { capabilitiesOf, nounsOf, type Backend } from '../backends/index.js';
import { limitsOf } from '../core/arguments/index.js';
import { Registry } from '../core/registry.js';

export { ACTIONS, COMMANDS, FORMS, SUGGESTIONS };

/**
 * The commands a deployment offers: those its backend can serve (capabilities), with bounds and
 * choices read from what the backend declares, and texts in the backend's own nouns.
 */
export function commandRegistry(backend: Backend): Registry {
  return new Registry(COMMANDS, ACTIONS, {
    forms: FORMS, suggestions: SUGGESTIONS, capabilities: capabilitiesOf(backend), limits: limitsOf(backend),
    nouns: nounsOf(backend.name),
  });
}
