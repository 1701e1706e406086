/**
 * What a run asks for, however it was typed (flags or the form), and what it takes when not
 * told otherwise.
 */
import type { HostSelector } from './hosts.js';
import type { Rotation } from './plan.js';

export interface RunRequest {
  readonly script: string;
  readonly hosts: HostSelector;
  readonly batchSize: number;
  readonly rotation: Rotation;
  readonly timeout: number;
  readonly successRate: number;
  readonly executeUser: string;
  readonly params: Readonly<Record<string, string>>;
  readonly canary: boolean;
}

export const RUN_DEFAULTS = { batchSize: 10, timeout: 300, successRate: 100, executeUser: 'root' } as const;
