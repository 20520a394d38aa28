/**
 * The inspector page's scripts, plain JavaScript served as it is.
 *
 * `VIEW` holds the page's rules as pure functions of the state JSON (filtering the log, rendering rows and
 * models as escaped HTML, reading the fault form): no DOM, so the tests run it in Node as well. `APP` wires
 * them to the page: fetching the state, following the server's change events (polling when they fail),
 * sending the controls.
 *
 * @since 0.1.0
 */

/**
 * The page's rules as pure functions of the state JSON, served at `/inspector/view.js` (it sets
 * `globalThis.InspectorView`).
 *
 * @since 0.1.0
 * @category assets
 */
export const VIEW = String.raw`"use strict";
(function (root) {
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };

  function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }

  // "2xx", "4xx", "5xx"..., or "none" when no response was sent.
  function statusClass(status) {
    return typeof status === "number" ? Math.floor(status / 100) + "xx" : "none";
  }

  function matches(request, filter) {
    if (filter.model && request.modelId !== filter.model) return false;
    if (!filter.status) return true;
    if (filter.status === "fault") return typeof request.fault === "string";
    return statusClass(request.status) === filter.status;
  }

  function filterRequests(requests, filter) {
    return requests.filter(function (request) { return matches(request, filter); });
  }

  // The time of day, to the millisecond, in UTC as the ISO date gives it.
  function formatTime(iso) {
    return typeof iso === "string" && iso.length >= 23 ? iso.slice(11, 23) : "";
  }

  // A date to the second, "2026-01-31 12:00:00", as the ISO date gives it (UTC).
  function formatDate(iso) {
    return typeof iso === "string" && iso.length >= 19 ? iso.slice(0, 10) + " " + iso.slice(11, 19) : String(iso);
  }

  function formatLatency(millis) {
    if (typeof millis !== "number") return "";
    return millis < 1000 ? Math.round(millis) + " ms" : (millis / 1000).toFixed(2) + " s";
  }

  function requestRowHtml(request) {
    var target = request.query ? request.path + "?" + request.query : request.path;
    var status = typeof request.status === "number" ? String(request.status) : "no response";
    return "<tr class=\"status-" + statusClass(request.status) + "\">" +
      "<td><time datetime=\"" + escapeHtml(request.receivedAt) + "\">" + escapeHtml(formatTime(request.receivedAt)) +
      "</time></td>" +
      "<td>" + escapeHtml(request.method) + "</td>" +
      "<td class=\"path mono\">" + escapeHtml(target) + (request.authenticated ? "" : " <em>(not authenticated)</em>") +
      "</td>" +
      "<td class=\"status\">" + escapeHtml(status) + "</td>" +
      "<td" + (request.fault ? " class=\"fault\">" + escapeHtml(request.fault) : ">") + "</td>" +
      "<td>" + escapeHtml(formatLatency(request.durationMillis)) + "</td>" +
      "<td class=\"mono\">" + escapeHtml(request.requestId) + "</td>" +
      "</tr>";
  }

  function requestRowsHtml(requests, filter) {
    var rows = filterRequests(requests, filter);
    if (rows.length === 0) {
      return "<tr><td colspan=\"7\" class=\"empty\">No request" + (requests.length ? " matches the filters" : " yet") +
        "</td></tr>";
    }
    return rows.map(requestRowHtml).join("");
  }

  function thumbHtml(image, alt) {
    if (image && image.thumbnail) {
      // The original file, shown small: the page is read on this machine, so its bytes cost little; lazy, so
      // only the images scrolled to are fetched, and cached by revision.
      return "<img class=\"thumb\" src=\"" + escapeHtml(image.thumbnail) + "\" alt=\"" + escapeHtml(alt) +
        "\" width=\"96\" height=\"96\" loading=\"lazy\" decoding=\"async\">";
    }
    var label = image ? "No preview: added by asset id" : "Not a training image of this model";
    return "<div class=\"thumb placeholder\" role=\"img\" aria-label=\"" + escapeHtml(label) + "\">" +
      (image ? "asset" : "missing") + "</div>";
  }

  function imageHtml(image) {
    return "<li><figure class=\"image\" data-image-id=\"" + escapeHtml(image.id) + "\">" +
      thumbHtml(image, image.name) +
      "<figcaption><span class=\"name\">" + escapeHtml(image.name) + "</span>" +
      "<span class=\"id mono\">" + escapeHtml(image.id) + "</span>" +
      "<time datetime=\"" + escapeHtml(image.createdAt) + "\">" + escapeHtml(formatDate(image.createdAt)) + "</time>" +
      "</figcaption></figure></li>";
  }

  function pairEndHtml(imagesById, id, role) {
    var image = imagesById[id];
    return "<div class=\"end\">" + thumbHtml(image, role + ": " + (image ? image.name : id)) + "</div>";
  }

  function nameOf(imagesById, id) {
    var image = imagesById[id];
    return image ? image.name : "(not a training image)";
  }

  function pairHtml(pair, imagesById) {
    var instruction = typeof pair.instruction === "string" && pair.instruction !== "";
    return "<li class=\"pair\" data-source-id=\"" + escapeHtml(pair.sourceId) + "\" data-target-id=\"" +
      escapeHtml(pair.targetId) + "\">" +
      pairEndHtml(imagesById, pair.sourceId, "source") +
      "<span class=\"arrow\" aria-label=\"to\">\u2192</span>" +
      pairEndHtml(imagesById, pair.targetId, "target") +
      "<div class=\"what\"><span class=\"instruction" +
      (instruction ? "\">" + escapeHtml(pair.instruction) : " none\">no instruction") + "</span>" +
      "<span class=\"names\">" + escapeHtml(nameOf(imagesById, pair.sourceId)) + " \u2192 " +
      escapeHtml(nameOf(imagesById, pair.targetId)) + "</span>" +
      "<span class=\"ids mono\">" + escapeHtml(pair.sourceId) + " \u2192 " + escapeHtml(pair.targetId) + "</span>" +
      "</div></li>";
  }

  // A model folds (a <details>): open tells whether it is shown unfolded.
  function modelHtml(model, open) {
    // No prototype: an image id such as "constructor" must not find Object's.
    var imagesById = Object.create(null);
    model.trainingImages.forEach(function (image) { imagesById[image.id] = image; });
    var count = model.trainingImages.length;
    return "<details class=\"model\" data-model-id=\"" + escapeHtml(model.id) + "\"" + (open === false ? "" : " open") +
      "><summary><h3>" + escapeHtml(model.name) + "</h3>" +
      "<span class=\"meta\"><span class=\"mono\">" + escapeHtml(model.id) + "</span> \u00b7 " + escapeHtml(model.type) +
      " \u00b7 " + escapeHtml(model.status) + " \u00b7 " + count + " training image" + (count === 1 ? "" : "s") +
      " \u00b7 " + model.pairs.length + " pair" + (model.pairs.length === 1 ? "" : "s") + "</span></summary>" +
      "<h4>Training images</h4>" +
      (count === 0 ? "<p class=\"empty\">No training image</p>"
        : "<ul class=\"images\">" + model.trainingImages.map(imageHtml).join("") + "</ul>") +
      "<h4>Pairs</h4>" +
      (model.pairs.length === 0 ? "<p class=\"empty\">No pair</p>"
        : "<ul class=\"pairs\">" + model.pairs.map(function (pair) { return pairHtml(pair, imagesById); }).join("") +
          "</ul>") +
      "</details>";
  }

  // The models unfolded by default: the first two, so that more models still leave the log in reach.
  var OPEN_BY_DEFAULT = 2;

  // isOpen(id) tells a model's fold as the user left it, or undefined for the default.
  function modelsHtml(models, isOpen) {
    if (models.length === 0) return "<p class=\"empty\">No model</p>";
    return models.map(function (model, index) {
      var open = isOpen ? isOpen(model.id) : undefined;
      return modelHtml(model, open === undefined ? index < OPEN_BY_DEFAULT : open);
    }).join("");
  }

  // The model filter's options: every model known, and the one selected even once it is gone.
  function modelOptionsHtml(models, selected) {
    var ids = models.map(function (model) { return model.id; });
    if (selected && ids.indexOf(selected) === -1) ids.push(selected);
    return "<option value=\"\">all models</option>" + ids.map(function (id) {
      return "<option value=\"" + escapeHtml(id) + "\"" + (id === selected ? " selected" : "") + ">" + escapeHtml(id) +
        "</option>";
    }).join("");
  }

  function faultCountsText(counts) {
    var kinds = Object.keys(counts).sort();
    return kinds.length === 0 ? "none" : kinds.map(function (kind) { return kind + " \u00d7 " + counts[kind]; }).join(", ");
  }

  // The body of POST /inspector/api/fail-next from the form's fields (all strings); the wait and the delay
  // go only with the faults they belong to.
  function failNextBody(fields) {
    var body = { count: Number(fields.count), kind: fields.kind };
    if (fields.operation) body.operation = fields.operation;
    if (fields.kind === "429" && fields.retryAfterSeconds !== "") body.retryAfterSeconds = Number(fields.retryAfterSeconds);
    if (fields.kind === "delay" && fields.delayMillis !== "") body.delayMillis = Number(fields.delayMillis);
    return body;
  }

  root.InspectorView = {
    escapeHtml: escapeHtml,
    statusClass: statusClass,
    filterRequests: filterRequests,
    formatTime: formatTime,
    formatDate: formatDate,
    formatLatency: formatLatency,
    requestRowHtml: requestRowHtml,
    requestRowsHtml: requestRowsHtml,
    modelHtml: modelHtml,
    modelsHtml: modelsHtml,
    modelOptionsHtml: modelOptionsHtml,
    faultCountsText: faultCountsText,
    failNextBody: failNextBody
  };
})(globalThis);
`

