/**
 * ITSM: services, tickets and their one approval node. `operator` must be a processor of the
 * node (operate_node) or, for WITHDRAW, the ticket's creator. See state/itsm.ts for outcomes.
 */
import { z } from 'zod';
import { EsbCodes, EsbError, argumentError } from '../errors.js';
import { APPROVAL_RESULT_KEY, APPROVAL_REMARK_KEY, APPROVE, REJECT, type ItsmService, type ItsmTicket } from '../state/itsm.js';
import type { BkWorld } from '../state/world.js';
import { bkTime } from '../time.js';
import { array, defineComponent, int, nonEmpty, ok, str } from './define.js';

const fieldValue = z.object({ key: nonEmpty(), value: z.unknown() });

function ticketOf(world: BkWorld, sn: string): ItsmTicket {
  const ticket = world.itsm.ticket(sn);
  if (!ticket) throw new EsbError(EsbCodes.ITSM_NOT_FOUND, `ticket ${sn} does not exist`);
  return ticket;
}

function serviceOf(world: BkWorld, id: number): ItsmService {
  const service = world.itsm.service(id);
  if (!service) throw new EsbError(EsbCodes.ITSM_NOT_FOUND, `service ${id} does not exist`);
  return service;
}

const operation = (key: string, name: string) => ({ key, name, can_operate: true });

function statusView(ticket: ItsmTicket) {
  const open = ticket.status === 'RUNNING' || ticket.status === 'SUSPENDED';
  return {
    current_status: ticket.status,
    current_steps: open
      ? [
          {
            name: ticket.service.node.name,
            state_id: ticket.service.node.state_id,
            status: ticket.nodeStatus,
            action_type: 'TRANSITION',
            processors_type: 'PERSON',
            processors: ticket.processors.join(','),
            operations: [operation('TRANSITION', '提交'), operation('DELIVER', '转单'), operation('TERMINATE', '终止')],
            fields: ticket.service.node.fields.map((field) => ({ ...field, workflow_id: ticket.service.workflow_id, state_id: ticket.service.node.state_id, source_type: 'CUSTOM', is_readonly: false })),
          },
        ]
      : [],
    operations: open ? [operation('WITHDRAW', '撤单'), ticket.status === 'SUSPENDED' ? operation('UNSUSPEND', '恢复') : operation('SUSPEND', '挂起')] : [],
    is_commented: false,
    ticket_url: `http://paas.sim.invalid/o/bk_itsm/#/ticket/detail?id=${ticket.id}`,
  };
}

function requireOpen(ticket: ItsmTicket): void {
  if (ticket.status === 'FINISHED' || ticket.status === 'TERMINATED') throw new EsbError(EsbCodes.ITSM_INVALID_STATE, `ticket ${ticket.sn} has ended (${ticket.status})`);
}

