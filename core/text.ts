// Safe text: anything a user (or a platform, or a rule author) wrote that reaches a terminal, a chat message or a
// webhook goes through safeText() first. Raw control codes let a request's reason hide the real items table on an
// approver's screen (ESC[8m) or draw a fake one; bidi overrides reorder what is shown ("Trojan source").
// Pure, no I/O; used by alert texts, rule names in reasons, and the CLI.

export interface SafeTextOptions {
  /** Keep line feeds (\n); a carriage return becomes a line feed too. Default: lines are joined with a space. */
  keepNewlines?: boolean;
  /** Keep tabs. Default: a tab becomes a space. */
  keepTabs?: boolean;
  /** Cut to this many characters (with "…"). Default: no limit. */
  maxLength?: number;
}

// ANSI escape sequences, 7-bit and 8-bit forms: CSI (ESC [ … final / 0x9B … final), OSC/DCS/SOS/PM/APC strings
// (ESC ] … BEL or ST, 0x9D …), and two-character escapes (ESC x). Removed whole, so no parameter bytes are left.
const ANSI = new RegExp(
  [
    '(?:\\u001b\\[|\\u009b)[\\u0030-\\u003f]*[\\u0020-\\u002f]*[\\u0040-\\u007e]?', // CSI … final byte
    '(?:\\u001b[\\]PX^_]|[\\u0090\\u0098\\u009d\\u009e\\u009f])[^\\u0007\\u001b\\u009c]*(?:\\u0007|\\u001b\\\\|\\u009c)?', // OSC/DCS/… strings
    '\\u001b[\\u0020-\\u002f]*[\\u0030-\\u007e]?', // ESC x (charset selection, resets, …)
  ].join('|'),
  'g',
);
// What is left after the sequences: C0 controls, DEL, C1 controls, and the bidi embedding/override/isolate marks.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** The text with control characters and ANSI escapes removed (newlines kept only when asked). */
export function safeText(input: unknown, opts: SafeTextOptions = {}): string {
  let s = String(input ?? '')
    .replace(ANSI, '')
    .replace(/\r\n?/g, '\n');
  s = s.replace(/\t/g, opts.keepTabs ? '\t' : ' ');
  s = s.replace(CONTROL, '');
  if (!opts.keepNewlines) s = s.replace(/\n+/g, ' ');
  if (opts.maxLength !== undefined && s.length > opts.maxLength) s = `${s.slice(0, Math.max(0, opts.maxLength - 1))}…`;
  return s;
}

/** Slack mrkdwn / text: safe text with the three characters Slack treats as markup escaped (no <!channel> from a rule name). */
export function slackText(input: unknown, opts: SafeTextOptions = { keepNewlines: true }): string {
  return safeText(input, opts).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
