/**
 * Runs in every test file (vitest `setupFiles`), also where several files share one worker
 * process: what a file opened through the shared helpers is closed after its tests.
 */
import { afterAll } from 'vitest';
import { releaseFileStores } from '../helpers/store-legs.js';
// As in the bot (the COC backend is always loaded): COC's errors are read in the neutral form
// (normalizeError) even where a test hands a raw COC client's error to neutral code.
import '../../src/backends/coc/errors.js';

afterAll(releaseFileStores);
