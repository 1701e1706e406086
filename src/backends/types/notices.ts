/** Notices sent through the platform's own channels (BlueKing CMSI: mail, WeChat, SMS…). */
import type { CallOptions } from '../backend.js';

export interface NoticeChannel {
  /** The platform's code (`mail`, `weixin`, `sms`…). */
  readonly type: string;
  readonly label?: string;
  readonly active: boolean;
}

export interface NoticesCapability {
  channels(options?: CallOptions): Promise<readonly NoticeChannel[]>;
  /** A write: sends `text` to `receivers` (platform user names) through `channel`. */
  send(notice: { readonly channel: string; readonly receivers: readonly string[]; readonly title: string; readonly text: string }, options?: CallOptions): Promise<void>;
}
