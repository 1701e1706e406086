/**
 * COC's documents (runbooks) and their executions (coc-api-notes §2.8, Appendix A). What the SDK
 * leaves untyped (a document's parameter definitions and risk, an execution's status words) is
 * read as the simulator answers it, and the README says so. The operations an execution offers
 * are derived from its state (COC documents none): resume a paused one, retry or skip a failed
 * one, terminate any that has not ended.
 */
import * as api from '../../coc/api/runbooks.js';
import type { CocClient } from '../../coc/client.js';
import type { Document, DocumentParameter, Execution, ExecutionOperation, ExecutionStep } from '../../coc/schemas/runbooks.js';
import type { Runbook, RunbookExecution, RunbookExecutionState, RunbookOperation, RunbookParameter, RunbooksCapability, RunbookStep } from '../types/runbooks.js';
import { isNotFound } from '../errors.js';
import { makeId, nativeOf } from '../ids.js';
import { mapped } from './errors.js';
import { cocCallOptions } from './hosts.js';
import { riskOf } from './scripts.js';

const STATES: Readonly<Record<string, RunbookExecutionState>> = {
  READY: 'waiting',
  PROCESSING: 'running',
  PAUSED: 'paused',
  ABNORMAL: 'failed',
  CANCELED: 'canceled',
  FINISHED: 'finished',
};

export function executionStateOf(code: string | null | undefined): RunbookExecutionState {
  return code && Object.hasOwn(STATES, code) ? STATES[code]! : 'other';
}

/** The SDK's operate_type for each neutral operation. */
export const OPERATE_TYPES: Readonly<Record<RunbookOperation, ExecutionOperation>> = { resume: 'RESUME', terminate: 'TERMINATE', retry: 'RETRY', skip: 'SKIP_BATCH' };

const OFFERED: Readonly<Record<RunbookExecutionState, readonly RunbookOperation[]>> = {
  waiting: ['terminate'],
  running: ['terminate'],
  paused: ['resume', 'terminate'],
  failed: ['retry', 'skip', 'terminate'],
  canceled: [],
  finished: [],
  // A state the bot does not know offers nothing: COC's console is the place for it.
  other: [],
};

function parameterOf(definition: DocumentParameter): RunbookParameter {
  return {
    name: definition.name,
    required: definition.required === true,
    ...(definition.description ? { description: definition.description } : {}),
    ...(definition.default_value !== null && definition.default_value !== undefined ? { defaultValue: definition.default_value } : {}),
    ...(definition.enum?.length ? { allowed: definition.enum } : {}),
    ...(definition.pattern ? { pattern: definition.pattern } : {}),
    ...(typeof definition.min_length === 'number' ? { minLength: definition.min_length } : {}),
    ...(typeof definition.max_length === 'number' ? { maxLength: definition.max_length } : {}),
  };
}

export function runbookOf(document: Document, withParameters: boolean): Runbook {
  return {
    id: makeId('coc', 'template', document.document_id),
    name: document.name ?? document.document_id,
    risk: riskOf(document.risk_level).state,
    ...(document.description ? { description: document.description } : {}),
    ...(document.version ? { version: document.version } : {}),
    ...(document.creator ? { creator: document.creator } : {}),
    ...(typeof document.update_time === 'number' ? { updatedAt: document.update_time } : {}),
    ...(withParameters ? { parameters: document.parameters.map(parameterOf) } : {}),
  };
}

function stepOf(step: ExecutionStep): RunbookStep {
  return {
    id: step.execution_step_id,
    name: step.name ?? step.action ?? step.execution_step_id,
    state: executionStateOf(step.status),
    statusCode: step.status ?? '',
    ...(step.message ? { message: step.message } : {}),
    ...(typeof step.start_time === 'number' ? { startedAt: step.start_time } : {}),
    ...(typeof step.end_time === 'number' ? { endedAt: step.end_time } : {}),
  };
}

export function executionOf(execution: Execution, steps: readonly ExecutionStep[]): RunbookExecution {
  return {
    id: makeId('coc', 'execution', execution.execution_id),
    ...(execution.document_id ? { runbook: makeId('coc', 'template', execution.document_id) } : {}),
    ...(execution.document_name ? { runbookName: execution.document_name } : {}),
    state: executionStateOf(execution.status),
    statusCode: execution.status ?? '',
    ...(execution.creator ? { creator: execution.creator } : {}),
    ...(execution.description ? { description: execution.description } : {}),
    ...(typeof execution.start_time === 'number' ? { startedAt: execution.start_time } : {}),
    ...(typeof execution.end_time === 'number' ? { endedAt: execution.end_time } : {}),
    ...(typeof execution.update_time === 'number' ? { updatedAt: execution.update_time } : {}),
    parameters: execution.parameters.flatMap((pair) => (pair.key ? [{ name: pair.key, value: pair.value ?? '' }] : [])),
    steps: steps.map(stepOf),
  };
}

export function cocRunbooks(client: CocClient): RunbooksCapability {
  const head: RunbooksCapability['executionHead'] = async (id, options) => {
    try {
      return executionOf(await mapped(() => api.getExecution(client.http, nativeOf(id), cocCallOptions(options))), []);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
  const steps: RunbooksCapability['executionSteps'] = async (id, options) =>
    (await mapped(() => api.listExecutionSteps(client.http, nativeOf(id), cocCallOptions(options)))).items.map(stepOf);
  return {
    async list(query, options) {
      const offset = query.offset ?? 0;
      const page = await mapped(() =>
        api.listDocuments(client.http, { limit: query.limit, offset, ...(query.nameLike ? { name_like: query.nameLike } : {}) }, cocCallOptions(options)),
      );
      const more = offset + page.items.length < page.total;
      return { items: page.items.map((document) => runbookOf(document, false)), total: page.total, ...(more ? { next: String(offset + page.items.length) } : {}) };
    },
    async get(id, options) {
      try {
        return runbookOf(await mapped(() => api.getDocument(client.http, nativeOf(id), cocCallOptions(options))), true);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async execute(request, options) {
      const parameters = Object.entries(request.parameters).map(([key, value]) => ({ key, value }));
      const executionId = await mapped(() =>
        api.executeDocument(
          client.http,
          nativeOf(request.id),
          { ...(request.version ? { version: request.version } : {}), parameters, ...(request.description ? { description: request.description } : {}) },
          cocCallOptions(options),
        ),
      );
      return makeId('coc', 'execution', executionId);
    },
    async executionsOf(id, since, options) {
      const query = { document_id: nativeOf(id), ...(since !== undefined ? { start_time: since } : {}), limit: 100, offset: 0 };
      const page = await mapped(() => api.listExecutions(client.http, query, cocCallOptions(options)));
      return { total: page.total, items: page.items.map((execution) => executionOf(execution, [])) };
    },
    async execution(id, options) {
      const execution = await head(id, options);
      try {
        return execution && { ...execution, steps: await steps(id, options) };
      } catch (error) {
        // Gone between the two reads.
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    executionHead: head,
    executionSteps: steps,
    operationsFor(execution) {
      return OFFERED[execution.state];
    },
    async operate(request, options) {
      await mapped(() => api.operateExecution(client.http, { execution_id: nativeOf(request.id), operate_type: OPERATE_TYPES[request.operation] }, cocCallOptions(options)));
    },
  };
}
