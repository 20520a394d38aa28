/**
 * The emulator inspector's page, its HTML and CSS, served as they are: no build step, nothing fetched from
 * elsewhere.
 *
 * @since 0.1.0
 */

/**
 * The page, served at `/`.
 *
 * @since 0.1.0
 * @category assets
 */
export const HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Scenario emulator inspector</title>
<link rel="icon" href="/favicon.ico">
<link rel="stylesheet" href="/inspector/inspector.css">
<script src="/inspector/view.js" defer></script>
<script src="/inspector/app.js" defer></script>
</head>
<body>
<a class="skip" href="#requests">Skip to the request log</a>
<header class="top">
  <h1>Scenario emulator</h1>
  <p>API at <code id="base-url">…</code> <span class="sep" aria-hidden="true">·</span>
    <span id="connection" class="connection" data-state="connecting">connecting…</span></p>
</header>
<main class="layout">
  <div class="content">
    <section aria-labelledby="models-title">
      <h2 id="models-title">Models</h2>
      <div id="models" class="models"><p class="empty">Loading…</p></div>
    </section>
    <section id="requests" aria-labelledby="requests-title">
      <h2 id="requests-title">Request log</h2>
      <form id="filters" class="filters" role="search" aria-label="Filter the request log">
        <div class="field">
          <label for="filter-model">Model</label>
          <select id="filter-model" name="model"><option value="">all models</option></select>
        </div>
        <div class="field">
          <label for="filter-status">Status</label>
          <select id="filter-status" name="status">
            <option value="">all statuses</option>
            <option value="2xx">2xx success</option>
            <option value="4xx">4xx client error</option>
            <option value="5xx">5xx server error</option>
            <option value="none">no response</option>
            <option value="fault">with an injected fault</option>
          </select>
        </div>
        <p id="request-count" class="count" aria-live="polite"></p>
      </form>
      <div class="table-wrap" role="region" aria-labelledby="requests-title" tabindex="0">
        <table>
          <caption class="visually-hidden">Requests received, newest first</caption>
          <thead>
            <tr><th scope="col">Time</th><th scope="col">Method</th><th scope="col">Path</th><th scope="col">Status</th>
              <th scope="col">Fault</th><th scope="col">Latency</th><th scope="col">Request id</th></tr>
          </thead>
          <tbody id="request-rows"></tbody>
        </table>
      </div>
    </section>
  </div>
  <section class="controls" aria-labelledby="controls-title">
    <h2 id="controls-title">Controls</h2>
    <form id="fail-next-form" class="panel">
      <fieldset>
        <legend>Fail the next calls</legend>
        <div class="field">
          <label for="fault-kind">Fault</label>
          <select id="fault-kind" name="kind">
            <option value="429">429 Too Many Requests, with Retry-After</option>
            <option value="500">500 Internal Server Error</option>
            <option value="502">502 Bad Gateway</option>
            <option value="503">503 Service Unavailable</option>
            <option value="delay">Slow response (delay)</option>
            <option value="drop-before-apply">Connection dropped before the change</option>
            <option value="drop-after-apply">Connection dropped after the change</option>
          </select>
        </div>
        <div class="field-row">
          <div class="field">
            <label for="fault-count">Number of calls</label>
            <input id="fault-count" name="count" type="number" min="1" max="10000" step="1" value="1" required>
          </div>
          <div class="field">
            <label for="fault-operation">Operation</label>
            <select id="fault-operation" name="operation">
              <option value="">any</option>
              <option value="add">add</option>
              <option value="replace">replace</option>
              <option value="replacePairs">replacePairs</option>
              <option value="delete">delete</option>
              <option value="list">list</option>
            </select>
          </div>
        </div>
        <div class="field-row">
          <div class="field" data-for-kind="429">
            <label for="fault-retry-after">Retry-After (seconds)</label>
            <input id="fault-retry-after" name="retryAfterSeconds" type="number" min="0" max="86400" step="any" value="1">
          </div>
          <div class="field" data-for-kind="delay">
            <label for="fault-delay">Delay (milliseconds)</label>
            <input id="fault-delay" name="delayMillis" type="number" min="0" max="3600000" step="1" value="5000">
          </div>
        </div>
        <button type="submit">Fail the next calls</button>
      </fieldset>
    </form>
    <p class="panel faults">Faults waiting: <output id="pending-faults">0</output><br>
      Injected so far: <span id="fault-counts">none</span></p>
    <form id="seed-form" class="panel">
      <fieldset>
        <legend>Seed models</legend>
        <div class="field">
          <label for="seed-json">Models as JSON, by model id (replaces models with the same id)</label>
          <textarea id="seed-json" name="models" rows="4" spellcheck="false">{"model_new": {"name": "New model", "trainingImages": [{}]}}</textarea>
        </div>
        <button type="submit">Seed</button>
      </fieldset>
    </form>
    <form id="reset-form" class="panel">
      <fieldset>
        <legend>Reset</legend>
        <p class="hint">Back to the initial models and faults; the request log is emptied.</p>
        <button type="submit" class="danger">Reset the emulator</button>
      </fieldset>
    </form>
    <p id="message" class="message" role="status" aria-live="polite"></p>
  </section>
</main>
</body>
</html>
`

/**
 * The page's style sheet, served at `/inspector/inspector.css`.
 *
 * @since 0.1.0
 * @category assets
 */
export const CSS = String.raw`:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --fg: #17191c; --muted: #5b6270; --panel: #fff; --line: #d5d9e0; --accent: #2457c5;
  --ok: #1c7c3c; --warn: #9a5b00; --bad: #b3261e; --none: #6b7280; --thumb: 96px;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #14161a; --fg: #e8eaed; --muted: #a3a9b5; --panel: #1d2026; --line: #343943; --accent: #8ab4ff;
    --ok: #6fcf8f; --warn: #f0b35a; --bad: #ff8a80; --none: #9aa1ad; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
