/**
 * Slack's published limits for what the bot sends (platform-rules §1.1–1.2). Lengths are
 * measured in UTF-16 code units, never fewer than Slack's count of characters, so staying
 * under them keeps every payload acceptable.
 */
export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  /** `msg_blocks_too_long` has been seen near 13k characters of blocks; stay well under it. */
  messageBlockChars: 11_000,
  /** Top-level `text` (notification and screen-reader fallback). */
  fallbackText: 3_000,
  headerText: 150,
  sectionText: 3_000,
  sectionFields: 10,
  fieldText: 2_000,
  contextElements: 10,
  contextText: 3_000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2_000,
  actionId: 255,
  blockId: 255,
  selectOptions: 100,
  optionText: 75,
  optionValue: 75,
  placeholder: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  modalButton: 24,
  callbackId: 255,
  privateMetadata: 3_000,
  inputLabel: 2_000,
  inputHint: 2_000,
  textInput: 3_000,
  /** What one field's error under a modal input may say. */
  fieldError: 500,
  channelName: 80,
  inviteUsers: 1_000,
} as const;

/** Deadlines (platform-rules §1.1). */
export const ACK_DEADLINE_MS = 3_000;
/** How long a modal submission may wait for its answer before the modal is closed and the answer posted. */
export const SUBMISSION_ANSWER_MS = 2_500;
/** How long an options request may wait for suggestions before it is answered with none. */
export const OPTIONS_ANSWER_MS = 2_500;
/** A command still running after this long gets a private "working on it" line. */
export const WORKING_NOTICE_MS = 2_000;
/** Requests signed longer ago (or further ahead) than this are refused (replays). */
export const SIGNATURE_MAX_AGE_S = 5 * 60;
