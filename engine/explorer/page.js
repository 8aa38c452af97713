// The explorer page's script. It computes no state: every answer shown is one the engine embedded
// (the JSON of `legation at --format json` for each stretch of days over which it stays the same);
// the script picks the stretch a chosen date falls in, and draws it.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("legation-data").textContent);
  const charts = JSON.parse(document.getElementById("legation-charts").textContent);
  const column = {};
  data.event_columns.forEach((name, index) => { column[name] = index; });
  performance.mark("legation-parsed");

  const histories = data.histories.map((history) => {
    const byId = new Map();
    for (const row of history.events) byId.set(row[column.id], row);
    const related = new Map();
    for (const row of history.related || []) related.set(row[column.id], row);
    const columns = {};
    for (const stored of history.answers.columns) columns[stored.sub === null ? stored.key : `${stored.key}\u0000${stored.sub}`] = stored;
    return Object.assign({}, history, { byId, related, columns });
  });

  // --- dates: only the forms the page reads (the engine's EDTF, without qualifiers) -----------------
  const DATE_FORM = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
  const pad = (number, width) => String(number).padStart(width, "0");
  const isoDay = (year, month, day) => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;

  function utcDate(year, month, day) {
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day); // setUTCFullYear keeps years below 100 as they are
    return date;
  }

  function readDate(text) {
    const match = DATE_FORM.exec(text.trim());
    if (!match) return null;
    const year = Number(match[1]);
    if (year < 1) return null; // as the engine: years 0001 to 9999
    if (match[3] !== undefined) {
      const month = Number(match[2]);
      const day = Number(match[3]);
      const date = utcDate(year, month, day);
      if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
      return { text: match[0], day: isoDay(year, month, day) };
    }
    if (match[2] !== undefined) {
      const month = Number(match[2]);
      if (month < 1 || month > 12) return null;
      const last = utcDate(year, month + 1, 0); // day 0 of the next month: the month's last day
      return { text: match[0], day: isoDay(year, month, last.getUTCDate()) };
    }
    return { text: match[0], day: isoDay(year, 12, 31) };
  }

  function dayMs(day) {
    const [year, month, date] = day.split("-").map(Number);
    return utcDate(year, month, date).getTime();
  }

  // How many of the sorted ISO days are on or before `day`: the stretch `day` falls in.
  function stretchOf(days, day) {
    let low = 0;
    let high = days.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (days[middle] <= day) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  // --- choosing the embedded answer ------------------------------------------------------------------
  // A column holds one key's value (or one sub-key's) only where it changes: the value in force at a row
  // is the one picked at the last start on or before it; -1 means the sub-key is absent there.
  function pickAt(stored, row) {
    return stored.picks[stretchOf(stored.starts, row) - 1];
  }

  function valueAt(history, key, row) {
    const split = history.answers.split[key];
    if (!split) {
      const stored = history.columns[key];
      return stored.values[pickAt(stored, row)];
    }
    const found = {};
    for (const sub of split) {
      const stored = history.columns[`${key}\u0000${sub}`];
      const pick = pickAt(stored, row);
      if (pick >= 0) found[sub] = stored.values[pick];
    }
    return found;
  }

  function chosenAnswer(history, asked) {
    const table = history.answers;
    const spanned = Object.prototype.hasOwnProperty.call(table.spans, asked.text);
    const row = spanned ? table.spans[asked.text] : stretchOf(table.days, asked.day);
    const answer = {};
    for (const key of table.keys) {
      if (key === "date") answer[key] = asked.day;
      else if (key === "asked") answer[key] = asked.text;
      else answer[key] = valueAt(history, key, row);
    }
    return { answer, row, links: valueAt(history, "_links", row) };
  }

  // --- rendering helpers ---------------------------------------------------------------------------
  const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  const escape = (text) => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
  const anchor = (history, id) => `ev-${history.id}-${id}`;

  function eventLink(history, id, label) {
    const link = document.createElement("a");
    link.className = "event-link";
    link.href = `#${anchor(history, id)}`;
    link.dataset.event = id;
    link.dataset.history = history.id;
    link.textContent = label || `[${id}]`;
    link.setAttribute("aria-label", `set by event ${id}: open its sources`);
    return link;
  }

  function basisOf(chosen, fieldKey, key) {
    const basis = chosen.answer.basis || {};
    if (basis[fieldKey]) return basis[fieldKey];
    if (chosen.links[fieldKey]) return chosen.links[fieldKey];
    if (key.endsWith("_since")) return basis[key.slice(0, -"_since".length)] || null;
    return null;
  }

  function stateCell(history, chosen, key, side, text) {
    const cell = document.createElement("td");
    const fieldKey = side === null ? key : `${key} ${side}`;
    const value = side === null ? chosen.answer[key] : chosen.answer[key][side];
    cell.dataset.field = fieldKey;
    cell.dataset.json = JSON.stringify(value);
    cell.append(document.createTextNode(text));
    const uncertain = (chosen.answer.uncertain || {})[fieldKey];
    if (uncertain) {
      cell.classList.add("uncertain");
      cell.dataset.uncertain = uncertain.join(" ");
      const mark = document.createElement("span");
      mark.className = "uncertain-mark";
      mark.textContent = "?";
      mark.setAttribute("role", "img");
      mark.setAttribute("aria-label", `uncertain on this date: ${uncertain.join(", ")} may or may not have happened yet`);
      mark.title = `uncertain: ${uncertain.join(", ")}`;
      cell.append(mark);
    }
    const id = basisOf(chosen, fieldKey, key);
    if (id) cell.append(" ", eventLink(history, id));
    return cell;
  }

  function renderState(history, chosen) {
    const body = document.querySelector(`#state-${history.id} tbody`);
    const rows = [];
    for (const field of history.layout) {
      const row = document.createElement("tr");
      row.dataset.key = field.key;
      const head = document.createElement("th");
      head.scope = "row";
      head.textContent = field.label;
      row.append(head);
      if (field.sides === null) {
        const stored = history.columns[field.key];
        const cell = stateCell(history, chosen, field.key, null, history.texts[field.key][pickAt(stored, chosen.row)]);
        cell.colSpan = 2;
        cell.classList.add("pair-field");
        row.append(cell);
      } else {
        for (const side of field.sides) {
          const stored = history.columns[`${field.key}\u0000${side}`];
          const pick = pickAt(stored, chosen.row);
          const text = pick >= 0 ? history.texts[`${field.key} ${side}`][pick] : "none";
          row.append(stateCell(history, chosen, field.key, side, text));
        }
      }
      rows.push(row);
    }
    body.replaceChildren(...rows);
    document.getElementById(`json-${history.id}`).textContent = JSON.stringify(chosen.answer, null, 2);
  }

  // --- the counterfactual's differences on the date (the engine's comparison, picked by date) -------
  function differencesOn(day) {
    const comparison = data.comparison;
    if (!comparison) return [];
    return comparison.timeline.filter(
      (d) => d.appears <= day && (d.disappears === null || day < d.disappears),
    );
  }

  function cellKey(difference) {
    return difference.subject.includes("-") ? difference.field : `${difference.field}s ${difference.subject}`;
  }

  function renderDifferences(day) {
    const box = document.getElementById("differences");
    if (!box) return;
    for (const cell of document.querySelectorAll("td.differs")) cell.classList.remove("differs");
    const found = differencesOn(day);
    if (!found.length) {
      box.textContent = `On ${day} the two histories agree on this pair.`;
      return;
    }
    const items = [];
    for (const difference of found) {
      const key = cellKey(difference);
      for (const cell of document.querySelectorAll(`td[data-field="${CSS.escape(key)}"]`)) cell.classList.add("differs");
      items.push(`<li><code>${escape(key)}</code> differs since ${escape(difference.appears)}` +
        (difference.appears_with.length ? ` (${difference.appears_with.map(escape).join(", ")})` : "") + "</li>");
    }
    box.innerHTML = `<p><strong>On ${escape(day)} the histories differ (≠):</strong></p><ul>${items.join("")}</ul>`;
  }

  // --- the alignment graph ---------------------------------------------------------------------------
  const models = {};
  let bokehReady = false;

  function model(name) {
    if (models[name]) return models[name];
    for (const doc of window.Bokeh ? Bokeh.documents : []) {
      const found = doc.get_model_by_name(name);
      if (found) return (models[name] = found);
    }
    return null;
  }

  function renderGraph(history, day) {
    const graph = history.graph;
    const edges = graph.snapshots[stretchOf(graph.days, day)];
    const list = document.getElementById(`edges-${history.id}`);
    const items = [];
    const present = new Set(data.pair);
    const lines = { aligned: { xs: [], ys: [], label: [] }, hostile: { xs: [], ys: [], label: [] } };
    for (const [a, b, sign, since, ids] of edges) {
      present.add(a);
      present.add(b);
      const stance = sign > 0 ? "aligned" : "hostile";
      const nodeA = graph.nodes[a];
      const nodeB = graph.nodes[b];
      lines[stance].xs.push([nodeA.x, nodeB.x]);
      lines[stance].ys.push([nodeA.y, nodeB.y]);
      lines[stance].label.push(`${a}-${b}`);
      const links = ids.map((id) => (history.byId.has(id) || history.related.has(id)
        ? eventLink(history, id, id).outerHTML : `<code>${escape(id)}</code>`)).join(", ");
      items.push(`<li data-edge="${escape(a)}-${escape(b)}" data-sign="${sign}"><span class="${stance}-key">${stance}</span>: ` +
        `${escape(nodeA.name)} (${escape(a)}) and ${escape(nodeB.name)} (${escape(b)}), since ${escape(since)} (${links})</li>`);
    }
    list.innerHTML = items.length ? items.join("") : "<li>No stances of either actor on this date.</li>";
    if (!bokehReady) return;
    const nodes = { x: [], y: [], code: [], colour: [] };
    for (const code of [...present].sort()) {
      const node = graph.nodes[code];
      if (!node) continue;
      nodes.x.push(node.x);
      nodes.y.push(node.y);
      nodes.code.push(code);
      nodes.colour.push(data.pair.includes(code) ? "#E69F00" : node.kind === "bloc" ? "#56B4E9" : "#FFFFFF");
    }
    const prefix = `graph-${history.id}`;
    const sources = [[`${prefix}-nodes`, nodes], [`${prefix}-aligned`, lines.aligned], [`${prefix}-hostile`, lines.hostile]];
    for (const [name, columns] of sources) {
      const source = model(name);
      if (source) source.data = columns;
    }
  }

  // --- events ----------------------------------------------------------------------------------------
  function eventItem(history, row) {
    const id = row[column.id];
    const changes = row[column.changes];
    const causes = row[column.caused_by];
    const sources = row[column.sources].map((index) => `<li>${escape(data.sources[index])}</li>`).join("");
    const target = row[column.target] ? ` → ${escape(row[column.target])}` : "";
    return `<li id="${escape(anchor(history, id))}" data-kind="${escape(row[column.kind])}" data-changes="${changes.length ? 1 : 0}">` +
      `<span class="when">${escape(row[column.date])}</span><span class="kind">${escape(row[column.kind])}</span>` +
      `<span class="${changes.length ? "" : "record-only"}">${escape(row[column.summary])}</span> ` +
      `<code>${escape(id)}</code> <span class="hint">(${escape(row[column.actor])}${target})</span>` +
      (changes.length ? `<p class="changes">${changes.map(escape).join("<br>")}</p>` : "") +
      (row[column.note] ? `<p class="note">${escape(row[column.note])}</p>` : "") +
      (causes.length ? `<p class="changes">Caused by: ${causes.map((c) => (history.byId.has(c) || history.related.has(c)
        ? eventLink(history, c, c).outerHTML : `<code>${escape(c)}</code>`)).join(", ")}</p>` : "") +
      `<ol class="sources" aria-label="sources">${sources}</ol></li>`;
  }

  // The lists show the events that pass the filter a page at a time (more as the reader scrolls), so that
  // a history of thousands of events opens fast: laying out every one of them would take seconds.
  const PAGE = 150;
  const listed = new Map();

  function renderEvents() {
    const shown = new Set([...document.querySelectorAll('#kind-boxes input[name="kind"]:checked')].map((box) => box.value));
    const changesOnly = document.getElementById("changes-only").checked;
    let visible = 0;
    let total = 0;
    for (const history of histories) {
      const rows = history.events.filter((row) => shown.has(row[column.kind]) && (!changesOnly || row[column.changes].length));
      listed.set(history.id, { rows, count: 0 });
      document.getElementById(`events-${history.id}`).replaceChildren();
      visible += rows.length;
      total += history.events.length;
      more(history);
    }
    document.getElementById("events-count").textContent = `${visible} of ${total} events match.`;
  }

  function more(history, upTo) {
    const state = listed.get(history.id);
    const list = document.getElementById(`events-${history.id}`);
    const end = Math.min(state.rows.length, Math.max(state.count + PAGE, upTo || 0));
    if (end <= state.count) return;
    list.insertAdjacentHTML("beforeend", state.rows.slice(state.count, end).map((row) => eventItem(history, row)).join(""));
    state.count = end;
    const button = document.getElementById(`more-${history.id}`);
    button.hidden = state.count >= state.rows.length;
    button.textContent = `Show more (${state.rows.length - state.count} left)`;
  }

  const kindCounts = new Map();
  for (const history of histories) {
    for (const row of history.events) kindCounts.set(row[column.kind], (kindCounts.get(row[column.kind]) || 0) + 1);
  }

  function renderKindFilter() {
    const boxes = document.getElementById("kind-boxes");
    boxes.innerHTML = [...kindCounts.keys()].sort().map((kind) =>
      `<label><input type="checkbox" name="kind" value="${escape(kind)}" checked> ${escape(kind.replace(/_/g, " "))} (${kindCounts.get(kind)})</label>`,
    ).join("");
  }

  for (const history of histories) {
    const button = document.getElementById(`more-${history.id}`);
    button.addEventListener("click", () => more(history));
    if ("IntersectionObserver" in window) {
      new IntersectionObserver((entries) => {
        if (entries.some((entry) => entry.isIntersecting)) more(history);
      }).observe(button);
    }
  }

  // --- the citation dialog ---------------------------------------------------------------------------
  function openCitation(historyId, id) {
    const history = histories.find((h) => h.id === historyId) || histories[0];
    const row = history.byId.get(id) || history.related.get(id);
    if (!row) return;
    const dialog = document.getElementById("citation");
    document.getElementById("citation-title").textContent = `${row[column.summary]} (${row[column.date]})`;
    const facts = [
      ["Event", row[column.id]],
      ["Date", `${row[column.date]} (from ${row[column.earliest]} to ${row[column.latest]})`],
      ["Kind", row[column.kind]],
      ["Actor", row[column.actor] + (row[column.target] ? ` → ${row[column.target]}` : "")],
    ];
    if (row[column.caused_by].length) facts.push(["Caused by", row[column.caused_by].join(", ")]);
    if (row[column.changes].length) facts.push(["Changed", row[column.changes].join("; ")]);
    document.getElementById("citation-facts").innerHTML = facts.map(([term, value]) => `<dt>${escape(term)}</dt><dd>${escape(value)}</dd>`).join("");
    document.getElementById("citation-sources").innerHTML = row[column.sources].map((index) => `<li>${escape(data.sources[index])}</li>`).join("");
    document.getElementById("citation-note").textContent = row[column.note];
    dialog.dataset.event = id;
    if (!dialog.open) dialog.showModal();
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.event-link");
    if (!link) return;
    event.preventDefault();
    openCitation(link.dataset.history, link.dataset.event);
  });

  // --- the date control ------------------------------------------------------------------------------
  const slider = document.getElementById("date-slider");
  const input = document.getElementById("date-input");
  const status = document.getElementById("date-status");
  const stopSet = new Set();
  for (const history of histories) {
    for (const day of history.answers.days) stopSet.add(day);
    for (const day of history.graph.days) stopSet.add(day);
  }
  const stops = [...stopSet].sort();
  if (!stops.length || data.span[0] < stops[0]) stops.unshift(data.span[0]);
  slider.max = String(stops.length - 1);
  slider.setAttribute("aria-valuemin", "0");
  let current = null;

  function show(asked, { fromSlider = false } = {}) {
    current = asked;
    if (!fromSlider) slider.value = String(Math.max(0, stretchOf(stops, asked.day) - 1));
    slider.setAttribute("aria-valuetext", asked.day);
    input.value = asked.text;
    document.getElementById("state-date").textContent = asked.text === asked.day ? asked.day : `${asked.text} (as of ${asked.day})`;
    document.getElementById("state-date").dateTime = asked.day;
    for (const history of histories) {
      renderState(history, chosenAnswer(history, asked));
      renderGraph(history, asked.day);
    }
    renderDifferences(asked.day);
    const cursor = bokehReady ? model("cursor") : null;
    if (cursor) cursor.location = dayMs(asked.day);
    status.classList.remove("error");
    status.textContent = `Showing the state on ${asked.day}` + (asked.text !== asked.day ? ` (asked: ${asked.text}).` : ".");
    try {
      history.replaceState(null, "", `#date=${asked.text}`);
    } catch (error) {
      // Some browsers refuse to change the address of a file opened from disk; the page works without it.
    }
  }

  function showText(text) {
    const asked = readDate(text);
    if (!asked) {
      status.classList.add("error");
      status.textContent = `"${text}" is not a date this page reads: type YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2008-09-10).`;
      return false;
    }
    show(asked);
    return true;
  }

  document.getElementById("date-form").addEventListener("submit", (event) => {
    event.preventDefault();
    showText(input.value);
  });
  slider.addEventListener("input", () => {
    const day = stops[Number(slider.value)];
    show({ text: day, day }, { fromSlider: true });
  });
  function step(by) {
    const index = Math.min(stops.length - 1, Math.max(0, Number(slider.value) + by));
    slider.value = String(index);
    show({ text: stops[index], day: stops[index] }, { fromSlider: true });
  }
  document.getElementById("previous-change").addEventListener("click", () => step(-1));
  document.getElementById("next-change").addEventListener("click", () => step(1));
  document.addEventListener("legation:select-day", (event) => showText(event.detail));
  const divergenceButton = document.getElementById("go-divergence");
  if (divergenceButton) {
    divergenceButton.addEventListener("click", () => {
      showText(document.getElementById("divergence").dataset.date);
      document.getElementById("state-title").scrollIntoView();
    });
  }
  document.getElementById("kinds-all").addEventListener("click", () => {
    for (const box of document.querySelectorAll('#kind-boxes input[name="kind"]')) box.checked = true;
    renderEvents();
  });
  document.getElementById("kinds-none").addEventListener("click", () => {
    for (const box of document.querySelectorAll('#kind-boxes input[name="kind"]')) box.checked = false;
    renderEvents();
  });
  document.getElementById("kind-filter").addEventListener("change", renderEvents);

  // --- start -----------------------------------------------------------------------------------------
  renderKindFilter();
  renderEvents();
  performance.mark("legation-listed");
  const fromAddress = /^#date=([0-9-]+)$/.exec(window.location.hash);
  const start = (fromAddress && readDate(fromAddress[1])) || { text: stops[stops.length - 1], day: stops[stops.length - 1] };
  show(start);
  performance.mark("legation-shown");

  const embedded = [Bokeh.embed.embed_item(charts.timeline, "timeline-chart")];
  charts.graphs.forEach((item, index) => embedded.push(Bokeh.embed.embed_item(item, `graph-${histories[index].id}`)));
  Promise.all(embedded).then(() => {
    bokehReady = true;
    show(current);
    performance.mark("legation-ready");
    document.documentElement.dataset.ready = "true";
  });
})();
