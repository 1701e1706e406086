import { z } from 'zod';
import { nonEmpty, wholeNumber } from '../fields.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Where /metrics, /healthz and /readyz listen when Slack or Discord runs and ops.port is unset. */
export const DEFAULT_OPS_PORT = 9464;

export const opsSchema = z
  .strictObject({
    port: wholeNumber(0, 65535)
      .optional()
      .meta({
        description: `Port of /metrics, /healthz and /readyz. Unset = ${DEFAULT_OPS_PORT} when Slack or Discord runs, none when only the terminal runs; 0 = none.`,
        env: 'COC_OPS_PORT',
      }),
    host: nonEmpty()
      .default('0.0.0.0')
      .meta({ description: 'Address the ops endpoints listen on; 127.0.0.1 keeps them on this machine.', env: 'COC_OPS_HOST' }),
    logLevel: z
      .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
      .optional()
      .meta({
        description: `Least level written to the log (stderr): ${LOG_LEVELS.join(', ')}. Unset = info, or silent while the terminal adapter shares the screen.`,
        env: 'COC_LOG_LEVEL',
      }),
    logFormat: z
      .enum(LOG_FORMATS, { error: `must be one of ${LOG_FORMATS.join(', ')}` })
      .default('json')
      .meta({ description: 'json: one JSON object a line, for log collectors. pretty: readable lines, for a person.', env: 'COC_LOG_FORMAT' }),
  })
  .prefault({})
  .meta({ description: 'Operations: the metrics and health endpoints, and the structured log.' });

export type OpsConfig = z.infer<typeof opsSchema>;

/**
 * The port the ops endpoints listen on, or undefined for none. A terminal session gets no
 * listener unless it asks for one: `npm start` must never fail or clash because of a port.
 */
export function opsPortOf(ops: OpsConfig, adapters: { readonly slack: boolean; readonly discord: boolean }): number | undefined {
  if (ops.port !== undefined) return ops.port === 0 ? undefined : ops.port;
  return adapters.slack || adapters.discord ? DEFAULT_OPS_PORT : undefined;
}

/** The log level in force: the configured one, else info, or silent while the terminal shows the conversation. */
export function logLevelOf(ops: OpsConfig, adapters: { readonly shell: boolean }): LogLevel {
  return ops.logLevel ?? (adapters.shell ? 'silent' : 'info');
}
