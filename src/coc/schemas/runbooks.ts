/**
 * Runbooks: COC's documents (jobs) and their executions (coc-api-notes §2.8, Appendix A), field
 * by field from the SDK models (Go 0.1.179): ExecuteDocumentRequestBody (+ Parameters, SysTags,
 * Targets), OperateExecutionRequestBody, ListExecutionResponseData, ExecutionStep (+ Inputs).
 * The SDK types a document (list and detail) and an execution's detail as untyped: they are read
 * here as the simulator answers them (a document's `parameters` definitions and `risk_level`, an
 * execution as ListExecutionResponseData), which is unverified live (README).
 */
import { z } from 'zod';
import { list, oneOf, text } from './fields.js';
import { count, openEnum, optionalBoolean, optionalList, optionalNumber, optionalText, requiredId, untypedPage } from './common.js';

/** ListDocuments' query (every field optional in the SDK). */
export const ListDocumentsQuery = z.strictObject({
  limit: z.number().int().min(1).max(100).optional(),
  offset: z.number().int().min(0).max(1_000_000).optional(),
  name_like: text(1, 128).optional(),
  creator: text(1, 128).optional(),
  enterprise_project_id: text(1, 64).optional(),
  /** "枚举：PUBLIC/NORMAL 默认NORMAL" (the list's word for one's own documents; the execute body says PRIVATE). */
  document_type: oneOf(['PUBLIC', 'NORMAL']).optional(),
});
export type ListDocumentsInput = z.input<typeof ListDocumentsQuery>;

/** CreateDocumentRequestBody's risk levels (the document carries the one it was made with). */
export const DOCUMENT_RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH'] as const;

/** One parameter definition of a document (untyped in the SDK; the simulator's reading). */
export const DocumentParameter = z.looseObject({
  name: requiredId,
  type: optionalText,
  description: optionalText,
  default_value: optionalText,
  required: optionalBoolean,
  /** The values allowed, when the document lists them. */
  enum: z.array(z.string()).nullish(),
  /** A regular expression the value must match, when the document gives one. */
  pattern: optionalText,
  min_length: optionalNumber,
  max_length: optionalNumber,
});
export type DocumentParameter = z.output<typeof DocumentParameter>;

/** A document as the list and the detail answer it (the fields the bot reads; the rest passes). */
export const Document = z.looseObject({
  document_id: requiredId,
  name: optionalText,
  description: optionalText,
  risk_level: openEnum(DOCUMENT_RISK_LEVELS).nullish(),
  version: optionalText,
  document_type: optionalText,
  creator: optionalText,
  create_time: optionalNumber,
  update_time: optionalNumber,
  parameters: optionalList(DocumentParameter),
});
export type Document = z.output<typeof Document>;

const LIST_KEYS = ['data', 'documents', 'list', 'items'] as const;

/** An untyped page: an array, or an object holding one under a usual key (with `total` beside it or not). */
function pageOf<T extends z.ZodType>(item: T) {
  return z.preprocess(
    untypedPage(LIST_KEYS, ['total']),
    z.object({ total: count, items: optionalList(item) }),
  );
}

/** The list's untyped body. */
export const DocumentPage = pageOf(Document);
export type DocumentPage = z.output<typeof DocumentPage>;

const KeyValue = z.strictObject({ key: text(1, 128), value: text(0, 4096) });

/** ExecuteDocumentRequestBody: every field optional in the SDK. */
export const ExecuteDocumentRequest = z.strictObject({
  version: text(1, 64).optional(),
  parameters: list(KeyValue, 0, 100, { noun: 'parameters', one: 'parameter' }).optional(),
  sys_tags: list(KeyValue, 0, 20, { noun: 'tags', one: 'tag' }).optional(),
  target_parameter_name: text(1, 128).optional(),
  /** Key: InstanceValues or BatchValues (the SDK's comment). */
  targets: list(z.strictObject({ key: oneOf(['InstanceValues', 'BatchValues']), values: list(text(1, 256), 0, 500) }), 0, 20).optional(),
  document_type: oneOf(['PRIVATE', 'PUBLIC']).optional(),
  description: text(0, 256).optional(),
});
export type ExecuteDocumentInput = z.input<typeof ExecuteDocumentRequest>;

/** ExecuteDocumentResponse: `data` is the new execution's id. */
export const ExecutionIdResult = z.string().min(1);

/** OperateExecutionRequestBody's operate_type ("枚举项RESUME,TERMINATE,RETRY,SKIP_BATCH"). */
export const EXECUTION_OPERATIONS = ['RESUME', 'TERMINATE', 'RETRY', 'SKIP_BATCH'] as const;
export type ExecutionOperation = (typeof EXECUTION_OPERATIONS)[number];

export const OperateExecutionRequest = z.strictObject({
  execution_id: text(1, 128),
  operate_type: oneOf(EXECUTION_OPERATIONS),
});
export type OperateExecutionInput = z.input<typeof OperateExecutionRequest>;

/** An execution's states as the simulator gives them (the SDK types `status` as a string; unverified live). */
export const EXECUTION_STATUSES = ['READY', 'PROCESSING', 'PAUSED', 'ABNORMAL', 'CANCELED', 'FINISHED'] as const;

const StepValue = z.looseObject({ key: optionalText, value: optionalText });

/** An execution as GetExecution answers it, read as ListExecutionResponseData. */
export const Execution = z.looseObject({
  id: optionalText,
  execution_id: requiredId,
  document_name: optionalText,
  document_id: optionalText,
  document_version: optionalText,
  start_time: optionalNumber,
  end_time: optionalNumber,
  update_time: optionalNumber,
  creator: optionalText,
  status: openEnum(EXECUTION_STATUSES).nullish(),
  description: optionalText,
  parameters: optionalList(StepValue),
  type: optionalText,
});
export type Execution = z.output<typeof Execution>;

/** ExecutionStep. */
export const ExecutionStep = z.looseObject({
  execution_step_id: requiredId,
  action: optionalText,
  start_time: optionalNumber,
  end_time: optionalNumber,
  message: optionalText,
  name: optionalText,
  status: optionalText,
  inputs: optionalList(StepValue),
  outputs: optionalList(StepValue),
  properties: z.record(z.string(), z.string()).nullish(),
});
export type ExecutionStep = z.output<typeof ExecutionStep>;

/** ListExecutionStepsResponse: `{data: ExecutionStep[], total}`. */
export const ExecutionStepPage = pageOf(ExecutionStep);
export type ExecutionStepPage = z.output<typeof ExecutionStepPage>;

export const ListExecutionStepsQuery = z.strictObject({
  limit: z.number().int().min(1).max(100).optional(),
  offset: z.number().int().min(0).max(1_000_000).optional(),
});

/** ListExecutions' query, as far as reading back a document's executions needs. */
export const ListExecutionsQuery = z.strictObject({
  limit: z.number().int().min(1).max(100).optional(),
  offset: z.number().int().min(0).max(1_000_000).optional(),
  document_id: text(1, 128).optional(),
  creator: text(1, 128).optional(),
  start_time: z.number().int().min(0).optional(),
});
export type ListExecutionsInput = z.input<typeof ListExecutionsQuery>;

export const ExecutionPage = pageOf(Execution);
export type ExecutionPage = z.output<typeof ExecutionPage>;

/** OperateExecution answers an empty body. */
export const NoPayload = z.unknown().transform(() => undefined);
