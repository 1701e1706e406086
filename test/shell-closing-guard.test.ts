/**
 * A second signal while the bot closes (after the prompt or --exec removed their own handlers)
 * says "closing…" instead of killing the process; before closing, the prompt's own handler
 * decides, and a signal nothing else handles keeps its usual effect.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardSignalsUntilClosed } from '../src/adapters/shell/closing-guard.js';

function setup() {
  const source = new EventEmitter();
  let said = '';
  const unhandled: string[] = [];
  const guard = guardSignalsUntilClosed({ signals: ['SIGINT', 'SIGTERM'], source, output: { write: (text: string) => ((said += text), true) }, unhandled: (signal) => unhandled.push(signal) });
  return { source, guard, said: () => said, unhandled };
}

describe('signals while the bot closes', () => {
  it('keeps a listener after the prompt removed its own, and a signal then only says closing', () => {
    const { source, guard, said, unhandled } = setup();
    const prompt = () => undefined;
    source.on('SIGTERM', prompt);
    source.emit('SIGTERM');
    expect(said()).toBe('');
    // The prompt ends (its handler goes), then the stores close.
    source.off('SIGTERM', prompt);
    guard.closing();
    expect(source.listenerCount('SIGTERM')).toBe(1);
    source.emit('SIGTERM');
    source.emit('SIGINT');
    expect(said()).toContain('Closing… the store and the simulator\'s world are being saved; this ends on its own.');
    expect(unhandled).toEqual([]);
    guard.release();
    expect(source.listenerCount('SIGTERM') + source.listenerCount('SIGINT')).toBe(0);
  });

  it('before closing, a signal nobody else handles keeps its usual effect', () => {
    const { source, unhandled } = setup();
    source.emit('SIGINT');
    expect(unhandled).toEqual(['SIGINT']);
    expect(source.listenerCount('SIGINT')).toBe(0);
  });
});
