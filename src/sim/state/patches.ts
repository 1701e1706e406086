/**
 * Patch compliance reports for the Linux hosts that have a UniAgent. About a third are
 * non-compliant; summaries are always computed from the items, so counts and lists agree.
 * Compliant items: INSTALLED, INSTALLED_OTHER. Everything else (MISSING, FAILED, REJECT,
 * PENDING_REBOOT) makes a host non-compliant.
 */
import { DAY_MS, HOUR_MS } from '../clock.js';
import { Random } from '../prng.js';
import type { Host, PatchItem, PatchReport, PatchStatus, SeveritySummary } from './model.js';

const PACKAGES = ['openssl', 'kernel', 'glibc', 'sudo', 'openssh', 'curl', 'systemd', 'bash', 'python3', 'vim-minimal', 'tzdata', 'libxml2', 'zlib', 'nss', 'polkit'];
const OS_SUFFIX: Readonly<Record<string, string>> = { HuaweiCloudEulerOS: 'hce2', CentOS: 'el7', EulerOS: 'eulerosv2r9' };

const SEVERITIES = [
  { severity: 'Critical', level: 'CRITICAL' },
  { severity: 'Important', level: 'HIGH' },
  { severity: 'Moderate', level: 'MEDIUM' },
  { severity: 'Low', level: 'LOW' },
] as const;

const COMPLIANT_STATUSES: ReadonlySet<PatchStatus> = new Set(['INSTALLED', 'INSTALLED_OTHER']);

export function isCompliantItem(item: PatchItem): boolean {
  return COMPLIANT_STATUSES.has(item.patchStatus);
}

export function isCompliantReport(report: PatchReport): boolean {
  return report.items.every(isCompliantItem);
}

export function severitySummary(items: readonly PatchItem[]): SeveritySummary {
  const count = (level: PatchItem['complianceLevel']): number => items.filter((item) => item.complianceLevel === level).length;
  return {
    critical_count: count('CRITICAL'),
    high_count: count('HIGH'),
    medium_count: count('MEDIUM'),
    low_count: count('LOW'),
    informational_count: count('INFORMATIONAL'),
    unspecified_count: count('UNSPECIFIED'),
  };
}

function makeItem(random: Random, host: Host, status: PatchStatus, nowMs: number): PatchItem {
  const security = random.chance(0.6);
  const severity = random.pick(SEVERITIES);
  const pkg = random.pick(PACKAGES);
  const version = `${random.int(1, 5)}.${random.int(0, 20)}.${random.int(0, 40)}-${random.int(1, 60)}.${OS_SUFFIX[host.osName] ?? 'el7'}`;
  return {
    title: `${pkg}-${version}.x86_64`,
    classification: security ? 'Security' : random.pick(['Bugfix', 'Enhancement']),
    severityLevel: security ? severity.severity : '',
    complianceLevel: security ? severity.level : random.pick(['INFORMATIONAL', 'UNSPECIFIED'] as const),
    patchStatus: status,
    installedTime: COMPLIANT_STATUSES.has(status) || status === 'PENDING_REBOOT' ? nowMs - random.int(1, 120) * DAY_MS : null,
  };
}

export function seedPatchReports(seed: number, hosts: readonly Host[], nowMs: number): PatchReport[] {
  const random = Random.derived(seed, 'patches');
  const reports: PatchReport[] = [];
  for (const host of hosts) {
    if (host.osType !== 'linux' || host.agentState === undefined) continue;
    const nonCompliant = random.chance(0.35);
    const items: PatchItem[] = [];
    const installed = random.int(6, 24);
    for (let i = 0; i < installed; i++) items.push(makeItem(random, host, random.chance(0.85) ? 'INSTALLED' : 'INSTALLED_OTHER', nowMs));
    if (nonCompliant) {
      const missing = random.int(1, 6);
      for (let i = 0; i < missing; i++) items.push(makeItem(random, host, random.pick<PatchStatus>(['MISSING', 'MISSING', 'FAILED', 'PENDING_REBOOT', 'REJECT']), nowMs));
    }
    reports.push({
      id: random.hex(32),
      host,
      baselineId: `JX-${random.hex(29)}`,
      baselineName: `COC-${host.osName}DefaultPatchBaseline`,
      orderId: random.hex(24),
      jobId: random.hex(24),
      reportTime: nowMs - random.int(1, 72) * HOUR_MS,
      items,
    });
  }
  return reports;
}
