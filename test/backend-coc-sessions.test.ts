/**
 * The COC connection behind the seam: people's own sessions (one backend per credential, the
 * bot's for everyone else, a named but unset credential refused before anything is sent), and
 * the COC client's hooks seen in the neutral form the audit trail, metrics and logs read —
 * including how a failed write is judged (refused vs unknown) and told.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CocClient } from '../src/coc/client.js';
import { CocApiError } from '../src/coc/errors.js';
import { cocHooks } from '../src/backends/coc/hooks.js';
import { CocSessions } from '../src/backends/coc/sessions.js';
import {
  BackendRefusedError,
  BackendUnavailableError,
  normalizeError,
  writeFailureOf,
  type BackendCallEvent,
  type BackendOperation,
  type WriteIntentResult,
} from '../src/backends/index.js';
import { errorToMessage } from '../src/core/errors-to-message.js';
import { lostAnswer } from '../src/core/lost-answer.js';
import { UserCredentialMissingError } from '../src/identity/user-credentials.js';
import { translator } from '../src/i18n/translate.js';
import { SIM_DEFAULT_CREDENTIALS } from '../src/sim/defaults.js';
import { SIM_DEFAULT_AK, startSimulator, type Simulator } from '../src/sim/server.js';
import { simClient } from './sim-helpers.js';

const ALICE_AK = 'ALICESESSIONAK0000000';
const ALICE_SK = 'AliceSessionSecretKeyNeverPrinted000000';
const DELETE_SCRIPT = 'DELETE /v1/job/scripts/{script_uuid}';

let sim: Simulator;
const events: BackendCallEvent[] = [];
const intents: { operation: BackendOperation; result?: WriteIntentResult }[] = [];
const hooks = cocHooks({
  onCall: (event) => events.push(event),
  beforeWrite: async (operation) => {
    const intent: { operation: BackendOperation; result?: WriteIntentResult } = { operation };
    intents.push(intent);
    return {
      complete: async (result) => {
        intent.result = result;
      },
    };
  },
});

beforeAll(async () => {
  sim = await startSimulator({ tickMs: 0, credentials: [...SIM_DEFAULT_CREDENTIALS, { ak: ALICE_AK, sk: ALICE_SK, userName: 'alice' }] });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  events.length = 0;
  intents.length = 0;
  sim.faults.clear();
  sim.resetRequests();
});

function botClient(): CocClient {
  return simClient(sim, { retry: { retries: 0 }, ...hooks });
}

function sessionsWith(env: NodeJS.ProcessEnv, bot = botClient()): CocSessions {
  return new CocSessions(bot, {
    create: (auth) => new CocClient({ endpoint: sim.url, auth, retry: { retries: 0 }, ...hooks }),
    defaults: { iamEndpoint: sim.url, project: 'cn-north-4' },
    env,
  });
}

const accessKeys = () => sim.requests.map((request) => (request.auth.kind === 'aksk' ? request.auth.access : request.auth.kind));

describe('COC sessions', () => {
  it("gives a person with their own credential their own backend, kept, and everyone else the bot's", async () => {
    const bot = botClient();
    const sessions = sessionsWith({ COC_CREDENTIAL_ALICE_KEYS_AK: ALICE_AK, COC_CREDENTIAL_ALICE_KEYS_SK: ALICE_SK }, bot);
    try {
      const alice = { credentialRef: 'alice-keys', iamUserName: 'alice' };
      const own = sessions.backendFor(alice);
      expect(own.name).toBe('coc');
      expect(sessions.backendFor(alice)).toBe(own);
      expect(own).not.toBe(sessions.botBackend);
      expect(sessions.backendFor({ credentialRef: undefined, iamUserName: 'dave' })).toBe(sessions.botBackend);
      expect(sessions.clientFor({ credentialRef: undefined, iamUserName: 'dave' })).toBe(bot);

      const page = await own.scripts!.list({ limit: 5 });
      expect(page.items.length).toBeGreaterThan(0);
      expect(new Set(accessKeys())).toEqual(new Set([ALICE_AK]));

      sim.resetRequests();
      await sessions.botBackend.scripts!.list({ limit: 5 });
      expect(new Set(accessKeys())).toEqual(new Set([SIM_DEFAULT_AK]));
    } finally {
      await sessions.close();
      await bot.close();
    }
  });

  it('refuses a named credential that is not set, before anything is sent', async () => {
    const bot = botClient();
    const sessions = sessionsWith({ COC_CREDENTIAL_BOB_AK: 'ONLYHALF' }, bot);
    try {
      const refused = (() => {
        try {
          sessions.backendFor({ credentialRef: 'bob', iamUserName: 'bob' });
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      expect(refused).toBeInstanceOf(UserCredentialMissingError);
      expect((refused as UserCredentialMissingError).variables).toEqual(['both COC_CREDENTIAL_BOB_AK and COC_CREDENTIAL_BOB_SK']);
      expect(sim.requests).toHaveLength(0);
    } finally {
      await sessions.close();
      await bot.close();
    }
  });

  it("refuses every named credential where nobody has their own client, never serving it with the bot's rights", async () => {
    const bot = botClient();
    const sessions = new CocSessions(bot);
    try {
      expect(() => sessions.backendFor({ credentialRef: 'carol', iamUserName: 'carol' })).toThrow(UserCredentialMissingError);
      try {
        sessions.clientFor({ credentialRef: 'carol', iamUserName: 'carol' });
      } catch (error) {
        expect((error as UserCredentialMissingError).variables).toEqual(['COC_CREDENTIAL_CAROL_AK and COC_CREDENTIAL_CAROL_SK', 'COC_CREDENTIAL_CAROL_PASSWORD']);
      }
      expect(sessions.backendFor({ credentialRef: undefined, iamUserName: 'carol' })).toBe(sessions.botBackend);
    } finally {
      await bot.close();
    }
  });
});

describe("the COC client's hooks, neutral", () => {
  it('reports reads as call events of the coc backend, by route template', async () => {
    const bot = botClient();
    try {
      await bot.listScripts({ limit: 1 });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ backend: 'coc', method: 'GET', route: '/v1/job/scripts', outcome: 'ok', attempt: 1, willRetry: false });
      expect(intents).toHaveLength(0);
    } finally {
      await bot.close();
    }
  });

  it('announces a write before sending it; a refusal is refused, told as COC refusing, with nothing acted', async () => {
    const bot = botClient();
    try {
      const scriptUuid = [...sim.world.scripts.values()][0]!.scriptUuid;
      sim.faults.set(DELETE_SCRIPT, { kind: 'status', status: 400, errorCode: 'COC.00040001', errorMsg: 'bad script', times: 1 });
      const error = await bot.deleteScript(scriptUuid).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(intents.map((intent) => intent.operation)).toEqual([{ backend: 'coc', method: 'DELETE', route: '/v1/job/scripts/{script_uuid}', write: true }]);
      expect(intents[0]!.result).toMatchObject({ outcome: 'refused', callOutcome: 'api-error', status: 400, errorCode: 'COC.00040001' });
      expect(events[0]).toMatchObject({ backend: 'coc', method: 'DELETE', intentRecorded: true });
      expect(sim.requests.map((request) => request.routeKey)).toEqual([DELETE_SCRIPT]);

      const neutral = normalizeError(error);
      expect(neutral).toBeInstanceOf(BackendRefusedError);
      expect(neutral!.operation).toEqual({ backend: 'coc', method: 'DELETE', route: '/v1/job/scripts/{script_uuid}', write: true });
      expect(neutral!.detail).toMatchObject({ status: 400, code: 'COC.00040001', platformMessage: 'bad script' });
      expect(writeFailureOf(error)).toBe('refused');
      // The same reply whether the error arrives as COC's own or already neutral.
      const t = translator('en-US');
      expect(errorToMessage(neutral, t)).toEqual(errorToMessage(error, t));
      expect(errorToMessage(neutral, t).title).toBe(errorToMessage(error as CocApiError, t).title);
    } finally {
      await bot.close();
    }
  });

  it('a lost answer to a write is unknown, may have acted, and is told as such', async () => {
    const bot = botClient();
    try {
      const scriptUuid = [...sim.world.scripts.values()][0]!.scriptUuid;
      sim.faults.set(DELETE_SCRIPT, { kind: 'status', status: 503, times: 1 });
      const error = await bot.deleteScript(scriptUuid).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(intents[0]!.result).toMatchObject({ outcome: 'unknown', status: 503 });
      const neutral = normalizeError(error);
      expect(neutral).toBeInstanceOf(BackendUnavailableError);
      expect(neutral!.mayHaveActed).toBe(true);
      expect(neutral!.detail.lost).toBe('status');
      expect(writeFailureOf(error)).toBe('unknown');
      const t = translator('en-US');
      expect(errorToMessage(error, t).title).toBe('Outcome unknown: COC answered HTTP 503');
      expect(lostAnswer(neutral, t)).toMatch(/^COC answered HTTP 503/);
      expect(lostAnswer(neutral, t)).toBe(lostAnswer(error, t));
    } finally {
      await bot.close();
    }
  });
});
