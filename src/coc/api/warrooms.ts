/** WarRooms (coc-api-notes §1.18, §1.19). */
import type { CallOptions, CocHttp } from '../http.js';
import { validateInput } from '../schemas/problems.js';
import { CreateWarRoomRequest, ListWarRoomsRequest, WarRoomId, WarRoomListPage, type CreateWarRoomInput, type ListWarRoomsInput } from '../schemas/warrooms.js';
import { operation, requestFor } from './operation.js';

export const WAR_ROOM_OPERATIONS = {
  create: operation('POST', '/v1/external/warrooms'),
  list: operation('POST', '/v1/external/warrooms/list'),
} as const;

/** Starts a WarRoom for an incident; returns its id. Never retried. */
export async function createWarRoom(http: CocHttp, input: CreateWarRoomInput, options?: CallOptions): Promise<string> {
  const body = validateInput(CreateWarRoomRequest, input, WAR_ROOM_OPERATIONS.create);
  return http.call(requestFor(WAR_ROOM_OPERATIONS.create, { body, envelope: 'pce', response: WarRoomId }), options);
}

/** One page of WarRooms plus running/closed counts. */
export async function listWarRooms(http: CocHttp, input: ListWarRoomsInput = {}, options?: CallOptions): Promise<WarRoomListPage> {
  const body = validateInput(ListWarRoomsRequest, input, WAR_ROOM_OPERATIONS.list);
  return http.call(requestFor(WAR_ROOM_OPERATIONS.list, { body, envelope: 'pce', response: WarRoomListPage }), options);
}
