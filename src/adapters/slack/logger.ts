/**
 * Bolt's logger, writing through the bot's own log line function. Bolt and the Web API client
 * log request bodies only at debug level, which is never enabled here (they could hold what
 * people typed into a form).
 */
import { LogLevel, type Logger } from '@slack/bolt';

const ORDER: readonly LogLevel[] = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

function text(parts: readonly unknown[]): string {
  return parts.map((part) => (part instanceof Error ? `${part.name}: ${part.message}` : typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
}

export function boltLogger(write: (line: string) => void, level: LogLevel = LogLevel.WARN): Logger {
  let current = ORDER.indexOf(level) < ORDER.indexOf(LogLevel.INFO) ? LogLevel.INFO : level;
  let name = 'slack';
  const at = (wanted: LogLevel, parts: readonly unknown[]) => {
    if (ORDER.indexOf(wanted) >= ORDER.indexOf(current)) write(`[${name}] ${wanted}: ${text(parts)}`);
  };
  return {
    debug: (...parts: unknown[]) => at(LogLevel.DEBUG, parts),
    info: (...parts: unknown[]) => at(LogLevel.INFO, parts),
    warn: (...parts: unknown[]) => at(LogLevel.WARN, parts),
    error: (...parts: unknown[]) => at(LogLevel.ERROR, parts),
    setLevel: (next: LogLevel) => {
      // Never below info: debug output carries request bodies.
      current = ORDER.indexOf(next) < ORDER.indexOf(LogLevel.INFO) ? LogLevel.INFO : next;
    },
    getLevel: () => current,
    setName: (next: string) => {
      name = next;
    },
  };
}
