import { z } from 'zod';
import { wholeNumber } from '../fields.js';

/** Unset values leave the choice to the simulator (its own seed, any free port). */
export const simSchema = z
  .strictObject({
    port: wholeNumber(0, 65535)
      .optional()
      .meta({ description: 'Port of the built-in simulator (COC, or BlueKing with backend blueking); 0 or unset = any free port.', env: 'COC_SIM_PORT' }),
    seed: wholeNumber(0, 2 ** 31 - 1)
      .optional()
      .meta({ description: "Seed of the simulated world (hosts, scripts, incidents). Unset = the simulator's default.", env: 'COC_SIM_SEED' }),
    tickMs: wholeNumber(10, 60_000)
      .optional()
      .meta({ description: 'How often simulated orders, jobs and incidents advance, in milliseconds.', env: 'COC_SIM_TICK_MS' }),
  })
  .prefault({})
  .meta({ description: 'The built-in simulator: COC when no COC credentials are set, BlueKing (backend blueking) when no blueking.paasHost is set.' });

export type SimConfig = z.infer<typeof simSchema>;
