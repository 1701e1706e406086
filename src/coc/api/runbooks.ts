/** Runbooks: COC's documents and their executions (coc-api-notes §2.8, Appendix A). */
import type { CallOptions, CocHttp } from '../http.js';
import {
  Document,
  DocumentPage,
  Execution,
  ExecutionIdResult,
  ExecutionPage,
  ExecutionStepPage,
  ExecuteDocumentRequest,
  ListDocumentsQuery,
  ListExecutionStepsQuery,
  ListExecutionsQuery,
  NoPayload,
  OperateExecutionRequest,
  type ExecuteDocumentInput,
  type ListDocumentsInput,
  type ListExecutionsInput,
  type OperateExecutionInput,
} from '../schemas/runbooks.js';
import { validateInput } from '../schemas/problems.js';
import { operation, requestFor } from './operation.js';

export const RUNBOOK_OPERATIONS = {
  listDocuments: operation('GET', '/v1/documents'),
  getDocument: operation('GET', '/v1/documents/{document_id}'),
  executeDocument: operation('POST', '/v1/documents/{document_id}'),
  listExecutions: operation('GET', '/v1/executions'),
  getExecution: operation('GET', '/v1/executions/{execution_id}'),
  listExecutionSteps: operation('GET', '/v1/executions/{execution_id}/steps'),
  operateExecution: operation('POST', '/v1/executions'),
} as const;

export async function listDocuments(http: CocHttp, query: ListDocumentsInput = {}, options?: CallOptions): Promise<DocumentPage> {
  const checked = validateInput(ListDocumentsQuery, query, RUNBOOK_OPERATIONS.listDocuments);
  return http.call(requestFor(RUNBOOK_OPERATIONS.listDocuments, { query: checked, envelope: 'data', response: DocumentPage }), options);
}

export async function getDocument(http: CocHttp, documentId: string, options?: CallOptions): Promise<Document> {
  return http.call(requestFor(RUNBOOK_OPERATIONS.getDocument, { pathParams: { document_id: documentId }, envelope: 'data', response: Document }), options);
}

/** Starts an execution of the document; returns its id. Never retried. */
export async function executeDocument(http: CocHttp, documentId: string, input: ExecuteDocumentInput, options?: CallOptions): Promise<string> {
  const body = validateInput(ExecuteDocumentRequest, input, RUNBOOK_OPERATIONS.executeDocument);
  return http.call(requestFor(RUNBOOK_OPERATIONS.executeDocument, { pathParams: { document_id: documentId }, body, envelope: 'data', response: ExecutionIdResult }), options);
}

/** Executions, newest first (used to settle an execute whose answer was lost). */
export async function listExecutions(http: CocHttp, query: ListExecutionsInput, options?: CallOptions): Promise<ExecutionPage> {
  const checked = validateInput(ListExecutionsQuery, query, RUNBOOK_OPERATIONS.listExecutions);
  return http.call(requestFor(RUNBOOK_OPERATIONS.listExecutions, { query: checked, envelope: 'data', response: ExecutionPage }), options);
}

export async function getExecution(http: CocHttp, executionId: string, options?: CallOptions): Promise<Execution> {
  return http.call(requestFor(RUNBOOK_OPERATIONS.getExecution, { pathParams: { execution_id: executionId }, envelope: 'data', response: Execution }), options);
}

export async function listExecutionSteps(http: CocHttp, executionId: string, options?: CallOptions): Promise<ExecutionStepPage> {
  const query = validateInput(ListExecutionStepsQuery, { limit: 100, offset: 0 }, RUNBOOK_OPERATIONS.listExecutionSteps);
  return http.call(requestFor(RUNBOOK_OPERATIONS.listExecutionSteps, { pathParams: { execution_id: executionId }, query, envelope: 'data', response: ExecutionStepPage }), options);
}

/** Resumes, terminates, retries or skips (a batch of) an execution. Never retried. */
export async function operateExecution(http: CocHttp, input: OperateExecutionInput, options?: CallOptions): Promise<void> {
  const body = validateInput(OperateExecutionRequest, input, RUNBOOK_OPERATIONS.operateExecution);
  await http.call(requestFor(RUNBOOK_OPERATIONS.operateExecution, { body, envelope: 'data', response: NoPayload }), options);
}
