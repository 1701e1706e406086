/**
 * Custom alarm events (coc-api-notes §1.20). The body is camelCase, unlike every other COC API.
 */
import { z } from 'zod';
import { long, oneOf, text } from './fields.js';

export const ALARM_LEVELS = ['Critical', 'Major', 'Minor', 'Info'] as const;
export const ALARM_STATUSES = ['alarm', 'ok'] as const;

export const CustomEventRequest = z.strictObject({
  alarmId: text(1, 255),
  alarmName: text(1, 255),
  alarmLevel: oneOf(ALARM_LEVELS),
  /** When the alarm was raised, epoch ms. */
  time: long(),
  nameSpace: text(1, 255),
  alarmDesc: text(1, 255),
  alarmSource: text(1, 255),
  /** Optional in the SDK, required by the reference; always sent (notes §3 row 26). */
  applicationId: text(1, 255),
  regionId: text(0, 255).optional(),
  resourceName: text(0, 255).optional(),
  resourceId: text(0, 255).optional(),
  URL: text(0, 255).optional(),
  /** `ok` clears the alarm. */
  alarmStatus: oneOf(ALARM_STATUSES).optional(),
  additional: z.record(z.string(), z.unknown()).optional(),
});
export type CustomEventInput = z.input<typeof CustomEventRequest>;

/** The integration key is a credential: whoever holds it can raise alarms. */
export const IntegrationKey = text(1, 255);

/** Answers `data: null`. */
export const CustomEventResult = z.unknown().transform(() => undefined);
