/**
 * The tenant's script with exactly this name. Names are unique per tenant, but a platform may
 * match the name asked for as part of a name (COC's custom scripts), so the pages are followed
 * until the exact name is found or the list ends — up to a bound, past which the answer is
 * "not known" rather than a guess that it is absent.
 */
import type { ScriptsCapability, ScriptSummary } from '../backends/index.js';

const PAGE = 100;
const PAGES = 10;

/** The script named `name`; 'absent' when the whole list was read without it; 'unsure' past the bound. */
export async function scriptNamed(scripts: ScriptsCapability, name: string): Promise<ScriptSummary | 'absent' | 'unsure'> {
  let after: string | undefined;
  for (let read = 0; read < PAGES; read++) {
    const page = await scripts.list({ name, limit: PAGE, ...(after !== undefined ? { after } : {}) });
    const found = page.items.find((item) => item.name === name);
    if (found) return found;
    if (page.next === undefined || page.next === after) return 'absent';
    after = page.next;
  }
  return 'unsure';
}
