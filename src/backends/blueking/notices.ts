/**
 * Notices through BlueKing CMSI: the channels `send_msg` offers (`get_msg_type`) and sending to
 * platform users. Mail goes as plain text (CMSI's default format is HTML, which would run the
 * notice's lines together).
 */
import type { NoticesCapability } from '../types/notices.js';
import { esbOptions } from './call-options.js';
import { mapped } from './errors.js';
import type { EsbCaller } from './esb/component.js';
import { GET_MSG_TYPE, SEND_MSG, type SendMsgRequest } from './esb/cmsi.js';

export function sendMsgRequestOf(notice: Parameters<NoticesCapability['send']>[0]): SendMsgRequest {
  return {
    msg_type: notice.channel,
    receiver__username: notice.receivers.join(','),
    title: notice.title,
    content: notice.text,
    ...(notice.channel === 'mail' ? { body_format: 'Text' as const } : {}),
  };
}

export function bluekingNotices(caller: EsbCaller): NoticesCapability {
  return {
    async channels(options) {
      const types = await mapped(() => caller.call(GET_MSG_TYPE, {}, esbOptions(options)));
      return types.map((type) => ({ type: type.type, ...(type.label ? { label: type.label } : {}), active: type.is_active !== false }));
    },

    async send(notice, options) {
      await mapped(() => caller.call(SEND_MSG, sendMsgRequestOf(notice), esbOptions(options)));
    },
  };
}
