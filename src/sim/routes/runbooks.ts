/**
 * Runbooks: COC's documents and executions (coc-api-notes §2.8, Appendix A), `{data: …}` answers
 * with COC's job error codes. The SDK leaves a document, the list's body and an execution's detail
 * untyped: the simulator answers a document with its `parameters` definitions and `risk_level`,
 * the list as `{data: {total, data: [...]}}`, an execution as ListExecutionResponseData; an
 * execute is checked against the document's definitions (required, allowed values, pattern,
 * length). The execution's life is state/runbooks.ts.
 */
import { z } from 'zod';
import { dataResponse } from '../http/envelopes.js';
import { ErrorCodes } from '../http/error-codes.js';
import { queryInt, validate } from '../http/validate.js';
import { SimError, type Identity, type RouteContext, type RouteDefinition } from '../http/types.js';
import { EXECUTION_OPERATE_TYPES, runbooksOf, type ExecutionState, type RunbookDocument } from '../state/runbooks.js';
import type { World } from '../state/world.js';

function userOf(identity: Identity): string {
  return identity.kind === 'anonymous' ? 'anonymous' : identity.userName;
}

function documentJson(document: RunbookDocument) {
  return {
    document_id: document.documentId,
    name: document.name,
    description: document.description,
    risk_level: document.riskLevel,
    version: document.version,
    document_type: 'PRIVATE',
    creator: document.creator,
    create_time: document.createTime,
    update_time: document.createTime,
    parameters: document.parameters,
  };
}

function executionJson(execution: ExecutionState) {
  return {
    id: execution.executionId,
    execution_id: execution.executionId,
    document_name: execution.document.name,
    document_id: execution.document.documentId,
    document_version: execution.document.version,
    start_time: execution.startTime,
    end_time: execution.endTime ?? null,
    update_time: execution.updateTime,
    creator: execution.creator,
    status: execution.status,
    description: execution.description,
    parameters: execution.parameters,
    type: 'NORMAL',
  };
}

const listQuery = z.object({
  limit: queryInt(1, 100).optional(),
  offset: queryInt(0, 1_000_000).optional(),
  name_like: z.string().max(128).optional(),
  creator: z.string().max(128).optional(),
  enterprise_project_id: z.string().max(64).optional(),
  // ListDocumentsRequest: "PUBLIC/NORMAL 默认NORMAL"; the simulator holds NORMAL (own) documents only.
  document_type: z.enum(['PUBLIC', 'NORMAL']).optional(),
});

function listDocuments({ query, world }: RouteContext) {
  const input = validate(listQuery, query.toObject(), 'coc', { subject: 'query' });
  const needle = input.name_like?.toLowerCase();
  const found = runbooksOf(world)
    .allDocuments()
    .filter((document) => (needle ? document.name.toLowerCase().includes(needle) : true))
    .filter((document) => (input.creator ? document.creator === input.creator : true))
    .filter((document) => (input.document_type ? input.document_type === 'NORMAL' : true));
  const offset = input.offset ?? 0;
  const items = found.slice(offset, offset + (input.limit ?? 10)).map(documentJson);
  return dataResponse({ total: found.length, data: items });
}

function documentOf(world: World, id: string): RunbookDocument {
  const document = runbooksOf(world).document(id);
  if (!document) throw new SimError(404, ErrorCodes.JOB_SCRIPT_NOT_FOUND, `The document ${id} does not exist.`);
  return document;
}

function showDocument({ params, world }: RouteContext) {
  return dataResponse(documentJson(documentOf(world, params['document_id'] ?? '')));
}

const keyValue = z.object({ key: z.string().min(1).max(128), value: z.string().max(4096) });
const executeBody = z.object({
  version: z.string().max(64).optional(),
  parameters: z.array(keyValue).max(100).optional(),
  sys_tags: z.array(keyValue).max(20).optional(),
  target_parameter_name: z.string().max(128).optional(),
  targets: z.array(z.object({ key: z.enum(['InstanceValues', 'BatchValues']), values: z.array(z.string()).max(500) })).max(20).optional(),
  document_type: z.enum(['PRIVATE', 'PUBLIC']).optional(),
  description: z.string().max(256).optional(),
});

function invalidParameter(message: string): SimError {
  return new SimError(400, ErrorCodes.JOB_INVALID_PARAM, message);
}

/** Checks the given values against the document's definitions; returns them with defaults filled in. */
export function parametersFor(document: RunbookDocument, given: readonly { key: string; value: string }[]): { key: string; value: string }[] {
  const byName = new Map(given.map((pair) => [pair.key, pair.value]));
  if (byName.size !== given.length) throw invalidParameter('parameters: a parameter is given twice.');
  for (const key of byName.keys()) {
    if (!document.parameters.some((definition) => definition.name === key)) throw invalidParameter(`parameters: ${key} is not a parameter of ${document.name}.`);
  }
  return document.parameters.flatMap((definition) => {
    const value = byName.get(definition.name) ?? definition.default_value;
    if (value === undefined || value === '') {
      if (definition.required) throw invalidParameter(`parameters: ${definition.name} is required.`);
      return [];
    }
    if (definition.enum && !definition.enum.includes(value)) throw invalidParameter(`parameters: ${definition.name} must be one of ${definition.enum.join(', ')}.`);
    if (definition.pattern && !new RegExp(definition.pattern).test(value)) throw invalidParameter(`parameters: ${definition.name} does not match ${definition.pattern}.`);
    if (definition.max_length !== undefined && value.length > definition.max_length) throw invalidParameter(`parameters: ${definition.name} is longer than ${definition.max_length}.`);
    return [{ key: definition.name, value }];
  });
}

