/**
 * The Slack side of bench/slack-answer.ts, in a process of its own (as Slack is): a local fake
 * Slack whose response_url posts are stamped as they arrive, and the sender of signed `/coc`
 * commands. Told over IPC where to send, what and how (a burst at once, or a rate held on a
 * schedule whatever the answers do), it sends back per command the time from sending to its
 * acknowledgement and to its first answer (undefined when none came), and what the answer said.
 */
import { Agent } from 'undici';
import { startFakeSlack } from '../test/helpers/fake-slack.js';
import { commandBody, sign } from '../test/helpers/slack-requests.js';

export interface AnswerOrders {
  readonly url: string;
  readonly secret: string;
  readonly teamId: string;
  readonly text: string;
  /** `burst`: `count` at once; `rate`: `perSecond` for `seconds`, on schedule. */
  readonly shape: { readonly kind: 'burst'; readonly count: number } | { readonly kind: 'rate'; readonly perSecond: number; readonly seconds: number };
  /** How long after the last send answers are waited for. */
  readonly waitMs: number;
}

export interface CommandTiming {
  readonly ackMs: number | undefined;
  readonly answerMs: number | undefined;
  readonly busy: boolean;
}

export type ClientMessage = { kind: 'ready'; fakeUrl: string; apiUrl: string; botId: string; botUserId: string } | { kind: 'done'; timings: CommandTiming[] } | { kind: 'failed'; error: string };

// Stamped with this process's monotonic clock, the same one the sends are timed with.
const fake = await startFakeSlack({ teamId: 'T0BENCH', clock: () => performance.now() });
// Keep-alive connections as Slack would hold them; enough for a burst of 200 at once.
const agent = new Agent({ connections: 512, pipelining: 1 });
let sent = 0;

async function run(orders: AnswerOrders): Promise<CommandTiming[]> {
  fake.reset();
  const user = { teamId: orders.teamId, userId: 'U0ALICE', userName: 'alice' };
  const started = new Map<string, number>();
  const acks = new Map<string, { ms: number; busy: boolean }>();
  const requests: Promise<void>[] = [];
  const send = () => {
    const id = `r${++sent}`;
    const body = commandBody(user, orders.text, { responseUrl: fake.responseUrl(id), triggerId: `trigger.${id}` });
    const timestamp = Math.floor(Date.now() / 1000);
    const at = performance.now();
    started.set(id, at);
    requests.push(
      fetch(orders.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': sign(orders.secret, timestamp, body) },
        body,
        // @ts-expect-error undici's dispatcher option of Node's fetch
        dispatcher: agent,
      }).then(
        async (response) => {
          const text = await response.text();
          if (response.status !== 200 && process.env['BENCH_SLACK_LOG']) process.stderr.write(`client: ${id} acked with HTTP ${response.status}\n`);
          acks.set(id, { ms: performance.now() - at, busy: text.includes('Busy') });
        },
        (error: unknown) => {
          if (process.env['BENCH_SLACK_LOG']) process.stderr.write(`client: ${id} not acknowledged: ${error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause)}` : String(error)}\n`);
        },
      ),
    );
  };
  const { shape } = orders;
  if (shape.kind === 'burst') {
    for (let i = 0; i < shape.count; i++) send();
  } else {
    // Open loop: each tick sends however many the schedule says are due by now.
    const total = Math.round(shape.perSecond * shape.seconds);
    const begin = performance.now();
    let due = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const shouldHave = Math.min(total, Math.floor(((performance.now() - begin) / 1000) * shape.perSecond) + 1);
        while (due < shouldHave) {
          send();
          due++;
        }
        if (due >= total) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
  }
  await Promise.all(requests);
  // Answers: until each command has one, or the wait ran out.
  const lastSend = performance.now();
  const firstAnswer = new Map<string, number>();
  /** Answered "busy" through the response_url (let in, but its work could not begin in time). */
  const busyLater = new Set<string>();
  let seen = 0;
  for (;;) {
    for (; seen < fake.responses.length; seen++) {
      const response = fake.responses[seen]!;
      if (!firstAnswer.has(response.id)) {
        firstAnswer.set(response.id, response.at);
        if (String(response.body['text'] ?? '').includes('Busy')) busyLater.add(response.id);
      }
    }
    const answeredInAck = [...acks.values()].filter((ack) => ack.busy).length;
    if (firstAnswer.size + answeredInAck >= started.size || performance.now() - lastSend > orders.waitMs) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return [...started.entries()].map(([id, at]) => {
    const ack = acks.get(id);
    const answeredAt = firstAnswer.get(id);
    // A busy answer comes in the acknowledgement itself.
    const answerMs = ack?.busy ? ack.ms : answeredAt === undefined ? undefined : answeredAt - at;
    return { ackMs: ack?.ms, answerMs, busy: (ack?.busy ?? false) || busyLater.has(id) };
  });
}

process.on('message', (orders: AnswerOrders | 'exit') => {
  if (orders === 'exit') {
    void Promise.all([agent.close(), fake.close()]).then(() => process.exit(0));
    return;
  }
  run(orders).then(
    (timings) => process.send?.({ kind: 'done', timings } satisfies ClientMessage),
    (error: unknown) => process.send?.({ kind: 'failed', error: error instanceof Error ? error.message : String(error) } satisfies ClientMessage),
  );
});
process.send?.({ kind: 'ready', fakeUrl: fake.url, apiUrl: fake.apiUrl, botId: fake.botId, botUserId: fake.botUserId } satisfies ClientMessage);
