/**
 * The simulated tenant's data, kept in the shapes COC stores rather than the shapes it
 * returns: routes render these into the documented response bodies.
 */
import type { RunContext, RunFailure } from './script-logs.js';

export const AGENT_STATES = ['ONLINE', 'OFFLINE', 'INSTALLING', 'FAILED', 'UNINSTALLED'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

export interface Tag {
  readonly key: string;
  readonly value: string;
}

export interface Region {
  readonly id: string;
  readonly name: string;
  readonly zones: readonly string[];
  readonly projectId: string;
}

export interface Host {
  /** CMDB id (24 hex), the `id` of a Resource and the list marker. */
  readonly id: string;
  /** ECS id, what scripts target. */
  readonly resourceId: string;
  readonly name: string;
  readonly regionId: string;
  readonly zoneId: string;
  readonly projectId: string;
  readonly tags: readonly Tag[];
  /** Absent when no UniAgent is installed. Changed only by a UniAgent sync (state/resource-sync.ts). */
  agentId: string | undefined;
  agentState: Exclude<AgentState, 'UNINSTALLED'> | undefined;
  readonly osType: 'linux' | 'windows';
  readonly osName: string;
  readonly osVersion: string;
  readonly imageName: string;
  readonly flavorName: string;
  readonly status: 'ACTIVE' | 'SHUTOFF';
  readonly fixedIp: string;
  readonly floatingIp: string | undefined;
  readonly vpcId: string;
  readonly createTime: string;
  updateTime: string;
  /**
   * COC's row for it omits `agent_id` and `agent_state`, as the reference's resource table has
   * them not (the SDK has them). The agent itself is as `agentState` says: scripts run on it, and
   * the `agent_state` filter still selects it by that state.
   */
  readonly agentStateHidden?: boolean;
}

export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const SCRIPT_TYPES = ['SHELL', 'PYTHON', 'BAT'] as const;
export type ScriptType = (typeof SCRIPT_TYPES)[number];
export type ScriptStatus = 'PENDING_APPROVE' | 'APPROVED' | 'REJECTED';

export interface ScriptParamDefine {
  readonly param_name: string;
  readonly param_value: string;
  readonly param_description: string;
  readonly param_order?: number | undefined;
  readonly sensitive: boolean;
}

export interface Reviewer {
  readonly reviewer_name: string;
  readonly reviewer_id: string;
}

export interface ScriptProperties {
  readonly risk_level: RiskLevel;
  readonly version: string;
  readonly reviewers?: readonly Reviewer[] | undefined;
  readonly protocol?: string | undefined;
}

export type ScriptSource = 'CUSTOM_SCRIPT' | 'PUBLIC_SCRIPT';

export interface Script {
  readonly id: number;
  readonly scriptUuid: string;
  readonly source: ScriptSource;
  readonly name: string;
  readonly type: ScriptType;
  description: string;
  content: string;
  params: readonly ScriptParamDefine[];
  properties: ScriptProperties;
  status: ScriptStatus;
  readonly gmtCreated: number;
  gmtModified: number;
  readonly creator: string;
  readonly creatorId: string;
  operator: string;
  readonly enterpriseProjectId: string;
}

export const ORDER_STATUSES = ['READY', 'PROCESSING', 'ABNORMAL', 'PAUSED', 'CANCELED', 'FINISHED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const INSTANCE_STATUSES = ['READY', 'PROCESSING', 'ABNORMAL', 'CANCELED', 'FINISHED'] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];
export type RotationStrategy = 'CONTINUE' | 'PAUSE';

export interface ExecuteInputParam {
  readonly param_name: string;
  readonly param_value?: string | undefined;
  readonly param_order?: number | undefined;
  readonly param_refer?: { readonly refer_type: string; readonly param_id: string; readonly param_version?: string | undefined } | undefined;
}

export interface ExecuteParam {
  readonly timeout: number;
  readonly success_rate: number;
  readonly execute_user: string;
  readonly script_params?: readonly ExecuteInputParam[] | undefined;
  readonly resourceful?: boolean | undefined;
}

export interface TargetInstance {
  readonly resource_id: string;
  readonly region_id: string;
  readonly provider: string;
  readonly type: string;
  readonly custom_attributes: readonly Tag[];
}

/** How an instance will end, decided when the order is created (seeded, reproducible). */
export interface PlannedRun {
  readonly succeeds: boolean;
  /** First log line, what shows while the instance runs. */
  readonly header: string;
  /** The complete output; regenerated on each call (deterministic), never stored. */
  finalLog(): string;
  /** What the outcome and the log were decided from, so that a saved world can plan it again. */
  readonly decided?: { readonly context: RunContext; readonly failure: RunFailure | undefined };
}

export interface ExecInstance {
  readonly id: number;
  readonly batchIndex: number;
  readonly host: Host;
  readonly target: TargetInstance;
  status: InstanceStatus;
  readonly gmtCreated: number;
  gmtFinished: number | null;
  /** Set when CANCEL_* hit the instance while it was running: its log shows the start. */
  canceledWhileRunning: boolean;
  readonly run: PlannedRun;
}

export interface OrderBatch {
  readonly batchIndex: number;
  readonly rotationStrategy: RotationStrategy;
  readonly instances: readonly ExecInstance[];
}

export interface Order {
  readonly orderId: number;
  readonly executeUuid: string;
  readonly script: {
    readonly uuid: string;
    readonly name: string;
    readonly source: ScriptSource;
    readonly versionUuid: number;
    readonly versionName: string;
  };
  readonly executeParam: ExecuteParam;
  readonly batches: readonly OrderBatch[];
  readonly creator: string;
  readonly regionIds: string;
  readonly gmtCreated: number;
  status: OrderStatus;
  /** 1-based; the batch running now, or the one that runs next after a pause. */
  currentBatchIndex: number;
  /** PAUSE_ORDER arrived while a batch was running: pause once it completes. */
  pauseRequested: boolean;
  gmtFinished: number | null;
}

export interface IamUser {
  readonly id: string;
  readonly name: string;
  readonly password: string;
  readonly domainName: string;
  readonly domainId: string;
}

export interface Application {
  readonly id: string;
  readonly name: string;
}

export const INCIDENT_STATUSES = [
  'incident_draft',
  'INCIDENT_STATUS_TRIGGERED',
  'INCIDENT_STATUS_ACKNOWLEDGED',
  'INCIDENT_STATUS_REJECTED',
  'INCIDENT_STATUS_RESOLVED',
  'INCIDENT_STATUS_COMPLETED',
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export interface IncidentHistoryEntry {
  readonly action: string;
  readonly operator: string;
  readonly fromStatus: IncidentStatus;
  readonly toStatus: IncidentStatus;
  readonly at: number;
  readonly comment: string | undefined;
}

export interface Incident {
  readonly incidentNum: string;
  readonly region: readonly string[];
  readonly enterpriseProject: readonly string[];
  readonly currentCloudService: readonly string[];
  readonly level: string;
  isServiceInterrupt: boolean;
  type: string;
  readonly title: string;
  readonly description: string;
  readonly source: string;
  readonly assignee: readonly string[];
  readonly assigneeScene: string;
  readonly assigneeRole: string;
  warroomId: string | null;
  handleTime: number | null;
  status: IncidentStatus;
  readonly createTime: number;
  updateTime: number;
  readonly creator: string;
  lastOperator: string;
  readonly startTime: number | null;
  faultRecoveryTime: number | null;
  readonly ownership: string;
  cause: string | null;
  solution: string | null;
  readonly history: IncidentHistoryEntry[];
}

export type WarRoomStatus = 'RUNNING' | 'CLOSED';

export interface WarRoom {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly admin: string;
  readonly participants: readonly string[];
  readonly incidentNum: string;
  readonly applicationIds: readonly string[];
  readonly regionCodes: readonly string[];
  readonly enterpriseProjectId: string;
  readonly scheduleGroup: readonly { readonly role_id: string; readonly scene_id: string }[];
  readonly notificationModes: readonly string[];
  readonly createTime: number;
  status: WarRoomStatus;
  recoverTime: number | null;
}

export interface Alarm {
  readonly integrationKey: string;
  readonly alarmId: string;
  readonly alarmName: string;
  readonly alarmLevel: 'Critical' | 'Major' | 'Minor' | 'Info';
  readonly time: number;
  readonly nameSpace: string;
  readonly alarmDesc: string;
  readonly alarmSource: string;
  readonly applicationId: string | undefined;
  readonly regionId: string | undefined;
  readonly resourceName: string | undefined;
  readonly resourceId: string | undefined;
  readonly url: string | undefined;
  alarmStatus: 'alarm' | 'ok';
  readonly additional: Readonly<Record<string, unknown>> | undefined;
  readonly receivedAt: number;
  updatedAt: number;
}

export interface SeveritySummary {
  readonly critical_count: number;
  readonly high_count: number;
  readonly medium_count: number;
  readonly low_count: number;
  readonly informational_count: number;
  readonly unspecified_count: number;
}

export type PatchStatus = 'INSTALLED' | 'INSTALLED_OTHER' | 'MISSING' | 'REJECT' | 'FAILED' | 'PENDING_REBOOT';

export interface PatchItem {
  readonly title: string;
  readonly classification: string;
  readonly severityLevel: string;
  readonly complianceLevel: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL' | 'UNSPECIFIED';
  readonly patchStatus: PatchStatus;
  readonly installedTime: number | null;
}

export interface PatchReport {
  readonly id: string;
  readonly host: Host;
  readonly baselineId: string;
  readonly baselineName: string;
  readonly orderId: string;
  readonly jobId: string;
  readonly reportTime: number;
  readonly items: readonly PatchItem[];
}
