/**
 * Columns that hold a backend's ids (`<backend>:<kind>:<native>`, see src/backends/ids.ts). A row
 * whose id is not one of the expected kind fails its schema at the store, not later.
 */
import { z } from 'zod';
import { BACKENDS, isIdOf, type HostId, type RunId, type ScriptId } from '../backends/ids.js';

export const BACKEND_NAMES = BACKENDS;

export const runIdColumn = z.custom<RunId>((value) => typeof value === 'string' && isIdOf(value, 'run'), { message: 'not a run id' });

export const scriptIdColumn = z.custom<ScriptId>(
  (value) => typeof value === 'string' && (isIdOf(value, 'script') || isIdOf(value, 'public-script')),
  { message: 'not a script id' },
);

export const hostIdColumn = z.custom<HostId>((value) => typeof value === 'string' && isIdOf(value, 'host'), { message: 'not a host id' });
