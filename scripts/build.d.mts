/** Types of scripts/build.mjs (plain JavaScript, so that it runs before anything is built). */
export declare const ROOT: string;
export declare const DIST_DIR: string;
export declare const ENTRY_POINTS: {
  readonly main: 'src/main.ts';
  readonly 'check-config': 'src/check-config.ts';
  readonly 'register-cli': 'src/adapters/discord/register-cli.ts';
  readonly manifest: 'src/adapters/slack/manifest-main.ts';
  readonly 'discord-commands': 'src/adapters/discord/commands-file-main.ts';
  readonly sim: 'src/sim/main.ts';
  readonly 'sim-blueking': 'src/sim/blueking/main.ts';
  readonly 'store-template': 'src/build/store-template-main.ts';
};
export declare class BuildError extends Error {}
export interface BuildLocation {
  /** The repository whose sources are built (default: this one). */
  readonly root?: string;
  /** Where builds go (default: `<root>/dist`). */
  readonly distDir?: string;
}
export interface SourceState {
  readonly pathsDigest: string;
  readonly newestMtimeMs: number;
  readonly count: number;
}
/** `entryPoints`: bundled file name (`<name>.mjs`) → source path below `root`; the bot's by default. */
export declare function bundleEntryPoints(outDir: string, root?: string, entryPoints?: Readonly<Record<string, string>>): Promise<void>;
export declare function sourceState(root?: string): SourceState;
export declare function freshBuildDir(options?: BuildLocation): string | undefined;
export declare function build(options?: BuildLocation): Promise<string>;
export declare function ensureBuild(options?: BuildLocation): Promise<string>;
