/**
 * CMSI (message management): the message types and the generic `send_msg`, whose sends are
 * recorded in `world.messages`. Receivers must be known users, as the reference requires
 * ("用户需在蓝鲸平台注册"). The reference's table prints the receiver field as
 * `receiverusername` (its `__` lost to formatting) and its example as `receiver_username`;
 * both `receiver__username` and `receiver_username` are accepted.
 */
import { z } from 'zod';
import { EsbCodes, EsbError, argumentError } from '../errors.js';
import { bool, defineComponent, nonEmpty, ok, str } from './define.js';

const MSG_TYPES = [
  { type: 'weixin', label: '微信', is_active: true },
  { type: 'mail', label: '邮件', is_active: true },
  { type: 'sms', label: '短信', is_active: true },
  { type: 'voice', label: '语音', is_active: true },
] as const;

export const cmsiComponents = [
  defineComponent({
    key: 'cmsi/get_msg_type',
    method: 'GET',
    params: z.object({}),
    handle: () => ok(MSG_TYPES.map((type) => ({ ...type }))),
  }),
  defineComponent({
    key: 'cmsi/send_msg',
    method: 'POST',
    params: z.object({
      msg_type: nonEmpty(),
      receiver__username: str().optional(),
      receiver_username: str().optional(),
      title: nonEmpty(),
      content: str(),
      is_content_base64: bool().optional(),
    }),
    handle: ({ params, user, world }) => {
      const type = MSG_TYPES.find((entry) => entry.type === params.msg_type);
      if (!type) throw argumentError(`msg_type [${params.msg_type}] is not one of ${MSG_TYPES.map((entry) => entry.type).join(', ')}`);
      const receivers = (params.receiver__username ?? params.receiver_username ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '');
      if (receivers.length === 0) throw argumentError('receiver__username: is required');
      const unknown = receivers.filter((name) => !world.user(name));
      if (unknown.length > 0) throw new EsbError(EsbCodes.USER_PERMISSION_DENIED, `These receivers are not registered users: ${unknown.join(', ')}`);
      const content = params.is_content_base64 ? Buffer.from(params.content, 'base64').toString('utf8') : params.content;
      world.messages.push({ at: world.now(), sender: user.bk_username, msgType: type.type, receivers, title: params.title, content });
      return ok([]);
    },
  }),
];
