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
/**
 * Our own goal for every acknowledgement, measured from the request's arrival: a third inside
 * Slack's 3 s, for the network between Slack and the bot.
 */
export const ACK_GOAL_MS = 2_000;
/**
 * How long, from the request's arrival, a modal submission waits for its answer before the
 * modal is closed (or shows "working") and the answer follows. The rest of ACK_GOAL_MS is kept
 * for event-loop lag during a burst: the timer that ends the wait can fire that much late.
 */
export const SUBMISSION_ANSWER_MS = 800;
/** How long, from arrival, an options request waits for fresh suggestions before it is answered from what is known. */
export const OPTIONS_ANSWER_MS = 800;
/**
 * After how long without an answer (from arrival) a command or click that may answer with a
 * form opens a placeholder view with its trigger id, which Slack honours for 3 s from sending.
 */
export const PLACEHOLDER_AFTER_MS = 1_000;
/** A command still running after this long gets a private "working on it" line. */
export const WORKING_NOTICE_MS = 2_000;
/** Requests signed longer ago (or further ahead) than this are refused (replays). */
export const SIGNATURE_MAX_AGE_S = 5 * 60;
/**
 * Commands and clicks acknowledged and not yet answered past which new ones are answered
 * "busy, try again in n s" at once (slack.maxInFlight). A burst of 200 fits; what is let in
 * drains within about a second at the rate one replica answers `/coc order` on two cores
 * (bench/slack-answer.ts), so an answer comes within 3 s even at twice that rate.
 */
export const MAX_IN_FLIGHT = 400;
/**
 * Under the cap above, the bound follows how fast acknowledged work drains, measured while
 * work is queued: no more is let in than is answered within this long (so that on a slower or
 * loaded machine, at twice the rate it can carry, what is let in is still answered within 3 s).
 */
export const DRAIN_WITHIN_MS = 1_000;
/**
 * The least the drain-sized bound lets in: a burst of 200 is always taken in (on a machine that
 * drains it slower than in a second, what cannot begin within LATE_START_MS is answered "busy").
 */
export const MIN_IN_FLIGHT = 200;
/** Work in flight from which it counts as queued (twice what runs at once after acks) for measuring the drain rate. */
export const QUEUED_AT = 16;
/**
 * A command or click whose work has not begun this long after it arrived is answered "busy,
 * try again" instead (nothing run): with the rest of its work, its answer still comes within
 * Slack's 3 s of patience.
 */
export const LATE_START_MS = 2_000;
