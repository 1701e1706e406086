/** Custom alarm events (coc-api-notes §1.20). */
import type { CallOptions, CocHttp } from '../http.js';
import { CustomEventRequest, CustomEventResult, IntegrationKey, type CustomEventInput } from '../schemas/events.js';
import { validateInput } from '../schemas/problems.js';
import { operation, requestFor } from './operation.js';

export const EVENT_OPERATIONS = {
  reportCustom: operation('POST', '/v1/event/huawei/custom/{integration_key}'),
} as const;

/** The event body with the integration key checked alongside it; built once, not per call. */
const CustomEventWithKey = CustomEventRequest.extend({ integration_key: IntegrationKey });

/**
 * Raises (or, with `alarmStatus: 'ok'`, clears) an alarm through an integration. The
 * integration key is treated as a secret: it never appears in an error. Never retried.
 */
export async function reportCustomEvent(http: CocHttp, integrationKey: string, input: CustomEventInput, options?: CallOptions): Promise<void> {
  const op = EVENT_OPERATIONS.reportCustom;
  const { integration_key, ...body } = validateInput(CustomEventWithKey, Object.assign({}, input, { integration_key: integrationKey }), op);
  await http.call(
    requestFor(op, { pathParams: { integration_key }, body, envelope: 'pce', response: CustomEventResult, sensitiveValues: [integration_key] }),
    options,
  );
}
