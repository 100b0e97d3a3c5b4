// messages-sandbox inspector. Hand-written, no dependencies, no build step.
//
// Data flow: GET events (server-sent events, read with fetch so the admin token can travel
// in a header) sends `hello`, then the journal's newest entries (`backlog`), then each new
// one as it is recorded (`entries`); the page keeps their summaries and shows them newest first in a virtualized
// list (only the rows on screen exist in the DOM). Opening an exchange reads its full,
// redacted journal entry (GET requests/{id}) and, for a stream, its events.
//
// Everything a request sent is shown with textContent, never parsed as HTML; the server's
// Content-Security-Policy allows no inline script either.
'use strict';

(() => {
  const ROW = 30; // px, as --row in app.css
  const OVERSCAN = 8;
  const MAX_ENTRIES = 20000; // the page never holds more summaries than this
  const TOKEN_KEY = 'messages-sandbox.admin-token';
  const TOKEN_HEADER = 'x-sandbox-admin-token';
  const NO_SESSION = '(none)'; // the session filter's word for "outside any session"
  const IMAGE_TYPES = /^image\/(png|jpeg|gif|webp)$/;

  const state = {
    entries: [], // oldest first
    byId: new Map(),
    filtered: [], // newest first
    selected: null,
    wanted: null, // an id to open as soon as it arrives (a replay)
    paused: false,
    pending: [],
    rules: [],
    sessionsInfo: new Map(),
    reload: null,
    hello: null,
    token: sessionStorage.getItem(TOKEN_KEY),
    view: 'exchanges',
    renderQueued: false,
    detailSeq: 0,
  };

  const $ = (sel) => document.querySelector(sel);

  // -- DOM helpers ---------------------------------------------------------------------------
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = v;
        else if (k === 'dataset') Object.assign(el.dataset, v);
        else if (k === 'style') Object.assign(el.style, v); // CSSOM: allowed by the page's CSP
        else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
        else el.setAttribute(k, v === true ? '' : v);
      }
    }
    for (const c of children.flat(Infinity)) {
      if (c === undefined || c === null || c === false) continue;
      el.append(c instanceof Node ? c : String(c));
    }
    return el;
  }

  function toast(text, ms = 2600) {
    const el = $('#toast');
    el.textContent = text;
    el.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { el.hidden = true; }, ms);
  }

  const pretty = (v) => JSON.stringify(v, null, 2);
  // Small values read best on one line ({"location": "Lisbon"}), larger ones indented.
  const compact = (v) => {
    const one = JSON.stringify(v);
    return one !== undefined && one.length <= 72 ? one : pretty(v);
  };
  // Request ids share their first characters (req_01...): the end tells them apart.
  const shortId = (id) => (id && id.length > 14 ? `req_…${id.slice(-10)}` : id || '');
  const pad = (n, w = 2) => String(n).padStart(w, '0');

  function clock(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso || '';
    return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  }

  function ms(v) {
    if (v === null || v === undefined) return '';
    if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
    if (v >= 100) return `${Math.round(v)} ms`;
    return `${v.toFixed(1)} ms`;
  }

  function statusPill(status) {
    const cls = status ? `s${String(status)[0]}` : 's0';
    return h('span', { class: `pill ${cls}`, text: status ?? '—' });
  }

  function ruleCell(e) {
    if (e.rule) return h('span', { class: 'mono', text: e.rule });
    if (e.answered_by === 'default') return h('span', { class: 'tag miss', text: 'default responder' });
    if (e.answered_by === 'no_match') return h('span', { class: 'tag strict', text: 'no match' });
    return h('span', { class: 'tag', text: '—' });
  }

  // -- the admin API (the token, when one is configured) ---------------------------------------
  async function api(path, options = {}) {
    const headers = new Headers(options.headers || {});
    if (state.token) headers.set(TOKEN_HEADER, state.token);
    const res = await fetch(path, { ...options, headers, cache: 'no-store' });
    if (res.status === 401 && (await wantsToken(res.clone()))) {
      await askToken(Boolean(state.token));
      return api(path, options);
    }
    return res;
  }

  async function wantsToken(res) {
    try {
      const body = await res.json();
      return /admin token/i.test(body?.error?.message || '');
    } catch {
      return false;
    }
  }

  let tokenPrompt = null;
  function askToken(refused) {
    if (tokenPrompt) return tokenPrompt;
    const dialog = $('#token-dialog');
    $('#token-error').hidden = !refused;
    $('#token-input').value = '';
    tokenPrompt = new Promise((resolve) => {
      dialog.addEventListener('close', function onClose() {
        dialog.removeEventListener('close', onClose);
        const value = $('#token-input').value.trim();
        if (value) {
          state.token = value;
          sessionStorage.setItem(TOKEN_KEY, value);
        }
        tokenPrompt = null;
        resolve();
      });
    });
    dialog.showModal();
    return tokenPrompt;
  }

  async function json(path, options) {
    const res = await api(path, options);
    const body = await res.json().catch(() => null);
    if (!res.ok) {
      const message = body?.error?.message || `${res.status} ${res.statusText}`;
      throw new Error(message);
    }
    return body;
  }

  // -- the live feed ---------------------------------------------------------------------------
  let backoff = 500;
  let feedAbort = null;

  function setConn(s, text) {
    const el = $('#conn');
    el.dataset.state = s;
    $('#conn-text').textContent = text || s;
  }

  async function connect() {
    if (feedAbort) feedAbort.abort();
    const abort = new AbortController();
    feedAbort = abort;
    setConn('connecting');
    try {
      const res = await api('events', { signal: abort.signal, headers: { accept: 'text/event-stream' } });
      if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
      backoff = 500;
      await readEvents(res.body, abort.signal);
    } catch (err) {
      if (abort.signal.aborted) return;
      console.warn('inspector feed:', err);
    }
    if (abort.signal.aborted) return;
    setConn('offline', 'reconnecting');
    setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, 5000);
  }

  async function readEvents(stream, signal) {
    const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let name = 'message';
    let data = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done || signal.aborted) return;
      buffer += value;
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (let line of lines) {
        if (line.endsWith('\r')) line = line.slice(0, -1);
        if (line === '') {
          if (data.length) dispatch(name, data.join('\n'));
          name = 'message';
          data = [];
        } else if (line.startsWith(':')) {
          // keep-alive comment
        } else if (line.startsWith('event:')) {
          name = line.slice(6).trim();
        } else if (line.startsWith('data:')) {
          data.push(line.slice(5).replace(/^ /, ''));
        }
      }
    }
  }

  function dispatch(name, raw) {
    let data;
    try {
      data = JSON.parse(raw);
    } catch {
      return;
    }
    switch (name) {
      case 'hello': onHello(data); break;
      case 'backlog': addEntries(data, false); break;
      case 'entries': addEntries(data, true); break;
      case 'reset': onReset(data); break;
      case 'reload': onReload(data); break;
      case 'lagged':
        toast(`The page fell behind (${data.dropped} updates missed): catching up.`);
        connect();
        break;
      default: break;
    }
  }

  function onHello(hello) {
    state.hello = hello;
    state.entries = [];
    state.byId = new Map();
    state.pending = [];
    setConn(state.paused ? 'paused' : 'live', state.paused ? 'paused' : 'live');
    onReload(hello.fixtures_status, true);
    loadRules();
    loadSessions();
    queueRender();
  }

  function addEntries(rows, live) {
    const now = performance.now();
    for (const e of rows) {
      if (live) e._arrived = now;
      if (state.paused && live) {
        state.pending.push(e);
        if (state.pending.length > MAX_ENTRIES) state.pending.shift();
        continue;
      }
      keep(e);
    }
    if (state.paused) updatePauseButton();
    queueRender();
    if (state.wanted && state.byId.has(state.wanted)) {
      const id = state.wanted;
      state.wanted = null;
      select(id);
    }
    if (live && rows.some((e) => e.rule)) loadRulesSoon();
  }

  function keep(e) {
    const old = state.byId.get(e.id);
    if (old) {
      Object.assign(old, e);
      return;
    }
    state.byId.set(e.id, e);
    state.entries.push(e);
    if (e.session) noteSession(e.session);
    if (state.entries.length > MAX_ENTRIES) {
      const gone = state.entries.splice(0, state.entries.length - MAX_ENTRIES);
      for (const g of gone) state.byId.delete(g.id);
    }
  }

  function onReset(data) {
    const session = data.session ?? null;
    const keepIt = (e) => session !== null && e.session !== session;
    state.entries = state.entries.filter(keepIt);
    state.pending = state.pending.filter(keepIt);
    state.byId = new Map(state.entries.map((e) => [e.id, e]));
    if (state.selected && !state.byId.has(state.selected)) closeDetail();
    toast(session ? `Session ${session} was reset.` : 'The whole server was reset.');
    loadRules();
    loadSessions();
    queueRender();
  }

  // `fixtures_status` as /health, /_sandbox/config and /_sandbox/rules show it:
  // {state: "current" | "stale", serving, loaded_at, reload_failed_at, errors: ["file:line: what"]}.
  function onReload(status, quiet) {
    if (!status || typeof status !== 'object') return;
    const wasStale = state.reload?.state === 'stale';
    state.reload = status;
    const stale = status.state === 'stale';
    $('#reload-banner').hidden = !stale;
    if (stale) {
      const errors = Array.isArray(status.errors) ? status.errors.map(String) : [];
      const where = /^(.*?:\d+):\s/.exec(errors[0] || '');
      const since = status.reload_failed_at ? ` (since ${clock(status.reload_failed_at)})` : '';
      $('#reload-where').textContent = (where ? where[1] : '') + since;
      $('#reload-error').textContent = errors.join('\n');
    } else if (!quiet) {
      toast(wasStale ? 'Fixtures reloaded: the error is fixed.' : 'Fixtures reloaded.');
    }
    if (!quiet) loadRules();
  }

  // -- filters and the virtualized list --------------------------------------------------------
  function filters() {
    return {
      session: $('#f-session').value.trim(),
      status: $('#f-status').value,
      rule: $('#f-rule').value.trim().toLowerCase(),
      path: $('#f-path').value.trim().toLowerCase(),
    };
  }

  function matches(e, f) {
    if (f.session) {
      // A known name is exact; anything else is a part of the name (many pytest sessions).
      if (f.session === NO_SESSION) {
        if (e.session) return false;
      } else if (state.sessionsInfo.has(f.session) ? e.session !== f.session : !(e.session || '').includes(f.session)) {
        return false;
      }
    }
    if (f.status) {
      const s = e.status || 0;
      if (f.status === 'error' ? s < 400 && !e.error : String(s)[0] !== f.status[0]) return false;
    }
    if (f.rule) {
      if (f.rule === 'default responder') {
        if (e.answered_by !== 'default') return false;
      } else if (f.rule === 'no match') {
        if (e.answered_by !== 'no_match') return false;
      } else if (!(e.rule || '').toLowerCase().includes(f.rule)) {
        return false;
      }
    }
    if (f.path && !(e.path || '').toLowerCase().includes(f.path)) return false;
    return true;
  }

  function queueRender() {
    if (state.renderQueued) return;
    state.renderQueued = true;
    requestAnimationFrame(() => {
      state.renderQueued = false;
      refilter();
    });
  }

  function refilter() {
    const body = $('#list-body');
    const before = state.filtered.length;
    const firstId = state.filtered[0]?.id;
    const f = filters();
    const out = [];
    for (let i = state.entries.length - 1; i >= 0; i--) {
      const e = state.entries[i];
      if (matches(e, f)) out.push(e);
    }
    state.filtered = out;
    // Someone reading further down keeps their place while new rows arrive on top.
    if (body.scrollTop > 0 && firstId && out.length > before) {
      const at = out.findIndex((e) => e.id === firstId);
      if (at > 0) body.scrollTop += at * ROW;
    }
    $('#count-exchanges').textContent = String(state.entries.length);
    $('#shown').textContent = out.length === state.entries.length
      ? `${out.length} exchange${out.length === 1 ? '' : 's'}`
      : `${out.length} of ${state.entries.length} shown`;
    $('#list-empty').hidden = out.length > 0;
    $('#list-empty').firstChild.textContent = state.entries.length ? 'No exchange matches the filters. ' : 'Waiting for requests… send one to ';
    $('#base-url').hidden = state.entries.length > 0;
    updateSessionOptions();
    drawRows();
    if (state.view === 'sessions') renderSessionsSoon();
  }

  function drawRows() {
    const body = $('#list-body');
    const rows = state.filtered;
    $('#list-spacer').style.height = `${rows.length * ROW}px`;
    const top = body.scrollTop;
    const height = body.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
    const last = Math.min(rows.length, Math.ceil((top + height) / ROW) + OVERSCAN);
    for (const el of [...body.querySelectorAll('.row')]) el.remove();
    const now = performance.now();
    const frag = document.createDocumentFragment();
    for (let i = first; i < last; i++) frag.append(rowElement(rows[i], i, now));
    body.append(frag);
  }

  function rowElement(e, i, now) {
    const fresh = e._arrived && now - e._arrived < 1200;
    const el = h(
      'div',
      {
        class: `row${e.id === state.selected ? ' selected' : ''}${fresh ? ' fresh' : ''}`,
        role: 'row',
        dataset: { id: e.id },
        style: { top: `${i * ROW}px` },
      },
      h('span', { class: 'time', text: clock(e.time), title: e.time }),
      h('span', { text: e.session || '', title: e.session || '' }),
      h('span', { class: 'path', title: `${e.method} ${e.path}` }, h('span', { class: 'method', text: e.method }), ' ', e.path),
      h('span', { text: e.model || '', title: e.model || '' }),
      h('span', null, statusPill(e.status), e.stream ? h('span', { class: 'sse', text: 'SSE', title: 'streamed (server-sent events)' }) : ''),
      h('span', { title: e.rule || '' }, ruleCell(e)),
      h('span', { class: 'dur num', text: ms(e.duration_ms) }),
      h('span', { class: 'rid', text: shortId(e.id), title: e.id }),
    );
    return el;
  }

  let knownSessions = 0;
  function updateSessionOptions() {
    // The names only change when a session appears: the list is rebuilt then, not per row.
    if (state.sessionsInfo.size === knownSessions) return;
    knownSessions = state.sessionsInfo.size;
    const names = [...state.sessionsInfo.keys()].sort();
    $('#session-names').replaceChildren(...[NO_SESSION, ...names].map((n) => h('option', { value: n })));
    $('#count-sessions').textContent = String(names.length);
  }

  function noteSession(name) {
    if (!state.sessionsInfo.has(name)) state.sessionsInfo.set(name, {});
  }

  // -- one exchange ----------------------------------------------------------------------------
  function select(id) {
    state.selected = id;
    for (const el of document.querySelectorAll('.list-body .row')) {
      el.classList.toggle('selected', el.dataset.id === id);
    }
    openDetail(id);
  }

  function closeDetail() {
    state.selected = null;
    $('#detail').replaceChildren(h('div', { class: 'placeholder', text: 'Select an exchange to see what was sent and what came back.' }));
  }

  async function openDetail(id) {
    const seq = ++state.detailSeq;
    const detail = $('#detail');
    let entry;
    try {
      entry = await json(`requests/${encodeURIComponent(id)}`);
    } catch (err) {
      if (seq !== state.detailSeq) return;
      detail.replaceChildren(h('div', { class: 'placeholder', text: `This exchange is no longer in the journal (${err.message}).` }));
      return;
    }
    if (seq !== state.detailSeq) return;
    if (!state.rules.length) await loadRules();
    if (seq !== state.detailSeq) return;
    detail.replaceChildren(renderDetail(entry));
    detail.scrollTop = 0;
    if (entry.stream) loadStreamEvents(entry, seq);
  }

  function renderDetail(e) {
    const summary = state.byId.get(e.id) || {};
    const body = e.body && typeof e.body === 'object' ? e.body : null;
    const head = h(
      'header',
      { class: 'd-head' },
      h('div', { class: 'd-title' }, h('span', { class: 'method', text: e.method }), h('span', { class: 'path', text: e.path + (e.query ? `?${e.query}` : '') }), statusPill(e.status), e.stream ? h('span', { class: 'sse', text: 'SSE' }) : ''),
      h(
        'div',
        { class: 'd-meta' },
        meta('id', e.id),
        meta('at', `${clock(e.time)} (${e.time})`),
        meta('took', ms(e.duration_ms)),
        e.session ? meta('session', e.session) : '',
        body?.model ? meta('model', body.model) : '',
        summary.replay_of || e.headers?.['x-sandbox-replay-of'] ? meta('replay of', summary.replay_of || e.headers['x-sandbox-replay-of']) : '',
        e.complete === false ? h('span', { class: 'error', text: 'incomplete: the answer was cut short' }) : '',
      ),
      h(
        'div',
        { class: 'd-actions' },
        h('button', { class: 'btn', 'data-action': 'curl', onclick: () => copyCurl(e), text: 'Copy as curl' }),
        h('button', { class: 'btn', 'data-action': 'fixture', onclick: () => copyFixture(e), disabled: e.path !== '/v1/messages' || undefined, text: 'Copy as fixture' }),
        h('button', { class: 'btn', 'data-action': 'replay', onclick: () => replay(e), disabled: (e.body === null && e.body_size) || undefined, text: 'Replay' }),
      ),
    );
    const cards = [ruleCard(e, summary), errorCard(e), conversationCard(body), answerCard(e), headersCard(e), rawCard('Request body', e.body ?? (e.body_size ? `${e.body_size} bytes (sha256 ${e.body_sha256 || '?'}), not shown` : null))];
    if (e.response) cards.push(rawCard('Response (Message)', e.response));
    return h('div', null, head, h('div', { class: 'd-body' }, cards));
  }

  function meta(k, v) {
    return h('span', null, `${k} `, h('b', { text: v }));
  }

  function card(title, cls, ...children) {
    return h('section', { class: `card ${cls || ''}` }, h('h3', null, title), h('div', { class: 'inner' }, children));
  }

  function rulesNamed(id, session) {
    const all = state.rules.filter((r) => r.id === id);
    return all.find((r) => r.session === session) || all.find((r) => !r.session) || all[0];
  }

  // A rule's file, relative to the fixtures directory when it is inside it (shorter to read).
  function shortFile(file) {
    const root = state.hello?.fixtures;
    return root && file && file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file;
  }

  function whereOf(r) {
    if (!r) return '';
    if (r.file) return `${shortFile(r.file)}${r.line ? `:${r.line}` : ''}`;
    return shortFile(r.where || '');
  }

  function ruleCard(e, summary) {
    const by = summary.answered_by ?? (e.rule ? 'rule' : null);
    if (e.rule) {
      const r = rulesNamed(e.rule, e.session);
      return card('Rule', 'rule-card', h('div', null, 'Answered by rule ', h('b', { class: 'mono', text: e.rule }), e.step ? ` (step ${e.step})` : '', r ? h('div', { class: 'where', text: whereOf(r) }) : h('div', { class: 'where', text: 'not among the rules loaded now' })));
    }
    const near = Array.isArray(e.near_misses) ? e.near_misses : null;
    if (by === 'default' || by === 'no_match' || near) {
      const lead = by === 'no_match' ? 'No fixture rule matched: strict mode refused the request.' : 'No fixture rule matched: the default responder answered.';
      const list = near && near.length
        ? h('ul', { class: 'near' }, near.map((n) => h('li', null, h('b', { class: 'mono', text: n.rule ?? n.rule_id ?? n.id ?? '?' }), ' ', h('span', { class: 'where', text: n.where ? shortFile(n.where) : whereOf(n) }), h('ul', { class: 'failed' }, (n.failed || n.reasons || []).map((f) => h('li', { text: String(f) }))))))
        : h('div', { class: 'dim', text: near ? 'There are no rules to compare with.' : 'Near misses are not available for this entry.' });
      return card('Near misses', 'miss-card', h('div', { text: lead }), near && near.length ? h('div', { class: 'dim', text: 'The closest rules, and why each missed:' }) : '', list);
    }
    return '';
  }

  function errorCard(e) {
    if (!e.error) return '';
    const envelope = { type: 'error', error: e.error, request_id: e.id };
    return card('Error', 'error-card', h('div', null, h('b', { class: 'mono', text: e.error.type || 'error' }), ' ', h('span', { text: e.error.message || '' })), h('pre', { class: 'json', text: pretty(envelope) }));
  }

  function conversationCard(body) {
    if (!body || !Array.isArray(body.messages)) return '';
    const turns = [];
    if (body.system) turns.push(turn('system', typeof body.system === 'string' ? [{ type: 'text', text: body.system }] : body.system));
    for (const m of body.messages) {
      turns.push(turn(m?.role || '?', typeof m?.content === 'string' ? [{ type: 'text', text: m.content }] : m?.content || []));
    }
    const extra = [];
    if (Array.isArray(body.tools) && body.tools.length) {
      extra.push(h('div', { class: 'turn' }, h('div', { class: 'role', text: 'tools' }), h('div', { class: 'chips' }, body.tools.map((t) => h('span', { class: 'chip', text: t?.name || t?.type || '?' })))));
    }
    const settings = ['max_tokens', 'temperature', 'top_p', 'top_k', 'stream', 'tool_choice', 'thinking', 'output_config', 'stop_sequences'].filter((k) => body[k] !== undefined);
    const facts = h('div', { class: 'chips' }, settings.map((k) => h('span', { class: 'chip', text: `${k} ${typeof body[k] === 'object' ? JSON.stringify(body[k]) : String(body[k])}` })));
    return h('section', { class: 'card conversation' }, h('h3', null, 'Prompt', h('span', { class: 'note dim', text: `${body.messages.length} message${body.messages.length === 1 ? '' : 's'}` })), turns, extra, settings.length ? h('div', { class: 'turn' }, h('div', { class: 'role', text: 'settings' }), facts) : '');
  }

  function turn(role, blocks) {
    return h('div', { class: 'turn' }, h('div', { class: `role ${role}`, text: role }), h('div', { class: 'blocks' }, (Array.isArray(blocks) ? blocks : [blocks]).map(block)));
  }

  function block(b) {
    if (typeof b === 'string') return h('div', { class: 'text', text: b });
    if (!b || typeof b !== 'object') return h('pre', { class: 'json', text: pretty(b) });
    switch (b.type) {
      case 'text':
        return h('div', { class: 'text', text: b.text ?? '' });
      case 'image':
        return image(b.source);
      case 'document':
        return h('div', { class: 'tool' }, h('div', { class: 'block-kind', text: `document${b.title ? `: ${b.title}` : ''}` }), b.source?.type === 'text' ? h('div', { class: 'text', text: b.source.data || '' }) : h('span', { class: 'dim', text: sourceLabel(b.source) }));
      case 'tool_use':
      case 'server_tool_use':
      case 'mcp_tool_use':
        return h('div', { class: 'tool use' }, h('div', { class: 'block-kind', text: b.type.replace(/_/g, ' ') }), h('span', { class: 'name', text: b.name || '?' }), ' ', h('span', { class: 'dim mono', text: b.id || '' }), h('pre', { class: 'json', text: compact(b.input ?? {}) }));
      case 'tool_result':
      case 'mcp_tool_result':
        return h('div', { class: `tool result${b.is_error ? ' is-error' : ''}` }, h('div', { class: 'block-kind', text: `tool result${b.is_error ? ' (error)' : ''}` }), h('span', { class: 'dim mono', text: b.tool_use_id || '' }), h('div', { class: 'blocks' }, typeof b.content === 'string' ? h('div', { class: 'text', text: b.content }) : (b.content || []).map(block)));
      case 'thinking':
        return h('div', null, h('div', { class: 'block-kind', text: 'thinking' }), h('div', { class: 'thinking', text: b.thinking || '' }));
      case 'redacted_thinking':
        return h('div', { class: 'block-kind', text: 'redacted thinking' });
      default:
        return h('div', { class: 'tool' }, h('div', { class: 'block-kind', text: String(b.type || 'block').replace(/_/g, ' ') }), h('pre', { class: 'json', text: pretty(b) }));
    }
  }

  function sourceLabel(source) {
    if (!source) return '';
    if (source.type === 'url') return source.url;
    if (source.type === 'file') return `file ${source.file_id}`;
    if (source.type === 'base64') return `${source.media_type}, ${Math.round(((source.data || '').length * 3) / 4 / 1024)} KiB`;
    return source.type || '';
  }

  function image(source) {
    const label = h('div', { class: 'block-kind', text: `image · ${sourceLabel(source)}` });
    if (source?.type === 'base64' && IMAGE_TYPES.test(source.media_type || '') && typeof source.data === 'string') {
      return h('div', null, label, h('img', { class: 'thumb', alt: 'image sent in the prompt', src: `data:${source.media_type};base64,${source.data}` }));
    }
    return label;
  }

  function answerCard(e) {
    const m = e.response;
    if (m && typeof m === 'object' && Array.isArray(m.content)) {
      const usage = m.usage || {};
      const stop = h('div', { class: 'stopline' }, `stop_reason `, h('b', { text: String(m.stop_reason) }), m.stop_sequence ? ` (${m.stop_sequence})` : '', ` · ${usage.input_tokens ?? '?'} in / ${usage.output_tokens ?? '?'} out tokens · `, h('span', { class: 'mono', text: m.id || '' }));
      return h('section', { class: 'card answer' }, h('h3', null, 'Answer', h('span', { class: 'note dim', text: e.stream ? 'the Message the stream carried' : 'the Message' })), turn(m.role || 'assistant', m.content), h('div', { class: 'inner' }, stop), e.stream ? h('div', { class: 'events-slot' }) : '');
    }
    if (e.stream) {
      return h('section', { class: 'card answer' }, h('h3', null, 'Answer'), h('div', { class: 'events-slot' }));
    }
    if (e.path === '/v1/messages' && e.status === 200) {
      return card('Answer', '', h('div', { class: 'dim', text: 'This server does not keep answers in its journal.' }));
    }
    return '';
  }

  async function loadStreamEvents(e, seq) {
    let data;
    try {
      data = await json(`requests/${encodeURIComponent(e.id)}/events`);
    } catch (err) {
      data = { events: [], note: `The stream's events could not be read: ${err.message}` };
    }
    if (seq !== state.detailSeq) return;
    const slot = document.querySelector('#detail .events-slot');
    if (!slot) return;
    const events = data.events || [];
    const last = Math.max(1, ...events.map((x) => x.at_ms || 0));
    const rows = events.map((x) => h(
      'tr',
      { class: x.event === 'error' ? 'ev-error' : x.event === 'ping' ? 'ev-ping' : '' },
      h('td', { class: 'at', text: x.at_ms === null || x.at_ms === undefined ? '' : `+${x.at_ms.toFixed(1)}` }),
      h('td', { class: 'ev' }, x.event || '(not kept)', data.timing === 'recorded' && x.at_ms ? h('span', { class: 'bar', style: { width: `${Math.max(2, Math.round((x.at_ms / last) * 60))}px` } }) : ''),
      h('td', { class: 'data', text: eventText(x), title: x.data === null || x.data === undefined ? '' : JSON.stringify(x.data) }),
    ));
    slot.replaceChildren(h('div', { class: 'inner' }, h('div', { class: 'dim', text: `${events.length} events · ${data.note || ''}` }), h('table', { class: 'events', 'data-timing': data.timing || '' }, h('tbody', null, rows))));
  }

  // One line per event: what it says, not its whole JSON (that is in the row's tooltip).
  function eventText(x) {
    const d = x.data;
    if (d === null || d === undefined) return '';
    if (typeof d !== 'object') return String(d);
    switch (d.type) {
      case 'message_start': {
        const m = d.message || {};
        return `${m.id || ''} · ${m.model || ''} · ${m.usage?.input_tokens ?? '?'} input tokens`;
      }
      case 'content_block_start': {
        const b = d.content_block || {};
        return `#${d.index} ${b.type || ''}${b.name ? ` ${b.name}` : ''}`;
      }
      case 'content_block_delta': {
        const v = d.delta?.text ?? d.delta?.partial_json ?? d.delta?.thinking ?? d.delta?.signature;
        return v === undefined ? JSON.stringify(d.delta) : JSON.stringify(v);
      }
      case 'content_block_stop':
        return `#${d.index}`;
      case 'message_delta':
        return `stop_reason ${d.delta?.stop_reason ?? '?'} · ${d.usage?.output_tokens ?? '?'} output tokens`;
      case 'ping':
      case 'message_stop':
        return '';
      case 'error':
        return `${d.error?.type || 'error'}: ${d.error?.message || ''}`;
      default:
        return JSON.stringify(d);
    }
  }

  function headersCard(e) {
    const entries = Object.entries(e.headers || {}).sort(([a], [b]) => a.localeCompare(b));
    const kv = h('div', { class: 'kv' }, entries.map(([k, v]) => [h('span', { class: 'k', text: k }), h('span', { class: 'v', text: v })]));
    return h('details', { class: 'card raw' }, h('summary', null, `Request headers (${entries.length}, secrets masked)`), h('div', { class: 'inner' }, kv));
  }

  function rawCard(title, value) {
    if (value === null || value === undefined) return '';
    return h('details', { class: 'card raw' }, h('summary', null, title), h('div', { class: 'inner' }, h('pre', { class: 'json', text: typeof value === 'string' ? value : pretty(value) })));
  }

  // -- actions -----------------------------------------------------------------------------------
  const SKIP_IN_CURL = /^(host|content-length|connection|accept-encoding|user-agent|x-stainless-.*|sec-.*|origin|referer|cookie|x-sandbox-admin-token|x-sandbox-replay-of)$/;

  function baseUrl() {
    return location.origin + location.pathname.replace(/\/_sandbox\/.*$/, '');
  }

  function shellQuote(s) {
    return `'${String(s).replace(/'/g, `'\\''`)}'`;
  }

  function curlFor(e) {
    const lines = [`curl ${shellQuote(baseUrl() + e.path + (e.query ? `?${e.query}` : ''))}`];
    if (e.method !== 'GET' && e.method !== 'POST') lines.push(`  -X ${e.method}`);
    else if (e.method === 'GET' && e.body) lines.push('  -X GET');
    for (const [k, v] of Object.entries(e.headers || {})) {
      if (SKIP_IN_CURL.test(k)) continue;
      if (k === 'x-api-key') lines.push(`  -H "x-api-key: $ANTHROPIC_API_KEY"`);
      else if (k === 'authorization') lines.push(`  -H "authorization: Bearer $ANTHROPIC_API_KEY"`);
      else if (/<redacted/.test(v)) lines.push(`  -H ${shellQuote(`${k}: $${k.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`)}`);
      else lines.push(`  -H ${shellQuote(`${k}: ${v}`)}`);
    }
    if (e.body !== null && e.body !== undefined) lines.push(`  --data-raw ${shellQuote(JSON.stringify(e.body))}`);
    return lines.join(' \\\n');
  }

  async function copy(text, title, note) {
    let copied = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        copied = true;
      }
    } catch {
      copied = false;
    }
    document.body.dataset.copied = title;
    window.lastCopied = text;
    if (copied) {
      toast(`${title} copied to the clipboard.`);
      return;
    }
    // No clipboard (a page served over plain http from another host): show it to copy by hand.
    $('#copy-title').textContent = title;
    $('#copy-note').textContent = note || 'Select and copy:';
    $('#copy-text').value = text;
    $('#copy-dialog').showModal();
    $('#copy-text').select();
  }

  function copyCurl(e) {
    copy(curlFor(e), 'curl command', 'The key is a placeholder: export ANTHROPIC_API_KEY first.');
  }

  async function copyFixture(e) {
    const res = await api(`requests/${encodeURIComponent(e.id)}/fixture`);
    const text = await res.text();
    if (!res.ok) {
      let message = text;
      try { message = JSON.parse(text).error.message; } catch { /* plain text */ }
      toast(`No fixture for this exchange: ${message}`, 5000);
      return;
    }
    copy(text, 'fixture YAML', 'Paste it into a file in your fixtures directory.');
  }

  async function replay(e) {
    try {
      const out = await json(`requests/${encodeURIComponent(e.id)}/replay`, { method: 'POST' });
      toast(`Replayed as ${out.id} (${out.status ?? 'pending'}).`);
      if (out.id) {
        if (state.byId.has(out.id)) select(out.id);
        else state.wanted = out.id;
      }
    } catch (err) {
      toast(`Replay refused: ${err.message}`, 5000);
    }
  }

  async function reset(session) {
    const q = session ? `?session=${encodeURIComponent(session)}` : '';
    try {
      const out = await json(`reset${q}`, { method: 'POST' });
      // The server's reset notice updates the list; this covers an older server without it.
      onReset({ session: session || null, cleared: out.cleared });
    } catch (err) {
      toast(`Reset refused: ${err.message}`, 5000);
    }
  }

  // -- rules and sessions --------------------------------------------------------------------
  let rulesTimer = null;
  function loadRulesSoon() {
    clearTimeout(rulesTimer);
    rulesTimer = setTimeout(loadRules, 400);
  }

  async function loadRules() {
    try {
      const out = await json('rules');
      state.rules = Array.isArray(out?.data) ? out.data : [];
      if (out?.fixtures_status) onReload(out.fixtures_status, true);
    } catch (err) {
      console.warn('rules:', err);
      return;
    }
    for (const r of state.rules) if (r.session) noteSession(r.session);
    const ids = [...new Set(state.rules.map((r) => r.id))].sort();
    $('#rule-ids').replaceChildren(...['default responder', 'no match', ...ids].map((id) => h('option', { value: id })));
    $('#count-rules').textContent = String(state.rules.length);
    updateSessionOptions();
    renderRules();
  }

  function renderRules() {
    const session = $('#r-session').value.trim();
    const unusedOnly = $('#r-unused').checked;
    const find = $('#r-find').value.trim().toLowerCase();
    const rows = state.rules.filter((r) => (!session || !r.session || r.session.includes(session))
      && (!unusedOnly || !r.hits)
      && (!find || `${r.id} ${whereOf(r)}`.toLowerCase().includes(find)));
    const unused = state.rules.filter((r) => !r.hits).length;
    $('#rules-summary').textContent = `${state.rules.length} rules · ${unused} never used`;
    $('#rules-table tbody').replaceChildren(...rows.map((r) => h(
      'tr',
      { class: r.hits ? '' : 'unused', dataset: { rule: r.id } },
      h('td', { class: 'id' }, r.id, r.hits ? '' : h('span', { class: 'badge unused', text: 'unused' })),
      h('td', { class: 'where', text: whereOf(r) }),
      h('td', null, r.origin === 'runtime' ? h('span', { class: 'badge runtime', text: 'runtime' }) : (r.origin || 'file')),
      h('td', { text: r.session || '—' }),
      h('td', { text: r.script ? `script (${r.script}), ${r.steps} steps` : 'reply' }),
      h('td', { class: 'num', text: String(r.hits ?? 0) }),
      h('td', { class: 'mono', text: r.last_hit ? clock(r.last_hit) : '—', title: r.last_hit || '' }),
    )));
  }

  async function loadSessions() {
    try {
      const res = await api('sessions');
      if (!res.ok) return; // a server without the sessions route: the journal's sessions suffice
      const out = await res.json();
      for (const s of out?.data || []) {
        if (s?.session) state.sessionsInfo.set(s.session, s);
      }
    } catch {
      return;
    }
    updateSessionOptions();
    if (state.view === 'sessions') renderSessions();
  }

  let sessionsTimer = null;
  function renderSessionsSoon() {
    if (sessionsTimer) return;
    sessionsTimer = setTimeout(() => { sessionsTimer = null; renderSessions(); }, 300);
  }

  function renderSessions() {
    const stats = new Map();
    for (const e of state.entries) {
      if (!e.session) continue;
      const s = stats.get(e.session) || { n: 0, errors: 0, last: null };
      s.n += 1;
      if ((e.status || 0) >= 400) s.errors += 1;
      s.last = e.time;
      stats.set(e.session, s);
    }
    const names = [...new Set([...state.sessionsInfo.keys(), ...stats.keys()])].sort();
    $('#sessions-table tbody').replaceChildren(...(names.length ? names.map((name) => {
      const s = stats.get(name) || { n: 0, errors: 0, last: state.sessionsInfo.get(name)?.last_used };
      return h(
        'tr',
        { dataset: { session: name } },
        h('td', { class: 'id', text: name }),
        h('td', { class: 'num', text: String(s.n) }),
        h('td', { class: 'num', text: String(s.errors) }),
        h('td', { class: 'mono', text: s.last ? clock(s.last) : '—' }),
        h('td', { class: 'num' }, h('button', { class: 'btn danger', 'data-action': 'reset-session', onclick: () => reset(name), text: 'Reset' })),
      );
    }) : [h('tr', null, h('td', { colspan: '5', class: 'dim', text: 'No session yet.' }))]));
  }

  // -- pause, tabs, wiring -------------------------------------------------------------------------
  function updatePauseButton() {
    const btn = $('#pause');
    btn.classList.toggle('on', state.paused);
    btn.textContent = state.paused ? `Resume${state.pending.length ? ` (${state.pending.length} new)` : ''}` : 'Pause';
  }

  function togglePause() {
    state.paused = !state.paused;
    if (!state.paused) {
      for (const e of state.pending) keep(e);
      state.pending = [];
      queueRender();
    }
    setConn(state.paused ? 'paused' : 'live', state.paused ? 'paused' : 'live');
    updatePauseButton();
  }

  function showView(name) {
    state.view = name;
    document.body.dataset.view = name;
    for (const b of document.querySelectorAll('.tabs button')) b.setAttribute('aria-selected', String(b.dataset.tab === name));
    for (const v of ['exchanges', 'rules', 'sessions']) $(`#view-${v}`).hidden = v !== name;
    if (name === 'rules') loadRules();
    if (name === 'sessions') { renderSessions(); loadSessions(); }
    if (name === 'exchanges') queueRender();
  }

  function moveSelection(step) {
    const rows = state.filtered;
    if (!rows.length) return;
    let i = rows.findIndex((e) => e.id === state.selected);
    i = i < 0 ? 0 : Math.min(rows.length - 1, Math.max(0, i + step));
    select(rows[i].id);
    const body = $('#list-body');
    const top = i * ROW;
    if (top < body.scrollTop) body.scrollTop = top;
    else if (top + ROW > body.scrollTop + body.clientHeight) body.scrollTop = top + ROW - body.clientHeight;
  }

  function wire() {
    $('#base-url').textContent = baseUrl();
    for (const b of document.querySelectorAll('.tabs button')) b.addEventListener('click', () => showView(b.dataset.tab));
    $('#pause').addEventListener('click', togglePause);
    for (const id of ['#f-session', '#f-status', '#f-rule', '#f-path']) $(id).addEventListener('input', queueRender);
    for (const id of ['#r-session', '#r-unused', '#r-find']) $(id).addEventListener('input', renderRules);
    const body = $('#list-body');
    let scrollQueued = false;
    body.addEventListener('scroll', () => {
      if (scrollQueued) return;
      scrollQueued = true;
      requestAnimationFrame(() => { scrollQueued = false; drawRows(); });
    });
    body.addEventListener('click', (ev) => {
      const row = ev.target.closest('.row');
      if (row?.dataset.id) select(row.dataset.id);
    });
    body.addEventListener('keydown', (ev) => {
      if (ev.key === 'ArrowDown' || ev.key === 'j') { moveSelection(1); ev.preventDefault(); }
      if (ev.key === 'ArrowUp' || ev.key === 'k') { moveSelection(-1); ev.preventDefault(); }
    });
    window.addEventListener('resize', () => drawRows());
    $('#reset-selected').addEventListener('click', () => {
      const s = $('#f-session').value.trim();
      if (state.sessionsInfo.has(s)) reset(s);
      else if (s) toast('Name one session to reset it (or clear the filter to reset the whole server).', 4000);
      else if (window.confirm('Reset the whole server: every session, the journal and every play count?')) reset(null);
    });
    $('#reset-all').addEventListener('click', () => {
      if (window.confirm('Reset the whole server: every session, the journal and every play count?')) reset(null);
    });
  }

  wire();
  connect();
})();
