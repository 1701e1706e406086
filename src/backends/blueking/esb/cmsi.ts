/**
 * BlueKing CMSI (message) components: the channels `send_msg` can use, and sending. Both live at
 * `/api/c/compapi/cmsi/<name>/` (no `v2`), as the reference gives their addresses.
 */
import { z } from 'zod';
import type { EsbComponent } from './component.js';

export const MsgTypeSchema = z.looseObject({
  /** weixin, mail, sms, voice… */
  type: z.string().min(1),
  label: z.string().nullish(),
  is_active: z.boolean().nullish(),
});
export type MsgType = z.infer<typeof MsgTypeSchema>;

export const GET_MSG_TYPE: EsbComponent<Record<string, never>, MsgType[]> = {
  system: 'cmsi',
  name: 'get_msg_type',
  method: 'GET',
  write: false,
  request: z.strictObject({}),
  data: z.array(MsgTypeSchema),
  path: '/api/c/compapi/cmsi/get_msg_type/',
};

/**
 * The reference's table prints the receiver field as `receiverusername` and its example as
 * `receiver_username`: a double underscore lost to the document's markdown (single underscores in
 * the same tables survive). BlueKing's CMSI field is `receiver__username`, as its other docs and
 * callers spell it; `cc__username` alike.
 */
export const SendMsgRequestSchema = z.strictObject({
  msg_type: z.string().min(1),
  /** Platform user names, comma-separated. */
  receiver__username: z.string().min(1),
  title: z.string().min(1),
  content: z.string().min(1),
  sender: z.string().optional(),
  cc__username: z.string().optional(),
  /** mail only: Html (default) or Text. */
  body_format: z.enum(['Html', 'Text']).optional(),
  is_content_base64: z.boolean().optional(),
});
export type SendMsgRequest = z.infer<typeof SendMsgRequestSchema>;

export const SEND_MSG: EsbComponent<SendMsgRequest, unknown> = {
  system: 'cmsi',
  name: 'send_msg',
  method: 'POST',
  write: true,
  request: SendMsgRequestSchema,
  data: z.unknown(),
  path: '/api/c/compapi/cmsi/send_msg/',
};
