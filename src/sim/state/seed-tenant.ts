/** The tenant around the fleet: IAM users and the applications incidents are filed against. */
import { SIM_DOMAIN_ID, SIM_DOMAIN_NAME, stableHexId, userIdFor, type SimUserSpec } from '../defaults.js';
import type { Application, IamUser } from './model.js';

export function buildUsers(specs: readonly SimUserSpec[]): IamUser[] {
  return specs.map((spec) => {
    const domainName = spec.domainName ?? SIM_DOMAIN_NAME;
    return {
      id: spec.id ?? userIdFor(spec.name),
      name: spec.name,
      password: spec.password,
      domainName,
      domainId: domainName === SIM_DOMAIN_NAME ? SIM_DOMAIN_ID : stableHexId('domain', domainName),
    };
  });
}

/** Application ids are 24 hex like COC's, stable across seeds. */
export const APPLICATIONS: readonly Application[] = ['storefront', 'orders', 'sessions', 'reports'].map((name) => ({
  id: stableHexId('application', name, 24),
  name,
}));
