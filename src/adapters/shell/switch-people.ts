/**
 * "/as <name>" switches people with the built-in simulator's demo people only: on a real platform
 * one person could otherwise request a run and approve it as another. COC_CHATOPS_SHELL_SWITCH_PEOPLE=1
 * allows it against a simulator started on its own (scripted demos and tests), and only when the
 * platform's endpoint is on this machine (a loopback address): set by mistake against a real
 * platform, it changes nothing.
 */
export function switchesPeople(builtInSimulator: boolean, endpoint: string | undefined): boolean {
  if (builtInSimulator) return true;
  return process.env['COC_CHATOPS_SHELL_SWITCH_PEOPLE'] === '1' && endpoint !== undefined && isLoopback(endpoint);
}

export function isLoopback(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