h1 { font-size: 1.35rem; margin: 0; }
h2 { font-size: 1.1rem; margin: 0 0 0.6rem; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 0.5rem; background: var(--panel); padding: 0.4rem 0.8rem; z-index: 2; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.top { padding: 0.8rem 1.25rem; border-bottom: 1px solid var(--line); background: var(--panel);
  display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.3rem 1.2rem; }
.top p { margin: 0; color: var(--muted); overflow-wrap: anywhere; }
.connection[data-state="live"] { color: var(--ok); }
.connection[data-state="polling"], .connection[data-state="connecting"] { color: var(--warn); }
.connection[data-state="offline"] { color: var(--bad); }
/* The models come first in the page, on a phone above everything else; the controls sit beside them on a wide screen. */
.layout { display: grid; grid-template-columns: minmax(0, 1fr) minmax(17rem, 21rem); gap: 1.25rem; padding: 1.25rem; align-items: start; }
@media (max-width: 52rem) { .layout { grid-template-columns: minmax(0, 1fr); padding: 0.75rem; } }
.content { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1.5rem; align-content: start; min-width: 0; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 0.75rem; margin: 0 0 0.75rem; }
fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
legend { font-weight: 600; padding: 0; margin-bottom: 0.4rem; }
.field { display: grid; gap: 0.2rem; margin-bottom: 0.55rem; min-width: 0; }
.field-row { display: grid; grid-template-columns: 1fr 1fr; gap: 0 0.6rem; }
.field[hidden] { display: none; }
label { font-size: 0.85rem; color: var(--muted); }
input, select, textarea, button { font: inherit; color: inherit; }
input, select, textarea { width: 100%; padding: 0.35rem 0.45rem; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
textarea { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.85rem; resize: vertical; }
button { padding: 0.4rem 0.9rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
@media (prefers-color-scheme: dark) { button { color: #10131a; } }
button.danger { background: transparent; color: var(--bad); border-color: var(--bad); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.hint { margin: 0 0 0.5rem; color: var(--muted); font-size: 0.85rem; }
.message { min-height: 1.5em; margin: 0; }
.message[data-kind="error"] { color: var(--bad); }
.faults { font-size: 0.9rem; }
.models { display: grid; gap: 1rem; }
.model { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 0.6rem 0.9rem; min-width: 0; }
.model summary { cursor: pointer; list-style-position: outside; margin-left: 1rem; }
.model h3 { display: inline; font-size: 1rem; margin: 0; overflow-wrap: anywhere; }
.model .meta { display: block; color: var(--muted); font-size: 0.85rem; margin: 0.1rem 0 0; overflow-wrap: anywhere; }
.model[open] summary { margin-bottom: 0.6rem; }
.model h4 { font-size: 0.9rem; margin: 0.6rem 0 0.4rem; color: var(--muted); font-weight: 600; }
.images { display: grid; grid-template-columns: repeat(auto-fill, minmax(8.5rem, 1fr)); gap: 0.6rem; list-style: none; margin: 0; padding: 0; }
.image { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 0.4rem; min-width: 0; }
.thumb { display: block; width: 100%; aspect-ratio: 1; object-fit: cover; border-radius: 4px; background: var(--bg); }
.placeholder { display: grid; place-items: center; text-align: center; color: var(--muted); font-size: 0.75rem;
  border: 1px dashed var(--line); padding: 0.3rem; }
.image figcaption { font-size: 0.78rem; margin-top: 0.3rem; overflow-wrap: anywhere; }
.image .name { font-weight: 600; }
.image .id, .image time { display: block; color: var(--muted); }
.pairs { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.5rem; }
.pair { display: grid; grid-template-columns: auto auto auto minmax(0, 1fr); align-items: center; gap: 0.5rem;
  border: 1px solid var(--line); border-radius: 6px; padding: 0.4rem; }
.pair .end .thumb { width: 56px; height: 56px; }
.pair .what { display: grid; gap: 0.15rem; min-width: 0; }
.pair .names { font-size: 0.85rem; overflow-wrap: anywhere; }
.pair .ids { color: var(--muted); font-size: 0.75rem; overflow-wrap: anywhere; }
.pair .arrow { font-size: 1.3rem; color: var(--muted); }
.pair .instruction { overflow-wrap: anywhere; }
.pair .instruction.none { color: var(--muted); font-style: italic; }
.empty { color: var(--muted); margin: 0; }
.filters { display: flex; flex-wrap: wrap; gap: 0.3rem 0.8rem; align-items: end; margin-bottom: 0.5rem; }
.filters .field { margin: 0; width: 13rem; max-width: 100%; }
.count { margin: 0 0 0.2rem; color: var(--muted); font-size: 0.85rem; }
.table-wrap { overflow-x: auto; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
th, td { text-align: left; padding: 0.35rem 0.6rem; border-bottom: 1px solid var(--line); white-space: nowrap; }
td.path { white-space: normal; overflow-wrap: anywhere; min-width: 12rem; }
thead th { position: sticky; top: 0; background: var(--panel); }
.status { font-weight: 600; }
.status-2xx .status { color: var(--ok); }
.status-3xx .status, .status-4xx .status { color: var(--warn); }
.status-5xx .status { color: var(--bad); }
.status-none .status { color: var(--none); }
.fault { color: var(--bad); font-weight: 600; }
`