function executeDocument({ params, body, world, identity }: RouteContext) {
  const document = documentOf(world, params['document_id'] ?? '');
  const input = validate(executeBody, body ?? {}, 'coc');
  if (input.version !== undefined && input.version !== document.version) throw invalidParameter(`version: ${document.name} has no version ${input.version}.`);
  const parameters = parametersFor(document, input.parameters ?? []);
  const execution = runbooksOf(world).execute(document, parameters, userOf(identity), input.description ?? '');
  return dataResponse(execution.executionId);
}

const executionsQuery = z.object({
  limit: queryInt(1, 100).optional(),
  offset: queryInt(0, 1_000_000).optional(),
  creator: z.string().max(128).optional(),
  start_time: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
  end_time: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
  document_name: z.string().max(128).optional(),
  document_id: z.string().max(128).optional(),
  tags: z.string().optional(),
  exclude_child_executions: z.string().optional(),
});

function listExecutions({ query, world }: RouteContext) {
  const input = validate(executionsQuery, query.toObject(), 'coc', { subject: 'query' });
  const found = [...runbooksOf(world).allExecutions()]
    .reverse()
    .filter((execution) => (input.document_id ? execution.document.documentId === input.document_id : true))
    .filter((execution) => (input.document_name ? execution.document.name.includes(input.document_name) : true))
    // The SDK: creator and document_name match in part; start_time is "greater than", end_time "less than".
    .filter((execution) => (input.creator ? execution.creator.includes(input.creator) : true))
    .filter((execution) => (input.start_time !== undefined ? execution.startTime > input.start_time : true))
    .filter((execution) => (input.end_time !== undefined ? execution.startTime < input.end_time : true));
  const offset = input.offset ?? 0;
  return dataResponse({ total: found.length, data: found.slice(offset, offset + (input.limit ?? 10)).map(executionJson) });
}

function executionOf(world: World, id: string): ExecutionState {
  const execution = runbooksOf(world).execution(id);
  if (!execution) throw new SimError(404, ErrorCodes.JOB_ORDER_NOT_FOUND, `The execution ${id} does not exist.`);
  return execution;
}

function showExecution({ params, world }: RouteContext) {
  return dataResponse(executionJson(executionOf(world, params['execution_id'] ?? '')));
}

const stepsQuery = z.object({ limit: queryInt(1, 100).optional(), offset: queryInt(0, 1_000_000).optional(), execution_step_id_list: z.string().optional() });

function listSteps({ params, query, world }: RouteContext) {
  const input = validate(stepsQuery, query.toObject(), 'coc', { subject: 'query' });
  const execution = executionOf(world, params['execution_id'] ?? '');
  const offset = input.offset ?? 0;
  const steps = execution.steps.slice(offset, offset + (input.limit ?? 10)).map((step) => ({
    execution_step_id: step.stepId,
    action: step.definition.action,
    name: step.definition.name,
    status: step.status,
    start_time: step.startTime ?? null,
    end_time: step.endTime ?? null,
    message: step.message ?? '',
    inputs: [],
    outputs: [],
    properties: {},
  }));
  return { status: 200, body: { data: steps, total: execution.steps.length } };
}

const operateBody = z.object({ execution_id: z.string().min(1).max(128), operate_type: z.enum(EXECUTION_OPERATE_TYPES) });

function operateExecution({ body, world, identity }: RouteContext) {
  const input = validate(operateBody, body, 'coc');
  const execution = executionOf(world, input.execution_id);
  if (!runbooksOf(world).operate(execution, input.operate_type, userOf(identity))) {
    throw new SimError(400, ErrorCodes.JOB_OPERATION_NOT_ALLOWED, `${input.operate_type} does not fit an execution in ${execution.status}.`);
  }
  // OperateExecutionResponse has no fields: an empty answer.
  return { status: 200, body: undefined };
}

export const runbookRoutes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/v1/documents', family: 'coc', auth: 'required', handle: listDocuments },
  { method: 'GET', path: '/v1/documents/{document_id}', family: 'coc', auth: 'required', handle: showDocument },
  { method: 'POST', path: '/v1/documents/{document_id}', family: 'coc', auth: 'required', handle: executeDocument },
  { method: 'GET', path: '/v1/executions', family: 'coc', auth: 'required', handle: listExecutions },
  { method: 'POST', path: '/v1/executions', family: 'coc', auth: 'required', handle: operateExecution },
  { method: 'GET', path: '/v1/executions/{execution_id}', family: 'coc', auth: 'required', handle: showExecution },
  { method: 'GET', path: '/v1/executions/{execution_id}/steps', family: 'coc', auth: 'required', handle: listSteps },
];
