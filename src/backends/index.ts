/**
 * The only import path for neutral code: what the product knows about an operations platform.
 * Never import a backend's own folder (`./coc`) from outside it and src/app.
 */
export * from './ids.js';
export * from './backend.js';
export * from './capabilities.js';
export * from './errors.js';
export * from './observe.js';
export { backendIn, baseOf, capabilitiesMadeFrom } from './scoped.js';
export * from './vocabulary.js';
export * from './types/coded.js';
export * from './types/hosts.js';
export * from './types/scripts.js';
export * from './types/runs.js';
export * from './types/incidents.js';
export * from './types/warrooms.js';
export * from './types/alarms.js';
export * from './types/changes.js';
export * from './types/runbooks.js';
export * from './types/patches.js';
export * from './types/executions.js';
export * from './types/tasks.js';
export * from './types/approvals.js';
export * from './types/notices.js';
export * from './names.js';
