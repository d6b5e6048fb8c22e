"""The review page: one self-contained HTML document with inline CSS and JS (no network).

All pool text reaches the DOM through `textContent`, never as HTML, so a question containing
markup is shown, not run. Keyboard: a accept, x reject, r + behavior digit + domain digit
relabel, e edit the answer (Enter saves, Esc cancels), u reset, j/k or arrows move, n next
undecided. The position is kept in the URL fragment, so a reload returns to the same item.
"""

from __future__ import annotations

import html
import json

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:0;display:flex;height:100vh;color:#222}
#side{width:280px;overflow:auto;border-right:1px solid #ddd;background:#fafafa}
#main{flex:1;overflow:auto;padding:16px 24px}
table{border-collapse:collapse;font-size:12px;margin:8px}
td,th{padding:2px 6px;text-align:right}td:first-child{text-align:left}
tr[data-cell]{cursor:pointer}
ol{margin:0;padding:0 0 0 8px;list-style:none;font-size:12px}
li{padding:1px 6px;cursor:pointer;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
li.current{background:#dde8ff}
li[data-status=accepted]::before{content:"\\2713 ";color:#080}
li[data-status=rejected]::before{content:"\\2717 ";color:#b00}
li[data-status=undecided]::before{content:"\\00b7 ";color:#999}
pre{white-space:pre-wrap;background:#f4f4f4;padding:10px;border-radius:4px;max-height:45vh;
overflow:auto}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600}
.accepted{background:#d8f5d8}.rejected{background:#f8d8d8}.undecided{background:#eee}
#mode{color:#a50;font-weight:600;min-height:1.4em}
.muted{color:#777;font-size:12px}
#help{font-size:12px;color:#555;border-top:1px solid #eee;margin-top:12px;padding-top:6px}
button{margin-right:6px}
"""

_JS = r"""
const TOKEN = __TOKEN__, BEHAVIORS = __BEHAVIORS__, DOMAINS = __DOMAINS__;
let cands = [], states = {}, prog = [], cur = 0, mode = null, relabelB = null;
const $ = (id) => document.getElementById(id);
function el(tag, text, attrs) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}
async function api(path, body) {
  const opts = {headers: {"X-Review-Token": TOKEN}};
  if (body) { opts.method = "POST"; opts.headers["Content-Type"] = "application/json";
              opts.body = JSON.stringify(body); }
  const r = await fetch(path, opts);
  const data = await r.json();
  if (!r.ok) throw new Error(data.error || r.statusText);
  return data;
}
function setState(s) { states = s.states; prog = s.progress; }
async function load() {
  cands = (await api("/api/candidates")).candidates;
  setState(await api("/api/state"));
  const h = parseInt(location.hash.slice(1), 10);
  cur = Number.isFinite(h) && h >= 0 && h < cands.length ? h : 0;
  render();
  document.body.dataset.ready = "1";
}
function go(i) {
  if (!cands.length) return;
  cur = Math.max(0, Math.min(cands.length - 1, i));
  history.replaceState(null, "", "#" + cur);
  render();
}
function nextUndecided() {
  for (let k = 1; k <= cands.length; k++) {
    const i = (cur + k) % cands.length;
    if (states[cands[i].id].status === "undecided") return go(i);
  }
}
async function decide(body, advance) {
  const c = cands[cur];
  $("mode").textContent = "saving...";
  try {
    setState(await api("/api/decision", Object.assign({candidate_id: c.id}, body)));
    $("mode").textContent = "";
    if (advance && cur < cands.length - 1) go(cur + 1); else render();
  } catch (err) { $("mode").textContent = "not saved: " + err.message; }
}
function renderProgress() {
  const t = $("progress"); t.replaceChildren();
  const head = el("tr"); for (const h of ["cell", "done", "acc", "rej"]) head.append(el("th", h));
  t.append(head);
  for (const p of prog) {
    const tr = el("tr", null, {"data-cell": p.cell});
    tr.append(el("td", p.cell), el("td", p.decided + "/" + p.total), el("td", p.accepted),
              el("td", p.rejected));
    tr.onclick = () => { const i = cands.findIndex(c => c.behavior + "/" + c.domain === p.cell);
                         if (i >= 0) go(i); };
    t.append(tr);
  }
}
function renderList() {
  const ol = $("list"); ol.replaceChildren();
  cands.forEach((c, i) => {
    const st = states[c.id];
    const li = el("li", st.behavior + "/" + st.domain + " " + c.source,
                  {"data-index": i, "data-status": st.status});
    if (i === cur) li.className = "current";
    li.onclick = () => go(i);
    ol.append(li);
  });
  const curLi = ol.querySelector("li.current"); if (curLi) curLi.scrollIntoView({block: "nearest"});
}
function renderCard() {
  const m = $("card"); m.replaceChildren();
  if (!cands.length) { m.append(el("p", "No candidates in this file.")); return; }
  const c = cands[cur], s = states[c.id];
  const head = el("h2", (cur + 1) + " / " + cands.length + "  ");
  head.append(el("span", s.status, {"class": "badge " + s.status, id: "status"}));
  m.append(head);
  const was = s.relabelled ? "  (proposed " + c.proposed_behavior + "/" + c.proposed_domain + ")"
                           : "";
  m.append(el("div", "cell: " + s.behavior + "/" + s.domain + was, {id: "cell"}));
  m.append(el("div", "proposal: " + c.proposed_behavior + "/" + c.proposed_domain + "  score " +
              Number(c.similarity).toFixed(3) + "  margin " + Number(c.margin).toFixed(3) +
              "  runner-up " + c.runner_up + "  (" + c.method + ")  cosine to the cell's " +
              "nearest seed " + Number(c.cell_seed_similarity).toFixed(3), {"class": "muted"}));
  m.append(el("div", c.source + "  " + ((c.meta || {}).pool_source || "") + "  " +
              (c.license || ""), {"class": "muted"}));
  m.append(el("pre", c.prompt, {id: "prompt"}));
  const ans = el("div"); ans.append(el("b", "answer (" + c.answer_type + "): "),
                                    el("span", s.answer, {id: "answer"}));
  if (s.edited) ans.append(el("span", "  (edited; was " + c.answer + ")", {"class": "muted"}));
  m.append(ans);
  const input = el("input", null, {id: "answer-input", size: 60}); input.value = s.answer;
  input.style.display = mode === "edit" ? "" : "none";
  m.append(input);
  const btns = el("div"); btns.style.marginTop = "8px";
  for (const [label, fn] of [["accept (a)", () => decide({action: "accept"}, true)],
                             ["reject (x)", () => decide({action: "reject"}, true)],
                             ["relabel (r)", () => startRelabel()],
                             ["edit answer (e)", () => startEdit()],
                             ["reset (u)", () => decide({action: "reset"}, false)]]) {
    const b = el("button", label); b.onclick = fn; btns.append(b);
  }
  m.append(btns);
  m.append(el("h3", "nearest seeds"));
  const seeds = el("ol");
  for (const sd of c.nearest_seeds || [])
    seeds.append(el("li", sd.similarity.toFixed(3) + "  " + sd.cell + "  " + sd.prompt));
  m.append(seeds);
  m.append(el("h3", "nearest pool rows"));
  const nb = el("ol");
  for (const n of c.neighbours || [])
    nb.append(el("li", n.similarity.toFixed(3) + "  " + n.cell + "  " + n.source_id + "  " +
                       n.question));
  m.append(nb);
}
function render() { renderProgress(); renderList(); renderCard(); }
function startRelabel() {
  mode = "relabel-b"; relabelB = null;
  $("mode").textContent = "relabel: behavior? " +
    BEHAVIORS.map((b, i) => (i + 1) + " " + b).join("  ");
}
function startEdit() {
  mode = "edit"; render();
  const input = $("answer-input"); input.focus(); input.select();
  $("mode").textContent = "edit the answer: Enter saves, Esc cancels";
}
document.addEventListener("keydown", (ev) => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (mode === "edit") {
    if (ev.key === "Enter") { ev.preventDefault(); const v = $("answer-input").value; mode = null;
                              decide({action: "edit", answer: v}, false); }
    else if (ev.key === "Escape") { mode = null; $("mode").textContent = ""; render(); }
    return;
  }
  if (mode === "relabel-b" || mode === "relabel-d") {
    ev.preventDefault();
    if (ev.key === "Escape") { mode = null; $("mode").textContent = ""; return; }
    const k = parseInt(ev.key, 10) - 1;
    if (mode === "relabel-b" && k >= 0 && k < BEHAVIORS.length) {
      relabelB = BEHAVIORS[k]; mode = "relabel-d";
      $("mode").textContent = "relabel " + relabelB + ": domain? " +
        DOMAINS.map((d, i) => (i + 1) + " " + d).join("  ");
    } else if (mode === "relabel-d" && k >= 0 && k < DOMAINS.length) {
      mode = null; decide({action: "relabel", behavior: relabelB, domain: DOMAINS[k]}, true);
    }
    return;
  }
  const actions = {
    a: () => decide({action: "accept"}, true), x: () => decide({action: "reject"}, true),
    r: startRelabel, e: startEdit, u: () => decide({action: "reset"}, false),
    j: () => go(cur + 1), ArrowRight: () => go(cur + 1), ArrowDown: () => go(cur + 1),
    k: () => go(cur - 1), ArrowLeft: () => go(cur - 1), ArrowUp: () => go(cur - 1),
    n: nextUndecided,
  };
  if (actions[ev.key]) { ev.preventDefault(); actions[ev.key](); }
});
load().catch((err) => { $("mode").textContent = "cannot load: " + err.message; });
"""


def render_page(*, title: str, token: str, nonce: str, behaviors: list[str],
                domains: list[str]) -> str:
    script = (_JS.replace("__TOKEN__", json.dumps(token))
              .replace("__BEHAVIORS__", json.dumps(behaviors))
              .replace("__DOMAINS__", json.dumps(domains)))
    n = html.escape(nonce, quote=True)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>review: {html.escape(title)}</title>
<style nonce="{n}">{_CSS}</style></head>
<body>
<div id="side"><table id="progress"></table><ol id="list"></ol></div>
<div id="main"><div id="mode"></div><div id="card"></div>
<div id="help">a accept &middot; x reject &middot; r relabel (then behavior 1-5, domain 1-4)
&middot; e edit answer &middot; u reset &middot; j/k or arrows move &middot; n next undecided.
Every decision is saved when it is made.</div></div>
<script nonce="{n}">{script}</script>
</body></html>
"""
