/**
 * A few incidents in every workflow status, one with a running WarRoom and one with a
 * closed one, so lists and detail views have something to show from the first minute.
 */
import { MINUTE_MS } from '../clock.js';
import { userIdFor } from '../defaults.js';
import type { IdFactory } from '../ids.js';
import { INCIDENT_LEVELS } from './incident-enums.js';
import type { IncidentDesk } from './incidents.js';
import type { Incident, IncidentStatus } from './model.js';
import { APPLICATIONS } from './seed-tenant.js';
import type { WarRoomBoard } from './warrooms.js';

interface IncidentSpec {
  readonly ageMinutes: number;
  readonly title: string;
  readonly description: string;
  readonly level: string;
  readonly type: string;
  readonly source: string;
  readonly app: string;
  readonly region: string;
  readonly assignee: string;
  readonly status: IncidentStatus;
  readonly warRoom?: 'RUNNING' | 'CLOSED';
  readonly interrupt: boolean;
}

const SPECS: readonly IncidentSpec[] = [
  {
    ageMinutes: 25,
    title: 'Checkout latency above 2 s on the web tier',
    description: 'p95 latency of /checkout rose from 300 ms to 2.4 s after 09:40; error rate 3%.',
    level: 'level_20',
    type: 'inc_type_p_reliability_issues',
    source: 'incident_source_alarm',
    app: 'storefront',
    region: 'cn-north-4',
    assignee: 'carol',
    status: 'INCIDENT_STATUS_TRIGGERED',
    interrupt: false,
  },
  {
    ageMinutes: 140,
    title: 'Replication lag on db-04 above 300 s',
    description: 'Replica db-04 is 5 minutes behind the primary; read-after-write failures reported.',
    level: 'level_30',
    type: 'inc_type_p_middleware_issues',
    source: 'incident_source_manual',
    app: 'orders',
    region: 'cn-north-4',
    assignee: 'alice',
    status: 'INCIDENT_STATUS_ACKNOWLEDGED',
    warRoom: 'RUNNING',
    interrupt: true,
  },
  {
    ageMinutes: 600,
    title: 'Redis memory usage at 95% on cache-03',
    description: 'maxmemory nearly reached; evictions started.',
    level: 'level_40',
    type: 'inc_type_p_config_issues',
    source: 'incident_source_alarm',
    app: 'sessions',
    region: 'ap-southeast-3',
    assignee: 'bob',
    status: 'INCIDENT_STATUS_RESOLVED',
    interrupt: false,
  },
  {
    ageMinutes: 2 * 24 * 60,
    title: 'Nightly report batch failed',
    description: 'batch-03 job exited with code 137 (OOM).',
    level: 'level_50',
    type: 'inc_type_p_function_issues',
    source: 'incident_source_manual',
    app: 'reports',
    region: 'ap-southeast-3',
    assignee: 'dave',
    status: 'INCIDENT_STATUS_COMPLETED',
    warRoom: 'CLOSED',
    interrupt: false,
  },
  {
    ageMinutes: 8,
    title: 'TLS certificate of shop.example.com expires in 7 days',
    description: 'Certificate monitor raised a warning.',
    level: 'level_30',
    type: 'inc_type_p_security_issues',
    source: 'incident_source_alarm',
    app: 'storefront',
    region: 'cn-north-4',
    assignee: 'carol',
    status: 'INCIDENT_STATUS_TRIGGERED',
    interrupt: false,
  },
];

/** Workflow steps from TRIGGERED to each status, used to give seeded incidents a history. */
const PATH_TO: Readonly<Record<string, readonly { action: string; to: IncidentStatus }[]>> = {
  INCIDENT_STATUS_TRIGGERED: [],
  INCIDENT_STATUS_ACKNOWLEDGED: [{ action: 'acceptedIncident1', to: 'INCIDENT_STATUS_ACKNOWLEDGED' }],
  INCIDENT_STATUS_RESOLVED: [
    { action: 'acceptedIncident1', to: 'INCIDENT_STATUS_ACKNOWLEDGED' },
    { action: 'commitSolution1', to: 'INCIDENT_STATUS_RESOLVED' },
  ],
  INCIDENT_STATUS_REJECTED: [
    { action: 'acceptedIncident1', to: 'INCIDENT_STATUS_ACKNOWLEDGED' },
    { action: 'commitSolution1', to: 'INCIDENT_STATUS_RESOLVED' },
    { action: 'confirm', to: 'INCIDENT_STATUS_REJECTED' },
  ],
  INCIDENT_STATUS_COMPLETED: [
    { action: 'acceptedIncident1', to: 'INCIDENT_STATUS_ACKNOWLEDGED' },
    { action: 'commitSolution1', to: 'INCIDENT_STATUS_RESOLVED' },
    { action: 'confirm', to: 'INCIDENT_STATUS_COMPLETED' },
  ],
};

export function seedIncidents(ids: IdFactory, nowMs: number, desk: IncidentDesk, warRooms: WarRoomBoard): void {
  for (const spec of SPECS) {
    const created = nowMs - spec.ageMinutes * MINUTE_MS;
    const assigneeId = userIdFor(spec.assignee);
    const app = APPLICATIONS.find((candidate) => candidate.name === spec.app);
    const steps = PATH_TO[spec.status] ?? [];
    const history: Incident['history'] = [];
    let status: IncidentStatus = 'INCIDENT_STATUS_TRIGGERED';
    steps.forEach((step, index) => {
      history.push({ action: step.action, operator: assigneeId, fromStatus: status, toStatus: step.to, at: created + (index + 1) * 5 * MINUTE_MS, comment: undefined });
      status = step.to;
    });
    const lastChange = history.at(-1)?.at ?? created;
    const resolved = spec.status === 'INCIDENT_STATUS_RESOLVED' || spec.status === 'INCIDENT_STATUS_COMPLETED';
    const incident: Incident = {
      incidentNum: ids.incidentNum(created),
      region: [spec.region],
      enterpriseProject: ['0'],
      currentCloudService: app ? [app.id] : [],
      level: spec.level,
      isServiceInterrupt: spec.interrupt,
      type: spec.type,
      title: spec.title,
      description: spec.description,
      source: spec.source,
      assignee: [assigneeId],
      assigneeScene: '',
      assigneeRole: '',
      warroomId: null,
      handleTime: history[0]?.at ?? null,
      status: spec.status,
      createTime: created,
      updateTime: lastChange,
      creator: userIdFor('alice'),
      lastOperator: assigneeId,
      startTime: created - 10 * MINUTE_MS,
      faultRecoveryTime: resolved ? lastChange : null,
      ownership: '',
      cause: resolved ? 'Root cause identified and fixed.' : null,
      solution: resolved ? 'Applied the fix and verified recovery.' : null,
      history,
    };
    desk.add(incident);
    if (spec.warRoom) {
      const roomCreated = created + 3 * MINUTE_MS;
      const roomId = ids.warRoomId(roomCreated);
      warRooms.add({
        id: roomId,
        title: `[${INCIDENT_LEVELS[spec.level]?.en ?? spec.level}] ${spec.title}`,
        description: spec.description,
        admin: assigneeId,
        participants: [assigneeId, userIdFor('bob')],
        incidentNum: incident.incidentNum,
        applicationIds: incident.currentCloudService,
        regionCodes: incident.region,
        enterpriseProjectId: '0',
        scheduleGroup: [],
        notificationModes: [],
        createTime: roomCreated,
        status: spec.warRoom,
        recoverTime: spec.warRoom === 'CLOSED' ? lastChange : null,
      });
      incident.warroomId = roomId;
    }
  }
}
