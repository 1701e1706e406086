/**
 * The parts of an interaction payload the adapter reads, checked with zod so that a payload of
 * an unexpected shape is refused cleanly instead of failing somewhere inside. Types follow
 * discord-api-types; unknown extra fields are ignored.
 */
import { z } from 'zod';

const userSchema = z.object({ id: z.string(), username: z.string().optional(), global_name: z.string().nullish() });

export interface CommandOption {
  readonly name: string;
  readonly type: number;
  readonly value?: string | number | boolean | undefined;
  readonly focused?: boolean | undefined;
  readonly options?: readonly CommandOption[] | undefined;
}

const commandOptionSchema: z.ZodType<CommandOption> = z.lazy(() =>
  z.object({
    name: z.string(),
    type: z.number(),
    value: z.union([z.string(), z.number(), z.boolean()]).optional(),
    focused: z.boolean().optional(),
    options: z.array(commandOptionSchema).optional(),
  }),
);

export const commandDataSchema = z.object({
  name: z.string(),
  type: z.number().optional(),
  options: z.array(commandOptionSchema).optional(),
});

export const componentDataSchema = z.object({
  custom_id: z.string(),
  component_type: z.number(),
  values: z.array(z.string()).optional(),
});

const submittedInputSchema = z.object({
  type: z.number(),
  custom_id: z.string(),
  value: z.union([z.string(), z.boolean(), z.null()]).optional(),
  values: z.array(z.string()).optional(),
});

export const modalDataSchema = z.object({
  custom_id: z.string(),
  components: z.array(
    z.object({
      type: z.number(),
      component: submittedInputSchema.optional(),
      components: z.array(submittedInputSchema).optional(),
    }),
  ),
});

export const interactionSchema = z.object({
  id: z.string(),
  application_id: z.string(),
  type: z.number(),
  token: z.string(),
  data: z.unknown().optional(),
  guild_id: z.string().optional(),
  channel: z.object({ id: z.string(), type: z.number(), parent_id: z.string().nullish() }).optional(),
  channel_id: z.string().optional(),
  member: z.object({ user: userSchema, nick: z.string().nullish() }).optional(),
  user: userSchema.optional(),
  locale: z.string().optional(),
  /** The message a clicked component was on (sent with component clicks and modals opened from them). */
  message: z
    .object({
      id: z.string(),
      channel_id: z.string().nullish(),
      flags: z.number().nullish(),
      content: z.string().nullish(),
      // Kept whole (loose): a card turned into its own confirmation question gets them back.
      components: z
        .array(z.looseObject({ components: z.array(z.looseObject({ custom_id: z.string().nullish(), label: z.string().nullish() })).nullish() }))
        .nullish(),
    })
    .optional()
    // A message of a shape not known here only loses the decided-card note; the click still runs.
    .catch(undefined),
});

export type Interaction = z.infer<typeof interactionSchema>;
export type ModalData = z.infer<typeof modalDataSchema>;
