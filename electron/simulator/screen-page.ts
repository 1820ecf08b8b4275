/**
 * `GET /__sim/screen`: the simulated terminals' displays for people. A trainee plays the customer
 * here in `manual` customer mode; in `auto` mode it shows the charges progressing by themselves.
 * Self-contained (inline CSS and JS, no external resources); it only talks to `/__sim/`.
 * Texts from the API (descriptions) are inserted as text nodes, never as HTML.
 */
import { SIM_SITES as SITES } from './sites';
import { SEED_ACCOUNTS } from './seed';

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:18px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#eef1f5;color:#1b1f24}
header{display:flex;gap:16px;align-items:center;flex-wrap:wrap;padding:14px 20px;background:#0a2540;color:#fff}
header h1{font-size:22px;margin:0 12px 0 0}
header label{font-size:16px}
select{font-size:16px;padding:4px 8px}
#mode{margin-left:auto;font-size:15px;opacity:.9}
main{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:20px;padding:20px}
.term{background:#1f2933;border-radius:26px;padding:14px;box-shadow:0 6px 18px rgba(0,0,0,.25);color:#fff}
.meta{display:flex;justify-content:space-between;gap:8px;font-size:13px;opacity:.85;margin:0 6px 10px}
.meta .id{font-family:ui-monospace,monospace;overflow:hidden;white-space:nowrap;direction:rtl;text-align:left}
.screen{background:#f8fafc;color:#111;border-radius:14px;min-height:270px;padding:18px;display:flex;flex-direction:column;align-items:center;justify-content:center;text-align:center;gap:10px}
.screen.offline{background:#cbd2d9;color:#52606d}
.big{font-size:40px;font-weight:700;letter-spacing:.5px}
.desc{font-size:20px;color:#3e4c59}
.hint{font-size:22px;font-weight:600;color:#0a6ebd}
.muted{color:#7b8794;font-size:18px}
.ok{color:#0e8a3e}.bad{color:#c62828}.warn{color:#b26a00}
.buttons{display:grid;grid-template-columns:1fr 1fr;gap:10px;width:100%;margin-top:6px}
button{font-size:18px;padding:12px 10px;border:0;border-radius:10px;cursor:pointer;font-weight:600}
button.approve{background:#0e8a3e;color:#fff}button.decline{background:#c62828;color:#fff}
button.abandon{background:#52606d;color:#fff}button.card{background:#0a6ebd;color:#fff}
button.small{font-size:13px;padding:4px 10px;border-radius:8px;background:#3e4c59;color:#fff}
.spinner{width:54px;height:54px;border:6px solid #d9e2ec;border-top-color:#0a6ebd;border-radius:50%;animation:spin 1s linear infinite}
@keyframes spin{to{transform:rotate(360deg)}}
.receipt{font-family:ui-monospace,monospace;font-size:14px;color:#3e4c59;border-top:1px dashed #9aa5b1;padding-top:8px;width:100%}
#error{color:#ffb4b4;font-size:15px}
`;

const SCRIPT = `
const SITES = __SITES__;
const ACCOUNTS = __ACCOUNTS__;
const fmtCache = {};
function money(minor, userId) {
  const acc = ACCOUNTS.find(a => a.userId === userId) || ACCOUNTS[0];
  const s = SITES[acc.site];
  const key = acc.site;
  if (!fmtCache[key]) fmtCache[key] = new Intl.NumberFormat(s.locale, { style: 'currency', currency: s.currency, minimumFractionDigits: s.decimals, maximumFractionDigits: s.decimals });
  return fmtCache[key].format(minor / Math.pow(10, s.decimals));
}
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
const accountSelect = document.getElementById('account');
for (const a of ACCOUNTS) {
  const o = el('option', null, a.nickname + ' (' + a.site + ', ' + a.userId + ')');
  o.value = String(a.userId);
  accountSelect.appendChild(o);
}
const saved = localStorage.getItem('sim.account');
if (saved && ACCOUNTS.some(a => String(a.userId) === saved)) accountSelect.value = saved;
accountSelect.onchange = () => { localStorage.setItem('sim.account', accountSelect.value); refresh(); };

async function post(path, body) {
  const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!r.ok) {
    const t = await r.text();
    document.getElementById('error').textContent = 'Could not do that: ' + t;
  } else document.getElementById('error').textContent = '';
  refresh();
}
const act = (id, action) => post('/__sim/terminals/' + encodeURIComponent(id) + '/customer', typeof action === 'string' ? { action } : action);

function render(t, customerMode) {
  const card = el('div', 'term');
  const meta = el('div', 'meta');
  meta.appendChild(el('span', 'id', t.id));
  const right = el('span');
  right.appendChild(el('span', null, t.family + (t.mode ? ' · ' + t.mode : '') + ' '));
  const toggle = el('button', 'small', t.online ? 'go offline' : 'go online');
  toggle.onclick = () => post('/__sim/terminals/' + encodeURIComponent(t.id) + '/online', { online: !t.online });
  right.appendChild(toggle);
  meta.appendChild(right);
  card.appendChild(meta);
  const screen = el('div', 'screen' + (t.online ? '' : ' offline'));
  card.appendChild(screen);
  const c = t.charge;
  if (!t.online) {
    screen.appendChild(el('div', 'big', 'Offline'));
    screen.appendChild(el('div', 'muted', 'No connection. Charges wait until it is back.'));
    return card;
  }
  if (t.screen === 'idle') {
    if (c) {
      screen.appendChild(el('div', 'muted', t.mode === 'STANDALONE' ? 'STANDALONE mode: API charges are ignored' : 'Receiving a charge…'));
      screen.appendChild(el('div', 'big', money(c.amountMinor, t.userId)));
    } else {
      screen.appendChild(el('div', 'big', 'Ready'));
      screen.appendChild(el('div', 'muted', 'Waiting for a charge from the till'));
    }
  } else if (t.screen === 'waiting_card') {
    screen.appendChild(el('div', 'muted', 'Amount to pay'));
    screen.appendChild(el('div', 'big', money(c.amountMinor, t.userId)));
    if (c.description) screen.appendChild(el('div', 'desc', c.description));
    if (t.canceling) screen.appendChild(el('div', 'hint', 'Canceling at the till’s request…'));
    else if (t.retrying) screen.appendChild(el('div', 'hint', 'Card declined: insert, tap or swipe another card'));
    else screen.appendChild(el('div', 'hint', 'Insert, tap or swipe the card'));
    if (customerMode === 'auto') screen.appendChild(el('div', 'muted', 'The simulated customer pays by itself (auto mode)'));
    const b = el('div', 'buttons');
    const mk = (label, cls, action) => { const x = el('button', cls, label); x.onclick = () => act(t.id, action); b.appendChild(x); };
    mk('Approve', 'approve', 'approve');
    mk('Decline', 'decline', 'reject');
    // Intents and the mobile app let the customer try another card on the same charge.
    if (t.family !== 'orders') mk('Decline, try another card', 'decline', { action: 'reject', retry: true });
    mk('Abandon', 'abandon', 'abandon');
    mk('Card (by amount)', 'card', 'present_card');
    if (!t.canceling) screen.appendChild(b);
  } else if (t.screen === 'processing') {
    screen.appendChild(el('div', 'spinner'));
    screen.appendChild(el('div', 'hint', 'Processing…'));
    if (c) screen.appendChild(el('div', 'big', money(c.amountMinor, t.userId)));
    screen.appendChild(el('div', 'muted', 'Do not remove the card'));
  } else if (t.screen === 'result') {
    const label = t.resultLabel || (c ? c.state : 'Done');
    const cls = /^Approved/.test(label) ? 'ok' : /^(Rejected|Terminal error)/.test(label) ? 'bad' : 'warn';
    screen.appendChild(el('div', 'big ' + cls, label));
    if (c) {
      const r = el('div', 'receipt');
      r.appendChild(el('div', null, 'Amount: ' + money(c.amountMinor, t.userId)));
      if (c.description) r.appendChild(el('div', null, 'Item: ' + c.description));
      r.appendChild(el('div', null, 'Charge: ' + c.id));
      r.appendChild(el('div', null, 'State: ' + c.state));
      screen.appendChild(r);
    }
  }
  return card;
}

let busy = false;
async function refresh() {
  if (busy) return;
  busy = true;
  try {
    const r = await fetch('/__sim/terminals', { cache: 'no-store' });
    const data = await r.json();
    const userId = Number(accountSelect.value);
    const main = document.getElementById('terminals');
    main.replaceChildren(...data.terminals.filter(t => t.userId === userId).map(t => render(t, data.customer)));
    document.getElementById('mode').textContent = 'Customer: ' + data.customer + (data.customer === 'manual' ? ' — you are the customer' : ' — pays by itself');
  } catch (e) {
    document.getElementById('error').textContent = 'Simulator not reachable';
  } finally { busy = false; }
}
refresh();
setInterval(refresh, 400);
`;

export function renderScreenPage(): string {
  const accounts = SEED_ACCOUNTS.map((a) => ({ userId: a.userId, site: a.site, nickname: a.nickname }));
  // JSON inside <script>: escape "<" so no value can close the tag.
  const json = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');
  const script = SCRIPT.replace('__SITES__', json(SITES)).replace('__ACCOUNTS__', json(accounts));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Point terminals — Caja simulator</title><style>${CSS}</style></head>
<body><header><h1>Point terminals</h1><label>Account <select id="account"></select></label><span id="error"></span><span id="mode"></span></header>
<main id="terminals"></main>
<script>${script}</script></body></html>`;
}
