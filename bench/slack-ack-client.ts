/**
 * The Slack side of bench/slack-ack-kinds.ts, in a process of its own (as Slack is): told the
 * bot's Request URL and the run form over IPC, it sends the bursts of signed requests and sends
 * back, per kind, how long each took from sending to the full HTTP answer.
 */
import { encodeElementId } from '../src/adapters/slack/ids.js';
import type { SlackRequestKind } from '../src/adapters/slack/app.js';
import { INCIDENT_ACTION_IDS } from '../src/incidents/workflow.js';
import { blockActionsPayload, commandBody, interactionBody, signedPost, suggestionPayload, viewSubmissionPayload } from '../test/helpers/slack-requests.js';

export interface ClientOrders {
  readonly url: string;
  readonly secret: string;
  readonly responseBase: string;
  readonly teamId: string;
  readonly form: Record<string, unknown> & { blocks: { block_id?: string; element?: { action_id: string } }[] };
  readonly commands: number;
  readonly others: number;
  /** `warm-up`: a few of each while COC answers; `burst`: the measured burst. */
  readonly phase: 'warm-up' | 'burst';
}

export type ClientTimes = Record<SlackRequestKind, number[]>;

let sent = 0;

async function run(orders: ClientOrders): Promise<ClientTimes> {
  const { url, secret, responseBase, form } = orders;
  const user = { teamId: orders.teamId, userId: 'U0ALICE', userName: 'alice' };
  const inputOf = (field: string) => {
    const element = form.blocks.find((block) => block.block_id === `f|${field}`)?.element;
    if (!element) throw new Error(`the run form has no ${field} field`);
    return element.action_id;
  };
  const timed = async (body: string) => {
    const response = await signedPost(url, secret, body);
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    return response.elapsedMs;
  };
  const command = (text: string) => timed(commandBody(user, text, { responseUrl: `${responseBase}c${++sent}`, triggerId: `trigger.c${sent}` }));
  const click = () =>
    timed(interactionBody(blockActionsPayload(user, { actionId: encodeElementId('b', 0, INCIDENT_ACTION_IDS.refresh)!, value: 'IM202612060000000000000001' }, { responseUrl: `${responseBase}a${++sent}`, triggerId: `trigger.a${sent}` })));
  const submit = () =>
    timed(
      interactionBody(
        viewSubmissionPayload(user, { ...form, id: `V${++sent}` }, {
          'f|script': { [inputOf('script')]: { type: 'external_select', selected_option: { value: 'rotate_db_password' } } },
          'f|hosts': { [inputOf('hosts')]: { type: 'multi_external_select', selected_options: [{ value: 'db-01' }] } },
          'f|batch-size': { [inputOf('batch-size')]: { type: 'plain_text_input', value: '1' } },
        }),
      ),
    );
  // A new text each time: a cached answer would not wait for COC at all.
  const suggest = () => timed(interactionBody(suggestionPayload(user, inputOf('script'), `ro${++sent}`, { view: form })));

  const times: ClientTimes = { command: [], block_action: [], view_submission: [], block_suggestion: [] };
  const requests: Promise<void>[] = [];
  const record = (kind: SlackRequestKind, request: Promise<number>) => requests.push(request.then((ms) => void times[kind].push(ms)));
  const text = orders.phase === 'warm-up' ? 'whoami' : 'scripts';
  const every = Math.max(1, Math.floor(orders.commands / Math.max(1, orders.others)));
  for (let i = 0; i < orders.commands; i++) {
    record('command', command(text));
    // The other kinds arrive in the middle of the burst.
    if (i % every === Math.floor(every / 2)) {
      record('block_action', click());
      record('view_submission', submit());
      record('block_suggestion', suggest());
    }
  }
  await Promise.all(requests);
  return times;
}

process.on('message', (orders: ClientOrders) => {
  run(orders).then(
    (times) => process.send?.({ ok: true, times }),
    (error: unknown) => process.send?.({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
