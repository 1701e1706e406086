import { describe, expect, it } from 'vitest';
import { bluekingConnection, bluekingSettingsFrom, checkConfig, loadConfig } from '../src/config.js';
import { dirWithConfig, tempDir } from './helpers/config-files.js';

const APP_SECRET = 'BKAPPSECRET-0123456789abcdef';

/** A complete real-BlueKing configuration, from the environment as an operator would set it. */
const realEnv = {
  COC_CHATOPS_BACKEND: 'blueking',
  BLUEKING_PAAS_HOST: 'https://paas.example.com/',
  BLUEKING_APP_CODE: 'coc-chatops',
  BLUEKING_APP_SECRET: APP_SECRET,
  BLUEKING_SERVICE_USER: 'chatops-bot',
  BLUEKING_DEFAULT_BIZ: '3',
};

function loaded(env: Record<string, string>, file?: unknown) {
  const result = loadConfig({ env, cwd: file === undefined ? tempDir() : dirWithConfig(file) });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return result;
}

function problemsOf(env: Record<string, string>, file?: unknown): string[] {
  const result = loadConfig({ env, cwd: file === undefined ? tempDir() : dirWithConfig(file) });
  if (result.ok) throw new Error('expected problems');
  return result.problems.map((problem) => `${problem.path}: ${problem.message} — ${problem.fix}`);
}

