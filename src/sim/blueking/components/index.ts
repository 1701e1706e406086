/** Every component the simulator serves, by ESB key (`<system>/<name>`). */
import { ccComponents } from './cc.js';
import { cmsiComponents } from './cmsi.js';
import type { Component } from './define.js';
import { gseComponents } from './gse.js';
import { itsmComponents } from './itsm.js';
import { jobComponents } from './job.js';
import { loginComponents } from './login.js';
import { monitorComponents } from './monitor.js';
import { sopsComponents } from './sops.js';

export const ALL_COMPONENTS: readonly Component[] = [
  ...loginComponents,
  ...cmsiComponents,
  ...ccComponents,
  ...gseComponents,
  ...jobComponents,
  ...monitorComponents,
  ...sopsComponents,
  ...itsmComponents,
];

/** e.g. `job/fast_execute_script`: the keys faults and request counts use. */
export const COMPONENT_KEYS: readonly string[] = ALL_COMPONENTS.map((component) => component.key);

const byKey = new Map(ALL_COMPONENTS.map((component) => [component.key, component]));

/**
 * `/api/c/compapi/v2/<system>/<component>/`; CMSI is also documented without `v2`
 * (`/api/c/compapi/cmsi/send_msg/`). The trailing slash is optional.
 */
export function componentKeyOf(pathname: string): string | undefined {
  const match = /^\/api\/c\/compapi\/(?:v2\/)?([a-z_]+)\/([a-z_]+)\/?$/.exec(pathname);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

export function componentFor(key: string | undefined): Component | undefined {
  return key === undefined ? undefined : byKey.get(key);
}
