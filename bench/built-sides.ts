/**
 * The answer benches' sides (the bot, the bare baselines, COC) bundled as the product build
 * bundles the bot (scripts/build.mjs: esbuild, dependencies included, whitespace and syntax
 * minified) and run as plain JavaScript — so the bot measured is the bot `npm start` runs, not the
 * bot under tsx's on-the-fly compilation (its module hooks, source maps and `__name` wrappers cost
 * CPU per command). The bare baselines come from the same bundle, so both sides run alike.
 *
 * The bundle sits two folders below the repository, as the product build does, so the paths the
 * code finds next to itself hold; it is made once per bench process and removed when it exits.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundleEntryPoints, ROOT } from '../scripts/build.mjs';

const SIDES = {
  'slack-answer-side': 'bench/slack-answer-side.ts',
  'discord-answer-side': 'bench/discord-answer-side.ts',
} as const;

export type BuiltSide = keyof typeof SIDES;

let made: Promise<string> | undefined;

/** The bundled file of `side` (`<dir>/<side>.mjs`), bundling all the sides on first use. */
export async function builtSide(side: BuiltSide): Promise<string> {
  made ??= (async () => {
    const dir = join(ROOT, 'dist', `bench-${process.pid}`);
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    await bundleEntryPoints(dir, ROOT, SIDES);
    return dir;
  })();
  return join(await made, `${side}.mjs`);
}
