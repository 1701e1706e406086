/**
 * The IAM routes a COC client needs (coc-api-notes §4.6): password tokens, answered 201 with
 * the token in `X-Subject-Token`, and the project lookup the SDKs do for AK/SK callers.
 * Errors are Keystone-style `{error: {code, title, message}}`.
 */
import { z } from 'zod';
import { SIM_DOMAIN_ID, SIM_DOMAIN_NAME } from '../defaults.js';
import { bareResponse } from '../http/envelopes.js';
import { validate } from '../http/validate.js';
import { SimError, type RouteContext, type RouteDefinition, type SimResponse } from '../http/types.js';
import type { Region } from '../state/model.js';

const nameOrId = z.object({ name: z.string().min(1).max(255).optional(), id: z.string().min(1).max(64).optional() });

const tokenBody = z.object({
  auth: z.object({
    identity: z.object({
      methods: z.array(z.string()).min(1),
      password: z.object({
        user: z.object({
          name: z.string().min(1).max(255),
          password: z.string().min(1).max(255),
          domain: nameOrId,
        }),
      }),
    }),
    scope: z.object({ project: nameOrId.optional(), domain: nameOrId.optional() }).optional(),
  }),
});

const projectsQuery = z.object({ name: z.string().max(64).optional(), domain_id: z.string().max(64).optional() });

function renderProject(region: Region): Record<string, unknown> {
  return {
    id: region.projectId,
    name: region.id,
    domain_id: SIM_DOMAIN_ID,
    parent_id: SIM_DOMAIN_ID,
    is_domain: false,
    enabled: true,
    description: '',
    links: { self: `/v3/projects/${region.projectId}`, next: null, previous: null },
  };
}

function issueToken({ body, world }: RouteContext): SimResponse {
  const input = validate(tokenBody, body, 'iam');
  if (!input.auth.identity.methods.includes('password')) throw new SimError(400, 'IAM.0001', 'Only the "password" identity method is supported.');
  const { user: login } = input.auth.identity.password;
  const user = world.iam.authenticate(login.name, login.password, login.domain.name, login.domain.id);
  if (!user) throw new SimError(401, 'IAM.0004', 'The username or password is wrong.');
  let project: Region | undefined;
  const wanted = input.auth.scope?.project;
  if (wanted) {
    project = world.regions.find((region) => (wanted.id !== undefined ? region.projectId === wanted.id : region.id === wanted.name));
    if (!project) throw new SimError(400, 'IAM.0002', `The project ${wanted.id ?? wanted.name ?? ''} does not exist.`);
  }
  const issued = world.iam.issue(user, project);
  const domain = { id: user.domainId, name: user.domainName };
  return {
    status: 201,
    headers: { 'X-Subject-Token': issued.token },
    body: {
      token: {
        expires_at: new Date(issued.expiresAt).toISOString(),
        issued_at: new Date(issued.issuedAt).toISOString(),
        methods: ['password'],
        user: { domain, id: user.id, name: user.name, password_expires_at: '' },
        ...(project ? { project: { domain: { id: SIM_DOMAIN_ID, name: SIM_DOMAIN_NAME }, id: project.projectId, name: project.id } } : { domain }),
        roles: [{ id: '0', name: 'op_service' }, { id: '1', name: 'te_admin' }],
        catalog: [],
      },
    },
  };
}

function listProjects({ query, world }: RouteContext): SimResponse {
  const filters = validate(projectsQuery, query.toObject(), 'iam', { subject: 'query' });
  const projects = world.regions.filter((region) => filters.name === undefined || region.id === filters.name).map(renderProject);
  return bareResponse({ projects, links: { self: '/v3/projects', next: null, previous: null } });
}

export const iamRoutes: readonly RouteDefinition[] = [
  { method: 'POST', path: '/v3/auth/tokens', family: 'iam', auth: 'none', handle: issueToken },
  { method: 'GET', path: '/v3/projects', family: 'iam', auth: 'required', handle: listProjects },
];
