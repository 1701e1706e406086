import { z } from 'zod';

export const shellSchema = z
  .strictObject({
    enabled: z
      .boolean({ error: 'must be true or false' })
      .optional()
      .meta({
        description: 'Run the terminal adapter. Unset = only when neither Slack nor Discord is configured.',
        env: 'COC_CHATOPS_SHELL',
      }),
  })
  .prefault({})
  .meta({ description: 'The terminal adapter (a REPL in the terminal that started the bot).' });

export type ShellConfig = z.infer<typeof shellSchema>;
