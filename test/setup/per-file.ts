/**
 * Runs in every test file (vitest `setupFiles`), also where several files share one worker
 * process: what a file opened through the shared helpers is closed after its tests.
 */
import { afterAll } from 'vitest';
import { releaseFileStores } from '../helpers/store-legs.js';

afterAll(releaseFileStores);
