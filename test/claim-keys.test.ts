/**
 * What makes two deliveries the same request (their claim keys), and what a stop waits for
 * (in-flight work, drained up to a deadline).
 */
import { describe, expect, it } from 'vitest';
import { InFlightWork } from '../src/adapters/in-flight.js';
import { actionClaimKey, commandClaimKey, submissionClaimKey } from '../src/adapters/slack/claim-keys.js';
import { blockActionsPayloadSchema, commandPayloadSchema, viewSubmissionPayloadSchema } from '../src/adapters/slack/invocations.js';
import { blockActionsPayload, viewSubmissionPayload } from './helpers/slack-requests.js';

const ALICE = { teamId: 'T1', userId: 'U0ALICE', userName: 'alice' };

describe('Slack claim keys', () => {
  it('a command is its team and trigger id; without a trigger id it has no key', () => {
    const command = commandPayloadSchema.parse({ team_id: 'T1', user_id: 'U1', channel_id: 'C1', text: 'whoami', trigger_id: 'trigger.1' });
    expect(commandClaimKey(command)).toBe('slack:command:T1:trigger.1');
    expect(commandClaimKey({ ...command, trigger_id: undefined })).toBeUndefined();
  });

  it('a click is its message, action and trigger id: a replay is the same, another click on the same button is not', () => {
    const click = (triggerId: string) =>
      blockActionsPayloadSchema.parse(blockActionsPayload(ALICE, { actionId: 'coc|b|0|order%3Acontinue|', value: 'SCT1' }, { responseUrl: 'http://x', messageTs: '1700.01', triggerId }));
    const first = click('trigger.a');
    expect(actionClaimKey(first)).toBe('slack:action:T1:1700.01:coc|b|0|order%3Acontinue|:trigger.a');
    expect(actionClaimKey(structuredClone(first))).toBe(actionClaimKey(first));
    expect(actionClaimKey(click('trigger.b'))).not.toBe(actionClaimKey(first));
    // Without a trigger id the click's own timestamp tells clicks apart.
    const { trigger_id: _dropped, ...bare } = first;
    expect(actionClaimKey(bare as typeof first)).toMatch(/^slack:action:T1:1700\.01:coc\|b\|0\|order%3Acontinue\|:\d+(\.\d+)?$/);
  });

  it('a submission is its view and trigger id, so a corrected resubmission of the same view is a new request', () => {
    const submit = () => viewSubmissionPayloadSchema.parse(viewSubmissionPayload(ALICE, { id: 'V42', callback_id: 'run' }, {}));
    const first = submit();
    const again = submit();
    expect(submissionClaimKey(first)).toMatch(/^slack:view:T1:V42:trigger\./);
    expect(submissionClaimKey(structuredClone(first))).toBe(submissionClaimKey(first));
    expect(submissionClaimKey(again)).not.toBe(submissionClaimKey(first));
  });
});

describe('in-flight work', () => {
  it('drains: resolves when all work has settled, failures included, and work added meanwhile too', async () => {
    const work = new InFlightWork<string>();
    let finishA!: () => void;
    let failB!: (error: Error) => void;
    void work.track(new Promise<void>((resolve) => (finishA = resolve)), 'a');
    void work.track(new Promise<void>((_, reject) => (failB = reject)), 'b');
    const drained = work.drain(60_000);
    let finishC!: () => void;
    void work.track(new Promise<void>((resolve) => (finishC = resolve)), 'c');
    finishA();
    failB(new Error('no'));
    finishC();
    expect(await drained).toEqual([]);
    expect(work.size).toBe(0);
  });

  it('returns what is still running when the deadline passes', async () => {
    const work = new InFlightWork<string>();
    void work.track(new Promise(() => {}), 'stuck');
    void work.track(Promise.resolve(), 'quick');
    expect(await work.drain(1)).toEqual(['stuck']);
  });
});