/**
 * The page's wiring to the DOM and the server, served at `/inspector/app.js`.
 *
 * @since 0.1.0
 * @category assets
 */
export const APP = String.raw`"use strict";
(function () {
  var View = window.InspectorView;
  var byId = function (id) { return document.getElementById(id); };
  var state = null;
  var shown = { models: null, options: null, rows: null };
  var filter = { model: "", status: "" };
  var loading = null;
  var again = false;
  // Whether each model is unfolded, by id, once the user opened or closed it.
  var folds = new Map();

  function say(text, kind) {
    var message = byId("message");
    message.textContent = text;
    message.setAttribute("data-kind", kind || "info");
  }

  function setConnection(kind, text) {
    var connection = byId("connection");
    connection.setAttribute("data-state", kind);
    connection.textContent = text;
  }

  // Only what changed is replaced, so that images are not reloaded and focus stays where it is.
  function replace(key, element, html) {
    if (shown[key] === html) return;
    shown[key] = html;
    element.innerHTML = html;
  }

  function render() {
    if (state === null) return;
    byId("base-url").textContent = state.baseUrl;
    replace("models", byId("models"), View.modelsHtml(state.models, function (id) { return folds.get(id); }));
    replace("options", byId("filter-model"), View.modelOptionsHtml(state.models, filter.model));
    replace("rows", byId("request-rows"), View.requestRowsHtml(state.requests, filter));
    var shownCount = View.filterRequests(state.requests, filter).length;
    byId("request-count").textContent = shownCount + " shown of " + state.requestCount + " request" +
      (state.requestCount === 1 ? "" : "s") + (state.requestCount > state.requests.length ? " (the latest " +
      state.requests.length + " kept here)" : "");
    byId("pending-faults").textContent = String(state.pendingFaults);
    byId("fault-counts").textContent = View.faultCountsText(state.faultCounts);
  }

  // One fetch at a time; a change announced meanwhile fetches once more afterwards.
  function load() {
    if (loading !== null) { again = true; return loading; }
    loading = fetch("/inspector/api/state", { cache: "no-store", headers: { accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("state: HTTP " + response.status);
        return response.json();
      })
      .then(function (next) { state = next; render(); })
      .catch(function (error) { setConnection("offline", "offline: " + error.message); })
      .then(function () {
        loading = null;
        if (again) { again = false; return load(); }
      });
    return loading;
  }

  var pollTimer = null;
  function poll() {
    if (pollTimer !== null) return;
    setConnection("polling", "updating every second");
    pollTimer = setInterval(load, 1000);
  }

  // While polling, the live stream is tried again now and then: a place may have freed up.
  var LIVE_RETRY_MILLIS = 30000;

  function follow() {
    if (typeof EventSource === "undefined") return poll();
    var events = new EventSource("/inspector/api/events");
    var failures = 0;
    events.addEventListener("change", function () { load(); });
    events.onopen = function () {
      failures = 0;
      if (pollTimer !== null) { clearInterval(pollTimer); pollTimer = null; }
      setConnection("live", "live");
      load();
    };
    events.onerror = function () {
      failures++;
      // Refused (the server's streams are at their cap, answered 503): the browser will not reconnect by itself.
      var refused = events.readyState === EventSource.CLOSED;
      if (refused || failures >= 3) {
        events.close();
        poll();
        setTimeout(follow, LIVE_RETRY_MILLIS);
      } else setConnection("connecting", "reconnecting…");
    };
  }

  function control(action, body, done) {
    return fetch("/inspector/api/" + action, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (json) {
        if (!response.ok) throw new Error(json && json.message ? json.message : "HTTP " + response.status);
        say(done, "info");
        return load();
      });
    }).catch(function (error) { say(error.message, "error"); });
  }

  function fieldsOf(form) {
    var fields = {};
    new FormData(form).forEach(function (value, key) { fields[key] = String(value); });
    return fields;
  }

  function showFaultOptions() {
    var kind = byId("fault-kind").value;
    document.querySelectorAll("[data-for-kind]").forEach(function (field) {
      field.hidden = field.getAttribute("data-for-kind") !== kind;
    });
  }

  byId("fault-kind").addEventListener("change", showFaultOptions);
  showFaultOptions();

  byId("fail-next-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var body = View.failNextBody(fieldsOf(event.target));
    var what = body.count === 1 ? "The next call" : "The next " + body.count + " calls";
    control("fail-next", body, what + (body.operation ? " to " + body.operation : "") + " will fail with " + body.kind);
  });

  byId("seed-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var models;
    try {
      models = JSON.parse(byId("seed-json").value);
    } catch (error) {
      say("The seed is not valid JSON: " + error.message, "error");
      return;
    }
    control("seed", models, "Seeded " + Object.keys(models).join(", "));
  });

  byId("reset-form").addEventListener("submit", function (event) {
    event.preventDefault();
    control("reset", {}, "Emulator reset");
  });

  // "toggle" does not bubble: caught on its way down. A redraw fires it too, with the state it drew.
  byId("models").addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.tagName === "DETAILS") folds.set(details.getAttribute("data-model-id"), details.open);
  }, true);

  byId("filters").addEventListener("change", function () {
    filter = { model: byId("filter-model").value, status: byId("filter-status").value };
    render();
  });
  byId("filters").addEventListener("submit", function (event) { event.preventDefault(); });

  load().then(follow);
})();
`
