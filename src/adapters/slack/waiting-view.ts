/**
 * Views that wait for an answer. Slack opens a view only with a trigger id used within 3 s of
 * the command or click, and COC may take longer than that to say what the form should hold. So
 * a command or click declared to possibly answer with a form (`mayOpenForm`) opens a
 * placeholder with its trigger id when its answer has not come shortly after the request
 * arrived; the answer then fills it in with `views.update` (the view id and hash `views.open`
 * gave back), as Bolt's documentation shows.
 *
 * These calls go through a Web API client of their own, so they never wait behind the answers
 * being posted (the client's queue) while the trigger id runs out.
 */
import type { types, webApi } from '@slack/bolt';
import type { Locale } from '../../i18n/translate.js';
import { deliveryError } from './api-errors.js';
import { waitingView } from './modal.js';

export type ViewsApi = Pick<webApi.WebClient['views'], 'open' | 'update'>;

/** A view on the person's screen that an answer may replace. No hash: the latest one is replaced, whatever it is. */
export interface HeldView {
  readonly id: string;
  readonly hash?: string;
}

export interface PlaceholderOptions {
  readonly views: ViewsApi;
  readonly triggerId: string;
  readonly locale: Locale;
  /** When to open it (a `performance.now()` time), unless the answer came first. */
  readonly openAt: number;
  readonly log: (line: string) => void;
  /** The placeholder opened. */
  readonly onOpened?: () => void;
}

export class Placeholder {
  #timer: NodeJS.Timeout | undefined;
  #opened: Promise<HeldView | undefined> | undefined;
  #taken = false;

  constructor(private readonly options: PlaceholderOptions) {
    this.#timer = setTimeout(() => this.#open(), Math.max(0, options.openAt - performance.now()));
  }

  #open(): void {
    this.#timer = undefined;
    if (this.#taken) return;
    const { views, triggerId, locale, log, onOpened } = this.options;
    this.#opened = views.open({ trigger_id: triggerId, view: waitingView('placeholder', locale) }).then(
      (result) => {
        const id = result.view?.id;
        if (!id) return undefined;
        onOpened?.();
        return { id, ...(result.view?.hash ? { hash: result.view.hash } : {}) };
      },
      (error: unknown) => {
        log(`could not open a placeholder view: ${deliveryError('views.open', error).message}`);
        return undefined;
      },
    );
  }

  /**
   * The answer is here: no placeholder opens any more. The one that opened (once its opening
   * has finished), or undefined when none did, so the trigger id is still unused.
   */
  take(): Promise<HeldView | undefined> {
    this.#taken = true;
    clearTimeout(this.#timer);
    return this.#opened ?? Promise.resolve(undefined);
  }
}

/** Replaces a held view; false when Slack refused (closed by the person, a stale hash). */
export async function replaceView(views: ViewsApi, held: HeldView, view: types.ModalView, log: (line: string) => void): Promise<boolean> {
  try {
    await views.update({ view_id: held.id, ...(held.hash ? { hash: held.hash } : {}), view });
    return true;
  } catch (error) {
    log(`could not fill in a waiting view: ${deliveryError('views.update', error).message}`);
    return false;
  }
}