describe('backend and blueking configuration', () => {
  it('defaults to COC, with approvals held by the bot', () => {
    const { config } = loaded({});
    expect(config.backend).toBe('coc');
    expect(config.approvals.via).toBe('bot');
    expect(config.blueking.defaultAccount).toBe('root');
  });

  it('reads a real BlueKing from the environment and maps it to the backend settings', () => {
    const { config, warnings } = loaded(realEnv, {
      blueking: {
        risk: [
          { scriptId: 101, risk: 'LOW' },
          { namePattern: 'db-*', biz: 3, risk: 'HIGH', sensitiveArgs: true },
        ],
        itsm: { serviceId: 12 },
        callbackBaseUrl: 'https://chatops.example.com/',
      },
      approvals: { via: 'itsm' },
      ops: { port: 9464 },
    });
    expect(warnings).toEqual([]);
    const connection = bluekingConnection(config);
    expect(connection).toMatchObject({ kind: 'blueking', endpoint: 'https://paas.example.com', appCode: 'coc-chatops', serviceUser: 'chatops-bot', defaultBiz: 3 });
    expect(connection.kind === 'blueking' && connection.appSecret.reveal()).toBe(APP_SECRET);
    expect(JSON.stringify(config)).not.toContain(APP_SECRET);
    expect(bluekingSettingsFrom(config)).toEqual({
      defaultBiz: 3,
      riskRules: [
        { scriptId: 101, risk: 'low' },
        { namePattern: 'db-*', biz: 3, risk: 'high', sensitiveArgs: true },
      ],
      defaultAccount: 'root',
      itsmServiceId: 12,
      callbackBaseUrl: 'https://chatops.example.com',
      paasHost: 'https://paas.example.com',
    });
  });

  it('uses the simulator without a PaaS host, its place standing in for the host and business', () => {
    const { config } = loaded({ COC_CHATOPS_BACKEND: 'blueking' }, { blueking: { itsm: { serviceId: 5 } } });
    expect(bluekingConnection(config).kind).toBe('simulator');
    const settings = bluekingSettingsFrom(config, { url: 'http://127.0.0.1:4000', bizId: 2 });
    expect(settings).toMatchObject({ paasHost: 'http://127.0.0.1:4000', defaultBiz: 2, riskRules: [] });
    // A service id alone opens no tickets: approvals go through ITSM only when approvals.via says so.
    expect(settings.itsmServiceId).toBeUndefined();
  });

  it('says what a PaaS host still needs, and that credentials need a PaaS host', () => {
    const missing = problemsOf({ COC_CHATOPS_BACKEND: 'blueking', BLUEKING_PAAS_HOST: 'https://paas.example.com' });
    for (const field of ['appCode', 'appSecret', 'serviceUser', 'defaultBiz']) {
      expect(missing.find((line) => line.startsWith(`blueking.${field}: missing: calling BlueKing at blueking.paasHost needs`))).toBeDefined();
    }
    expect(missing).toContain(
      "blueking.appSecret: missing: calling BlueKing at blueking.paasHost needs the application's secret — set BLUEKING_APP_SECRET or blueking.appSecret in coc-chatops.json, or remove blueking.paasHost (BLUEKING_PAAS_HOST) to use the built-in simulator",
    );
    const stray = problemsOf({ COC_CHATOPS_BACKEND: 'blueking', BLUEKING_APP_SECRET: APP_SECRET, BLUEKING_APP_CODE: 'x' });
    expect(stray).toEqual([
      'blueking.paasHost: blueking.appCode, blueking.appSecret are set but no PaaS host to call — set BLUEKING_PAAS_HOST or blueking.paasHost in coc-chatops.json to the https:// address of your BlueKing PaaS, or remove blueking.appCode, blueking.appSecret to use the built-in simulator',
    ]);
  });

  it('refuses a risk rule without a matcher, and a wrong level', () => {
    const problems = problemsOf({}, { backend: 'blueking', blueking: { risk: [{ risk: 'LOW' }, { scriptId: 7, risk: 'SEVERE' }] } });
    expect(problems).toEqual([
      'blueking.risk[1].risk: must be one of LOW, MEDIUM, HIGH (got "SEVERE") — set blueking.risk[1].risk in coc-chatops.json to one of LOW, MEDIUM, HIGH',
      'blueking.risk[0]: a risk rule needs at least one of scriptId, namePattern, biz; without one it would match every script — give blueking.risk[0] a scriptId, a namePattern or a biz, or remove it',
    ]);
  });

  it('holds approvals in ITSM only with the BlueKing backend and a service', () => {
    expect(problemsOf({ COC_APPROVAL_VIA: 'itsm' })).toEqual([
      'approvals.via: itsm approvals need BlueKing ITSM, but the backend is coc (value from COC_APPROVAL_VIA) — set COC_APPROVAL_VIA or approvals.via in coc-chatops.json to bot, or set COC_CHATOPS_BACKEND or backend to blueking',
    ]);
    expect(problemsOf({ ...realEnv, COC_APPROVAL_VIA: 'itsm' })).toEqual([
      'blueking.itsm.serviceId: missing: approvals.via itsm opens tickets of one ITSM service — set BLUEKING_ITSM_SERVICE_ID or blueking.itsm.serviceId in coc-chatops.json to the id of the ITSM service with the approval node, or set approvals.via to bot',
    ]);
    // The simulator brings its own approval service.
    const simulated = loaded({ COC_APPROVAL_VIA: 'itsm', COC_CHATOPS_BACKEND: 'blueking' }).config;
    expect(bluekingSettingsFrom(simulated, { url: 'http://127.0.0.1:4000', bizId: 3, itsmServiceId: 1 }).itsmServiceId).toBe(1);
    expect(problemsOf({ COC_CHATOPS_BACKEND: 'tencent' })).toEqual([
      'backend: must be one of coc, blueking (got "tencent") (value from COC_CHATOPS_BACKEND) — set COC_CHATOPS_BACKEND or backend in coc-chatops.json to one of coc, blueking',
    ]);
  });

  it('warns when the other backend is configured but unused, and when callbacks have nowhere to land', () => {
    const { warnings } = loaded({ ...realEnv, COC_CHATOPS_BACKEND: 'coc' });
    expect(warnings.map((warning) => warning.path)).toEqual(['blueking.paasHost']);
    // Job's callbacks land on the ops endpoints, which a terminal-only bot does not open by default.
    const callbacks = loaded({ ...realEnv, BLUEKING_CALLBACK_BASE_URL: 'https://chatops.example.com' });
    expect(callbacks.warnings.map((warning) => `${warning.path}: ${warning.message}`)).toEqual([
      'blueking.callbackBaseUrl: is set but the ops endpoints, where BlueKing Job calls back (/bk/job-done/…), are off',
    ]);
  });

  it('check-config summarises BlueKing without its secret, and lists its problems', () => {
    const report = checkConfig({ env: { ...realEnv, COC_APPROVAL_VIA: 'itsm', BLUEKING_ITSM_SERVICE_ID: '12' }, cwd: tempDir() });
    expect(report.exitCode).toBe(0);
    expect(report.output).toMatch(/BlueKing: +https:\/\/paas\.example\.com; app coc-chatops \(secret set\), bot acts as chatops-bot; business 3, account root; 0 risk rule\(s\), unmatched scripts HIGH; no Job callbacks; timeout 15000 ms/);
    expect(report.output).toMatch(/Approvals: +held in BlueKing ITSM \(service 12\) and in chat; /);
    expect(report.output).not.toMatch(/^ {2}COC:/m);
    expect(report.output).not.toContain(APP_SECRET.slice(0, 12));

    const simulated = checkConfig({ env: { COC_CHATOPS_BACKEND: 'blueking' }, cwd: tempDir() });
    expect(simulated.output).toMatch(/BlueKing: +built-in BlueKing simulator \(no blueking\.paasHost set\)/);

    const broken = checkConfig({ env: { COC_CHATOPS_BACKEND: 'blueking', BLUEKING_PAAS_HOST: 'http://paas.example.com', BLUEKING_APP_SECRET: APP_SECRET }, cwd: tempDir() });
    expect(broken.exitCode).toBe(1);
    expect(broken.output).toContain('  ✗ blueking.paasHost: must be an https:// URL (http:// only for localhost) (value from BLUEKING_PAAS_HOST)');
    expect(broken.output).toContain('  ✗ blueking.appCode: missing: calling BlueKing at blueking.paasHost needs the application code');
    expect(broken.output).not.toContain(APP_SECRET.slice(0, 12));
  });
});
