/**
 * What a run asks for, however it was typed (flags or the form). What it takes when not told
 * otherwise is declared with the run command's arguments (commands/run-arguments.ts).
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
