/**
 * Shortcut keys pressed before the app's chunk has run (F4 as the page loads): boot.ts holds them
 * from the page's first script, and App.tsx replays them into its shortcut handler the moment it
 * listens, so none is lost to the first load's order.
 */
const SHORTCUTS = new Set(['F1', 'F2', 'F4', 'F9', 'Escape', '/']);
const held: KeyboardEvent[] = [];

function hold(e: KeyboardEvent): void {
  if (!SHORTCUTS.has(e.key)) return;
  e.preventDefault(); // F1 would open the browser's help, / its quick find
  held.push(e);
}

window.addEventListener('keydown', hold);

/** Stops holding and hands over what was held, oldest first. */
export function replayEarlyKeys(handler: (e: KeyboardEvent) => void): void {
  window.removeEventListener('keydown', hold);
  held.splice(0).forEach(handler);
}
