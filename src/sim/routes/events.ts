/**
 * Custom alarm events (coc-api-notes §1.20): camelCase body, stored as alarms. Validation
 * errors list every problem joined by " | " as COC's example does. An unknown integration
 * key answers 404 with COC.00000001.
 */
import { z } from 'zod';
import { eventSuccess } from '../http/envelopes.js';
import { ErrorCodes } from '../http/error-codes.js';
import { jsonInt, validate } from '../http/validate.js';
import { SimError, type RouteContext, type RouteDefinition } from '../http/types.js';

const required = (max: number) => z.string().min(1).max(max);

const eventBody = z.object({
  alarmId: required(255),
  alarmName: required(255),
  alarmLevel: z.enum(['Critical', 'Major', 'Minor', 'Info']),
  time: jsonInt(0, Number.MAX_SAFE_INTEGER),
  nameSpace: required(255),
  alarmDesc: required(255),
  alarmSource: required(255),
  /** Required by the reference (the SDK leaves it optional, coc-api-notes §3 row 26). */
  applicationId: required(255),
  regionId: z.string().max(255).optional(),
  resourceName: z.string().max(255).optional(),
  resourceId: z.string().max(255).optional(),
  URL: z.string().max(255).optional(),
  alarmStatus: z.enum(['alarm', 'ok']).optional(),
  additional: z.record(z.string(), z.unknown()).optional(),
});

function reportEvent({ params, body, world }: RouteContext) {
  const integrationKey = params['integration_key'] ?? '';
  if (!world.integrationKeys.has(integrationKey)) {
    throw new SimError(404, ErrorCodes.EVENT_INVALID, `The integration key ${integrationKey} does not exist.`);
  }
  const input = validate(eventBody, body, 'event', { separator: ' | ' });
  const now = world.now();
  world.alarms.receive({
    integrationKey,
    alarmId: input.alarmId,
    alarmName: input.alarmName,
    alarmLevel: input.alarmLevel,
    time: input.time,
    nameSpace: input.nameSpace,
    alarmDesc: input.alarmDesc,
    alarmSource: input.alarmSource,
    applicationId: input.applicationId,
    regionId: input.regionId,
    resourceName: input.resourceName,
    resourceId: input.resourceId,
    url: input.URL,
    alarmStatus: input.alarmStatus ?? 'alarm',
    additional: input.additional,
    receivedAt: now,
    updatedAt: now,
  });
  return eventSuccess();
}

export const eventRoutes: readonly RouteDefinition[] = [
  { method: 'POST', path: '/v1/event/huawei/custom/{integration_key}', family: 'event', auth: 'required', handle: reportEvent },
];
