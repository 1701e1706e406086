/**
 * What a backend can do, as names commands and flags declare they `need`. Derived from presence
 * (a group, an optional method, a declared operation), never configured separately, so the
 * command set cannot promise what the backend lacks.
 */
import type { Backend } from './backend.js';

export const CAPABILITIES = [
  'hosts',
  'hosts.count',
  'hosts.sync',
  'hosts.sync-agents',
  'hosts.filter.region',
  'hosts.filter.tag',
  'hosts.filter.agent',
  'hosts.filter.topology',
  'scripts',
  'scripts.public',
  /** Creating, changing and deleting the tenant's scripts (BlueKing keeps that to itself). */
  'scripts.manage',
  'runs',
  'runs.list',
  'runs.find',
  'runs.operate.pause',
  'runs.operate.continue',
  'runs.operate.cancel',
  'runs.operate.skip-batch',
  'runs.operate.cancel-host',
  'incidents',
  'incidents.create',
  'incidents.handle',
  /** The platform says which actions fit an incident now, for whoever asks, and takes them (COC v2). */
  'incidents.workflow',
  'incidents.timeline',
  'war-rooms',
  'alarms.report',
  'alarms.takes-reports',
  'alarms.read',
  /** One alarm by id, where the platform has no alarm list (COC's alarm centre). */
  'alarms.get',
  'alarms.link-incident',
  'alarms.clear',
  'alarms.history',
  'alarms.run-linked',
  'changes',
  'changes.act',
  'runbooks',
  'patches',
  'approvals.external',
  'tasks',
  'notices',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export function capabilitiesOf(backend: Backend): ReadonlySet<Capability> {
  const have = new Set<Capability>();
  const { hosts, scripts, runs, incidents } = backend;
  if (hosts) {
    have.add('hosts');
    if (hosts.count) have.add('hosts.count');
    if (hosts.sync) have.add('hosts.sync');
    if (hosts.syncAgents) have.add('hosts.sync-agents');
    if (hosts.filters.has('region')) have.add('hosts.filter.region');
    if (hosts.filters.has('tag')) have.add('hosts.filter.tag');
    if (hosts.filters.has('agent')) have.add('hosts.filter.agent');
    if (hosts.filters.has('topology')) have.add('hosts.filter.topology');
  }
  if (scripts) {
    have.add('scripts');
    if (scripts.publicScripts) have.add('scripts.public');
    if (scripts.create && scripts.update && scripts.remove) have.add('scripts.manage');
  }
  if (runs) {
    have.add('runs');
    if (runs.list) have.add('runs.list');
    if (runs.find) have.add('runs.find');
    if (runs.operate) for (const operation of runs.operations) have.add(`runs.operate.${operation}`);
  }
  if (incidents) {
    have.add('incidents');
    if (incidents.create) have.add('incidents.create');
    if (incidents.handle) have.add('incidents.handle');
    if (incidents.workflow && incidents.act) have.add('incidents.workflow');
    if (incidents.timeline) have.add('incidents.timeline');
  }
  if (backend.warRooms) have.add('war-rooms');
  if (backend.alarms?.report) have.add('alarms.report');
  if (backend.alarms?.report || backend.alarms?.takesReports) have.add('alarms.takes-reports');
  if (backend.alarms?.list && backend.alarms.get) have.add('alarms.read');
  if (backend.alarms?.get) have.add('alarms.get');
  if (backend.alarms?.get && backend.alarms.linkToIncident && backend.alarms.incidentCodes) have.add('alarms.link-incident');
  if (backend.alarms?.get && backend.alarms.clear) have.add('alarms.clear');
  if (backend.alarms?.history) have.add('alarms.history');
  if (backend.alarms?.get && backend.alarms.runLinked) have.add('alarms.run-linked');
  if (backend.changes) have.add('changes');
  if (backend.changes?.act) have.add('changes.act');
  if (backend.runbooks) have.add('runbooks');
  if (backend.patches) have.add('patches');
  if (backend.approvals) have.add('approvals.external');
  if (backend.tasks) have.add('tasks');
  if (backend.notices) have.add('notices');
  return have;
}

export function hasAll(have: ReadonlySet<string>, needs: readonly string[] | string | undefined): boolean {
  if (needs === undefined) return true;
  return (typeof needs === 'string' ? [needs] : needs).every((need) => have.has(need));
}
