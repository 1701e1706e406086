/** The scripts tests start as separate processes, by the name of their bundled file: the product build's own list. */
export { ENTRY_POINTS } from '../../scripts/build.mjs';