export const itsmComponents = [
  defineComponent({
    key: 'itsm/get_services',
    method: 'GET',
    params: z.object({ catalog_id: int().optional(), service_type: str().optional() }),
    handle: ({ params, world }) =>
      ok(
        world.itsm.services
          .filter((service) => (params.catalog_id === undefined || service.catalog_id === params.catalog_id) && (params.service_type === undefined || service.service_type === params.service_type))
          .map((service) => ({ id: service.id, name: service.name, desc: service.desc, service_type: service.service_type })),
      ),
  }),
  /** The reference names no method for this component; both are accepted. */
  defineComponent({
    key: 'itsm/get_service_detail',
    method: 'ANY',
    params: z.object({ service_id: int() }),
    handle: ({ params, world }) => {
      const service = serviceOf(world, params.service_id);
      return ok({ service_id: service.id, workflow_id: service.workflow_id, name: service.name, service_type: service.service_type, desc: service.desc, fields: service.fields });
    },
  }),
  defineComponent({
    key: 'itsm/create_ticket',
    method: 'POST',
    params: z.object({ service_id: int(), creator: nonEmpty(), fields: array(fieldValue) }),
    handle: ({ params, world }) => {
      const service = serviceOf(world, params.service_id);
      if (!world.user(params.creator)) throw new EsbError(EsbCodes.USER_PERMISSION_DENIED, `creator ${params.creator} is not a registered user`);
      const given = new Map(params.fields.map((entry) => [entry.key, entry.value]));
      const missing = service.fields.filter((field) => field.validate_type === 'REQUIRE' && (given.get(field.key) === undefined || given.get(field.key) === ''));
      if (missing.length > 0) throw new EsbError(EsbCodes.ITSM_FIELDS_INVALID, `required fields missing: ${missing.map((field) => `${field.key} (${field.name})`).join(', ')}`);
      const unknown = params.fields.filter((entry) => !service.fields.some((field) => field.key === entry.key));
      if (unknown.length > 0) throw new EsbError(EsbCodes.ITSM_FIELDS_INVALID, `fields not in service ${service.id}: ${unknown.map((entry) => entry.key).join(', ')}`);
      const ticket = world.itsm.create(service, params.creator, params.fields);
      return ok({ sn: ticket.sn });
    },
  }),
  defineComponent({
    key: 'itsm/get_ticket_status',
    method: 'GET',
    params: z.object({ sn: nonEmpty() }),
    handle: ({ params, world }) => ok(statusView(ticketOf(world, params.sn))),
  }),
  defineComponent({
    key: 'itsm/get_ticket_info',
    method: 'GET',
    params: z.object({ sn: nonEmpty() }),
    handle: ({ params, world }) => {
      const ticket = ticketOf(world, params.sn);
      const last = ticket.logs[ticket.logs.length - 1];
      const ended = ticket.status === 'FINISHED' || ticket.status === 'TERMINATED';
      const steps = statusView(ticket).current_steps.map(({ name, action_type, processors, processors_type, state_id, status }) => ({ name, action_type, processors, processors_type, state_id, status }));
      return ok({
        id: ticket.id,
        catalog_id: ticket.service.catalog_id,
        service_id: ticket.service.id,
        flow_id: ticket.service.workflow_id,
        sn: ticket.sn,
        title: ticket.title,
        service_type: ticket.service.service_type,
        current_status: ticket.status,
        current_steps: steps,
        comment_id: '',
        is_commented: false,
        updated_by: last?.operator ?? ticket.creator,
        update_at: bkTime(last?.operate_at ?? ticket.createdAt),
        end_at: ended && last ? bkTime(last.operate_at) : null,
        creator: ticket.creator,
        create_at: bkTime(ticket.createdAt),
        is_biz_need: false,
        bk_biz_id: -1,
        fields: ticket.fields.map((entry) => {
          const field = ticket.service.fields.find((candidate) => candidate.key === entry.key);
          const value = typeof entry.value === 'string' ? entry.value : JSON.stringify(entry.value);
          return { id: field?.id ?? 0, key: entry.key, type: field?.type ?? 'STRING', name: field?.name ?? entry.key, desc: field?.desc ?? '', value, display_value: value };
        }),
      });
    },
  }),
  defineComponent({
    key: 'itsm/get_ticket_logs',
    method: 'GET',
    params: z.object({ sn: nonEmpty() }),
    handle: ({ params, world }) => {
      const ticket = ticketOf(world, params.sn);
      return ok({
        sn: ticket.sn,
        title: ticket.title,
        create_at: bkTime(ticket.createdAt),
        creator: ticket.creator,
        logs: ticket.logs.map((log) => ({ operator: log.operator, message: log.message, source: log.source, operate_at: bkTime(log.operate_at) })),
      });
    },
  }),
  defineComponent({
    key: 'itsm/operate_node',
    method: 'POST',
    params: z.object({
      sn: nonEmpty(),
      operator: nonEmpty(),
      state_id: int(),
      action_type: z.enum(['TRANSITION', 'CLAIM', 'DISTRIBUTE', 'DELIVER', 'TERMINATE'], { error: 'must be one of TRANSITION, CLAIM, DISTRIBUTE, DELIVER, TERMINATE' }),
      fields: array(fieldValue).optional(),
      processors_type: z.enum(['GENERAL', 'PERSON'], { error: 'must be GENERAL or PERSON' }).optional(),
      processors: str().optional(),
      action_message: str().optional(),
    }),
    handle: ({ params, world }) => {
      const ticket = ticketOf(world, params.sn);
      requireOpen(ticket);
      if (ticket.status === 'SUSPENDED') throw new EsbError(EsbCodes.ITSM_INVALID_STATE, `ticket ${ticket.sn} is suspended; resume it first`);
      if (params.state_id !== ticket.service.node.state_id) throw new EsbError(EsbCodes.ITSM_INVALID_STATE, `node ${params.state_id} is not a current node of ticket ${ticket.sn}`);
      if (!ticket.processors.includes(params.operator)) {
        throw new EsbError(EsbCodes.ITSM_PERMISSION_DENIED, `${params.operator} is not a processor of node ${ticket.service.node.name} (processors: ${ticket.processors.join(',') || 'none'})`);
      }
      const node = ticket.service.node.name;
      switch (params.action_type) {
        case 'TRANSITION': {
          const given = new Map((params.fields ?? []).map((entry) => [entry.key, entry.value]));
          const result = given.get(APPROVAL_RESULT_KEY);
          if (result !== APPROVE && result !== REJECT) {
            throw new EsbError(EsbCodes.ITSM_FIELDS_INVALID, `fields: ${APPROVAL_RESULT_KEY} (审批结果) is required and must be ${APPROVE} or ${REJECT}`);
          }
          const approved = result === APPROVE;
          ticket.approved = approved;
          ticket.nodeStatus = 'FINISHED';
          ticket.status = approved ? 'FINISHED' : 'TERMINATED';
          const remark = given.get(APPROVAL_REMARK_KEY);
          world.itsm.log(ticket, params.operator, `${params.operator} 处理节点【${node}】(${approved ? '通过' : '拒绝'})${typeof remark === 'string' && remark ? `: ${remark}` : ''}`);
          world.itsm.log(ticket, 'system', '流程结束');
          break;
        }
        case 'DELIVER': {
          if (params.processors_type !== 'PERSON' || !params.processors) throw argumentError('processors_type PERSON and processors are required to deliver');
          if (!params.action_message) throw argumentError('action_message: is required to deliver');
          const people = params.processors.split(',').map((name) => name.trim()).filter((name) => name !== '' && name !== ticket.creator);
          const unknown = people.filter((name) => !world.user(name));
          if (people.length === 0 || unknown.length > 0) throw new EsbError(EsbCodes.ITSM_FIELDS_INVALID, `processors must be registered users other than the creator${unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : ''}`);
          ticket.processors = people;
          world.itsm.log(ticket, params.operator, `${params.operator} 处理节点【${node}】(转单给 ${people.join(',')}): ${params.action_message}`);
          break;
        }
        case 'TERMINATE':
          if (!params.action_message) throw argumentError('action_message: is required to terminate');
          ticket.nodeStatus = 'TERMINATED';
          ticket.status = 'TERMINATED';
          world.itsm.log(ticket, params.operator, `${params.operator} 终止节点【${node}】: ${params.action_message}`);
          break;
        default:
          throw new EsbError(EsbCodes.ITSM_INVALID_STATE, `node ${node} is an approval (TRANSITION) node; ${params.action_type} does not apply`);
      }
      return ok([]);
    },
  }),
  defineComponent({
    key: 'itsm/operate_ticket',
    method: 'POST',
    params: z.object({
      sn: nonEmpty(),
      operator: nonEmpty(),
      action_type: z.enum(['SUSPEND', 'UNSUSPEND', 'WITHDRAW', 'TERMINATE'], { error: 'must be one of SUSPEND, UNSUSPEND, WITHDRAW, TERMINATE' }),
      action_message: str().optional(),
    }),
    handle: ({ params, world }) => {
      const ticket = ticketOf(world, params.sn);
      requireOpen(ticket);
      switch (params.action_type) {
        case 'WITHDRAW':
          if (params.operator !== ticket.creator) throw new EsbError(EsbCodes.ITSM_PERMISSION_DENIED, `only the creator (${ticket.creator}) can withdraw ticket ${ticket.sn}`);
          ticket.status = 'TERMINATED';
          ticket.nodeStatus = 'TERMINATED';
          world.itsm.log(ticket, params.operator, `${params.operator} 撤销单据${params.action_message ? `: ${params.action_message}` : ''}`);
          break;
        case 'SUSPEND':
        case 'UNSUSPEND': {
          if (params.operator !== ticket.creator && !ticket.processors.includes(params.operator)) {
            throw new EsbError(EsbCodes.ITSM_PERMISSION_DENIED, `${params.operator} is neither the creator nor a processor of ticket ${ticket.sn}`);
          }
          const suspend = params.action_type === 'SUSPEND';
          if (suspend && !params.action_message) throw argumentError('action_message: is required to suspend');
          if (suspend !== (ticket.status === 'RUNNING')) throw new EsbError(EsbCodes.ITSM_INVALID_STATE, `ticket ${ticket.sn} is ${ticket.status}`);
          ticket.status = suspend ? 'SUSPENDED' : 'RUNNING';
          ticket.nodeStatus = suspend ? 'SUSPEND' : 'RUNNING';
          world.itsm.log(ticket, params.operator, `${params.operator} ${suspend ? '挂起' : '恢复'}单据${params.action_message ? `: ${params.action_message}` : ''}`);
          break;
        }
        case 'TERMINATE':
          throw new EsbError(EsbCodes.ITSM_INVALID_STATE, 'TERMINATE of a whole ticket is not supported (暂不支持); terminate its node with operate_node');
      }
      return ok([]);
    },
  }),
];
