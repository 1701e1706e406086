/**
 * The services one invocation runs with: the same as everyone's, except that the backends they
 * hand out — the bot's (`backend`) and each person's (`backendFor`) — make their calls in the
 * invocation's call scope (its audit scope, its deadline). Whatever a command, an approval's
 * execute or a reconciliation reaches for, its platform calls are attributed to the invocation
 * that made them, explicitly, without an implicit async context.
 */
import { backendIn, type Backend, type CallScope } from '../backends/index.js';
import type { Services } from './command.js';

/** Each invocation's services → the deployment's they were made from. */
const deployments = new WeakMap<Services, Services>();

export function servicesIn(services: Services, scope: CallScope): Services {
  const deployment = deploymentServices(services);
  let bot: Backend | undefined;
  // One scoped backend per person and invocation, however often it is asked for.
  const people = new Map<string, Backend>();
  const scoped: Services = {
    ...deployment,
    // Made on first use: most commands reach only the person's backend, or none.
    get backend() {
      return (bot ??= backendIn(deployment.backend, scope));
    },
    backendFor: (identity) => {
      const key = `${identity.credentialRef ?? ''}\u0000${identity.iamUserName}`;
      let backend = people.get(key);
      if (!backend) {
        backend = backendIn(deployment.backendFor(identity), scope);
        people.set(key, backend);
      }
      return backend;
    },
  };
  deployments.set(scoped, deployment);
  return scoped;
}

/**
 * The deployment's services behind an invocation's: for what lives longer than one invocation
 * (a tracker made on first use, a follower), which must be one per bot and act with the bot's
 * own backend, in no invocation's scope.
 */
export function deploymentServices(services: Services): Services {
  return deployments.get(services) ?? services;
}
