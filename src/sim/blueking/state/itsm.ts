/**
 * ITSM: services with one approval node and the tickets made from them. A ticket starts
 * RUNNING at the node (state_id 4, action TRANSITION). Only a processor listed on the node may
 * act on it, and the service is configured so that the requester is never among the processors
 * (no self-approval). Approving (审批结果 TONGYI) ends the ticket FINISHED; rejecting (JUJUE) ends
 * it TERMINATED; the requester's WITHDRAW ends it TERMINATED too; the logs tell which it was.
 */
import { compactCst } from '../time.js';

export interface ServiceField {
  readonly id: number;
  readonly key: string;
  readonly type: string;
  readonly name: string;
  readonly desc: string;
  readonly choice: readonly { readonly key: string; readonly name: string }[];
  readonly validate_type: 'REQUIRE' | 'OPTION';
  readonly regex: string;
  readonly meta: Record<string, never>;
}

export interface ItsmService {
  readonly id: number;
  readonly workflow_id: number;
  readonly name: string;
  readonly desc: string;
  readonly service_type: string;
  readonly catalog_id: number;
  readonly fields: readonly ServiceField[];
  readonly node: { readonly state_id: number; readonly name: string; readonly processors: readonly string[]; readonly fields: readonly ServiceField[] };
}

export type TicketStatus = 'RUNNING' | 'FINISHED' | 'TERMINATED' | 'SUSPENDED';

export interface TicketLog {
  readonly operator: string;
  readonly message: string;
  readonly source: 'API' | 'SYS';
  readonly operate_at: number;
}

export interface ItsmTicket {
  readonly sn: string;
  readonly id: number;
  readonly service: ItsmService;
  readonly creator: string;
  readonly title: string;
  readonly fields: readonly { readonly key: string; readonly value: unknown }[];
  readonly createdAt: number;
  status: TicketStatus;
  /** Node status: RUNNING until acted on, then FINISHED / TERMINATED. */
  nodeStatus: 'RUNNING' | 'FINISHED' | 'TERMINATED' | 'SUSPEND';
  processors: string[];
  /** true approved, false rejected, undefined not decided (withdrawn, terminated or still open). */
  approved: boolean | undefined;
  readonly logs: TicketLog[];
}

const field = (id: number, key: string, type: string, name: string, validate: 'REQUIRE' | 'OPTION', choice: ServiceField['choice'] = []): ServiceField => ({
  id,
  key,
  type,
  name,
  desc: '',
  choice,
  validate_type: validate,
  regex: 'EMPTY',
  meta: {},
});

export const APPROVAL_RESULT_KEY = 'SHENPIJIEGUO';
export const APPROVAL_REMARK_KEY = 'SHENPIBEIZHU';
export const APPROVE = 'TONGYI';
export const REJECT = 'JUJUE';

const approvalFields: readonly ServiceField[] = [
  field(8, APPROVAL_RESULT_KEY, 'RADIO', '审批结果', 'REQUIRE', [
    { key: APPROVE, name: '同意' },
    { key: REJECT, name: '拒绝' },
  ]),
  field(9, APPROVAL_REMARK_KEY, 'TEXT', '审批备注', 'OPTION'),
];

export function seedServices(): ItsmService[] {
  return [
    {
      id: 1,
      workflow_id: 15,
      name: 'ChatOps execution approval',
      desc: 'A script run on production hosts needs one approver',
      service_type: 'request',
      catalog_id: 2,
      fields: [field(1, 'title', 'STRING', '标题', 'REQUIRE'), field(2, 'content', 'TEXT', '执行内容', 'OPTION'), field(3, 'risk', 'STRING', '风险等级', 'OPTION')],
      node: { state_id: 4, name: '审批', processors: ['bob', 'carol'], fields: approvalFields },
    },
    {
      id: 2,
      workflow_id: 16,
      name: 'Change request',
      desc: 'General change request, approved by the admin',
      service_type: 'change',
      catalog_id: 3,
      fields: [field(4, 'title', 'STRING', '标题', 'REQUIRE'), field(5, 'reason', 'TEXT', '变更原因', 'REQUIRE')],
      node: { state_id: 4, name: '审批', processors: ['dave'], fields: approvalFields },
    },
  ];
}

export class Itsm {
  readonly services = seedServices();
  readonly tickets: ItsmTicket[] = [];
  private nextId = 1;

  constructor(private readonly now: () => number) {}

  service(id: number): ItsmService | undefined {
    return this.services.find((service) => service.id === id);
  }

  ticket(sn: string): ItsmTicket | undefined {
    return this.tickets.find((ticket) => ticket.sn === sn);
  }

  create(service: ItsmService, creator: string, fields: readonly { key: string; value: unknown }[]): ItsmTicket {
    const at = this.now();
    const id = this.nextId++;
    const title = String(fields.find((entry) => entry.key === 'title')?.value ?? service.name);
    const ticket: ItsmTicket = {
      sn: `NO${compactCst(at)}${String(id).padStart(4, '0')}`,
      id,
      service,
      creator,
      title,
      fields,
      createdAt: at,
      status: 'RUNNING',
      nodeStatus: 'RUNNING',
      processors: service.node.processors.filter((name) => name !== creator),
      approved: undefined,
      logs: [
        { operator: creator, message: '流程开始', source: 'API', operate_at: at },
        { operator: creator, message: `${creator} 处理节点【提单】(提交)`, source: 'API', operate_at: at },
      ],
    };
    this.tickets.push(ticket);
    return ticket;
  }

  log(ticket: ItsmTicket, operator: string, message: string): void {
    ticket.logs.push({ operator, message, source: 'API', operate_at: this.now() });
  }
}
