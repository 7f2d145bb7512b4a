// The page of `realpolitik serve`: answers, paths, what-ifs and news of one scenario.
//
// Everything shown comes from the server's JSON API (see docs/cli.md). Every text from
// the scenario, the news or a request goes into the page through text nodes and textContent,
// never parsed as HTML, and into a chart escaped, so no data can become markup.
"use strict";

(() => {
  const state = {
    settings: null,
    scenario: null,
    answers: null,
    paths: null,
    comparison: null,
    intervention: { set: new Map(), force: [], force_events: [] },
    job: null,
    charts: new Set(),
  };

  // ---- the DOM ---------------------------------------------------------------

  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) {
    for (const chart of node.querySelectorAll(".js-plotly-plot")) {
      Plotly.purge(chart);
      state.charts.delete(chart);
    }
    node.replaceChildren();
  }

  function showError(error) {
    const box = $("error");
    box.textContent = error instanceof Error ? error.message : String(error);
    box.hidden = false;
  }

  function clearMessages() {
    $("error").hidden = true;
    $("notice").hidden = true;
  }

  function notice(text) {
    const box = $("notice");
    box.textContent = text;
    box.hidden = false;
  }

  // ---- numbers ---------------------------------------------------------------

  const finite = (v) => typeof v === "number" && Number.isFinite(v);

  function num(v, digits = 3) {
    if (!finite(v)) return "n/a";
    if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString("en-US");
    if (v === 0) return "0";
    return String(Number(v.toPrecision(digits)));
  }

  function signedNum(v, digits = 3) {
    if (!finite(v)) return "n/a";
    return (v > 0 ? "+" : "") + num(v, digits);
  }

  const pct = (v) => (finite(v) ? `${(100 * v).toFixed(1)}%` : "n/a");
  const pts = (v) => (finite(v) ? `${v > 0 ? "+" : ""}${(100 * v).toFixed(1)}` : "n/a");
  const isProbability = (kind) => kind !== "quantiles";
  const withUnit = (text, unit) => (unit ? `${text} ${unit}` : text);

  function estimateText(kind, e, unit) {
    if (!e || !finite(e.value)) return "n/a";
    if (isProbability(kind)) return `${pct(e.value)} ± ${finite(e.se) ? (100 * e.se).toFixed(1) : "n/a"}`;
    return `${withUnit(num(e.value), unit)} ± ${num(e.se, 2)}`;
  }

  function intervalText(kind, e) {
    if (!e || !finite(e.value)) return "n/a";
    return isProbability(kind) ? `[${pct(e.low)}, ${pct(e.high)}]` : `[${num(e.low)}, ${num(e.high)}]`;
  }

  function deltaText(kind, e, unit) {
    if (!e || !finite(e.value)) return "n/a";
    if (isProbability(kind)) return `${pts(e.value)} pts ± ${finite(e.se) ? (100 * e.se).toFixed(1) : "n/a"}`;
    return `${withUnit(signedNum(e.value), unit)} ± ${num(e.se, 2)}`;
  }

  function deltaInterval(kind, e) {
    if (!e || !finite(e.value)) return "n/a";
    if (isProbability(kind)) return `[${pts(e.low)}, ${pts(e.high)}] pts`;
    return `[${signedNum(e.low)}, ${signedNum(e.high)}]`;
  }

  function deltaClass(e) {
    if (!e || !finite(e.low) || !finite(e.high)) return "delta";
    if (e.low > 0) return "delta up";
    if (e.high < 0) return "delta down";
    return "delta";
  }

  // ---- the server ------------------------------------------------------------

  async function api(method, path, body) {
    const options = { method, headers: {}, credentials: "same-origin" };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    let data = null;
    try {
      data = await response.json();
    } catch (_) {
      data = null;
    }
    if (!response.ok) {
      const error = new Error(data && data.error ? data.error : `${response.status} ${response.statusText}`);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function setBusy(busy) {
    for (const id of ["rerun", "run-whatif", "run-update"]) $(id).disabled = busy;
  }

  async function runJob(body, label) {
    setBusy(true);
    clearMessages();
    showStatus(label, 0, 0);
    try {
      let job = await api("POST", "/api/jobs", body);
      state.job = job.id;
      while (job.state === "queued" || job.state === "running") {
        await sleep(200);
        job = await api("GET", `/api/jobs/${encodeURIComponent(job.id)}`);
        showStatus(label, job.done, job.total, job.state);
      }
      if (job.state === "done") return job.result;
      if (job.state === "cancelled") {
        notice(`${label}: cancelled`);
        return null;
      }
      throw new Error(job.error || `${label} failed`);
    } finally {
      state.job = null;
      $("status").hidden = true;
      setBusy(false);
    }
  }

  function showStatus(label, done, total, jobState) {
    $("status").hidden = false;
    const bar = $("progress");
    if (total > 0) {
      bar.max = total;
      bar.value = Math.min(done, total);
    } else {
      bar.removeAttribute("value");
    }
    const share = total > 0 ? ` ${Math.round((100 * done) / total)}%` : "";
    $("status-text").textContent = `${label}${jobState === "queued" ? " (waiting)" : ""}…${share}`;
  }

  async function cancelJob() {
    if (!state.job) return;
    try {
      await api("DELETE", `/api/jobs/${encodeURIComponent(state.job)}`);
    } catch (error) {
      showError(error);
    }
  }

  // ---- charts ----------------------------------------------------------------

  // Plotly reads a few tags in its texts: escape them so that a name stays a name.
  const plotText = (text) => String(text ?? "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

  function asOfMarks() {
    const asOf = state.settings && state.settings.as_of;
    if (!asOf) return { shapes: [], annotations: [] };
    return {
      shapes: [{ type: "line", xref: "x", yref: "paper", x0: asOf, x1: asOf, y0: 0, y1: 1, line: { dash: "dot", color: "#444", width: 1 } }],
      annotations: [{ xref: "x", yref: "paper", x: asOf, y: 1, text: plotText(`as of ${asOf}`), showarrow: false, xanchor: "left", yanchor: "bottom", font: { size: 10 } }],
    };
  }

  function layout(title, extra) {
    return Object.assign(
      {
        title: { text: plotText(title), font: { size: 13 }, x: 0.01, xanchor: "left" },
        margin: { l: 55, r: 15, t: 45, b: 35 },
        height: 300,
        showlegend: true,
        legend: { orientation: "h", y: -0.15, font: { size: 10 } },
        xaxis: { type: "date" },
        hovermode: "x unified",
      },
      asOfMarks(),
      extra || {},
    );
  }

  function plot(container, traces, chartLayout, className) {
    const div = el("div", { class: className || "chart" });
    container.append(div);
    Plotly.newPlot(div, traces, chartLayout, { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["lasso2d", "select2d"] });
    state.charts.add(div);
    return div;
  }

  function band(x, low, high, name, color, yaxis) {
    if (!low || !high) return [];
    return [
      { x, y: high, mode: "lines", line: { width: 0 }, showlegend: false, hoverinfo: "skip", name: plotText(`${name} high`), yaxis },
      { x, y: low, mode: "lines", line: { width: 0 }, fill: "tonexty", fillcolor: color, name: plotText(name), hoverinfo: "skip", yaxis },
    ];
  }

  // ---- answers ---------------------------------------------------------------

  function questionCell(q) {
    return el(
      "td",
      null,
      el("span", { class: "qid" }, q.id),
      q.cites && q.cites.length ? el("span", { class: "cites" }, `(${q.cites.join(", ")})`) : null,
      el("div", { class: "qtext" }, q.text),
    );
  }

  function rangeText(a) {
    if (a.kind !== "quantiles" || a.status !== "ok") return "—";
    const qs = a.quantiles || {};
    const keys = Object.keys(qs).sort();
    if (!keys.length) return "—";
    const low = qs.q05 ? "q05" : keys[0];
    const high = qs.q95 ? "q95" : keys[keys.length - 1];
    const label = low === "q05" && high === "q95" ? "" : ` (${low}–${high})`;
    return withUnit(`${num(qs[low].value)} – ${num(qs[high].value)}`, a.unit) + label;
  }

  function renderAnswers(results) {
    state.answers = results;
    const run = results.run;
    $("title").textContent = `realpolitik: ${run.scenario_name}`;
    document.title = `realpolitik: ${run.scenario_name}`;
    $("run-info").textContent =
      `${run.runs.toLocaleString("en-US")} runs, seed ${run.seed}, from ${run.start} for ${run.horizon_days} days` +
      (run.as_of ? ` (as of ${run.as_of})` : "") + ` · realpolitik ${run.version}`;
    const body = $("answers-table").tBodies[0];
    body.replaceChildren();
    for (const a of results.answers) {
      const extra = [];
      if (a.status === "ok" && a.kind === "first_passage" && a.quantiles && Object.keys(a.quantiles).length) {
        extra.push("day it happens (if it does): " + Object.entries(a.quantiles).map(([k, e]) => `${k} ${num(e.value)}`).join("  "));
      }
      for (const c of a.checkpoints || []) {
        extra.push(`${a.kind === "quantiles" ? "on" : "by"} ${c.date}: ${a.kind === "quantiles" ? withUnit(num(c.estimate.value), a.unit) : pct(c.estimate.value)}`);
      }
      const main = a.status === "ok" ? estimateText(a.kind, a.estimate, a.unit) : "beyond the horizon";
      body.append(
        el(
          "tr",
          { dataset: { question: a.id } },
          questionCell(a),
          el("td", { class: "num" }, el("strong", null, main), extra.map((t) => el("div", { class: "small muted" }, t))),
          el("td", { class: "num" }, rangeText(a)),
          el("td", { class: "num" }, a.status === "ok" ? intervalText(a.kind, a.estimate) : "—"),
          el("td", { class: "num date" }, `${a.mode === "by" ? "by" : "on"} ${a.date}`),
          el("td", { class: "num delta" }, "—"),
        ),
      );
    }
    $("answers-command").textContent = `reproduce: ${run.command}`;
    renderConditioning(results.conditioning);
    renderEventCharts(results);
    if (state.comparison) markDeltas(state.comparison);
  }

  function renderConditioning(c) {
    const box = $("conditioning");
    box.replaceChildren();
    if (!c) {
      box.hidden = true;
      return;
    }
    const prices = Object.entries(c.prices || {}).map(([name, p]) => `${name} (${p.points} closes)`).join(", ");
    box.append(
      el(
        "p",
        null,
        `as of ${c.as_of}: ${(c.observations || []).length} observed indicator-days, ${c.covered_days} covered days` +
          (prices ? `, prices: ${prices}` : "") +
          `; ${c.ignored_future} items dated after ${c.as_of} ignored; ${c.resamplings} resamplings`,
      ),
    );
    if (c.warnings && c.warnings.length) box.append(el("ul", { class: "warnings" }, c.warnings.slice(0, 20).map((w) => el("li", null, w))));
    box.hidden = false;
  }

  function renderEventCharts(results) {
    const box = $("event-charts");
    clear(box);
    const shown = results.answers.filter((a) => a.over_time && a.over_time.dates && a.over_time.dates.length);
    if (!shown.length) {
      box.append(el("p", { class: "muted" }, "No probability question has an answer over time in this run."));
      return;
    }
    for (const a of shown) {
      const t = a.over_time;
      const traces = [
        ...band(t.dates, t.low, t.high, "95% interval", "rgba(31,95,153,0.18)"),
        { x: t.dates, y: t.value, mode: "lines", name: plotText("probability"), line: { color: "#1f5f99", width: 2 } },
      ];
      plot(box, traces, layout(`${a.id}: ${a.text}`, { yaxis: { rangemode: "tozero", tickformat: ".1~%" } }));
    }
  }

  // ---- paths -----------------------------------------------------------------

  function renderPaths(paths) {
    state.paths = paths;
    const box = $("fan-charts");
    clear(box);
    const observed = new Map((paths.observed || []).filter((o) => o.variable).map((o) => [o.variable, o]));
    const continuous = paths.elements.filter((e) => e.kind === "continuous" && e.stats.q50);
    for (const e of continuous) {
      const s = e.stats;
      const x = paths.dates;
      const traces = [
        ...band(x, s.q05, s.q95, "q05–q95", "rgba(31,95,153,0.13)"),
        ...band(x, s.q25, s.q75, "q25–q75", "rgba(31,95,153,0.28)"),
        { x, y: s.q50, mode: "lines", name: "median", line: { color: "#1f5f99", width: 2 } },
      ];
      if (s.mean) traces.push({ x, y: s.mean, mode: "lines", name: "mean", line: { color: "#b35c00", width: 1.5, dash: "dash" } });
      const seen = observed.get(e.id);
      if (seen && seen.dates.length) {
        traces.push({ x: seen.dates, y: seen.values, mode: "lines+markers", name: plotText(`observed (${seen.series})`), line: { color: "#111", width: 1 }, marker: { size: 3 } });
      }
      plot(box, traces, layout(e.unit ? `${e.id} (${e.unit})` : e.id));
    }
    if (!continuous.length) box.append(el("p", { class: "muted" }, "The scenario has no continuous variable."));
  }

  // ---- the what-if controls ----------------------------------------------------

  function maxDay() {
    const s = state.settings;
    return s ? Math.max(1, Math.floor(s.horizon_days)) : 36500;
  }

  function renderControls(description) {
    state.scenario = description;
    const list = $("param-list");
    list.replaceChildren();
    for (const p of description.parameters || []) list.append(parameterRow(p));
    const decisions = $("force-decision");
    decisions.replaceChildren(...(description.decisions || []).map((d) => el("option", { value: d.name }, d.actor ? `${d.name} (${d.actor})` : d.name)));
    fillOptions();
    $("event-name").replaceChildren(...(description.events || []).map((e) => el("option", { value: e.name }, e.name)));
    for (const id of ["force-day", "event-day"]) $(id).max = String(maxDay());
    $("force-add").disabled = !(description.decisions || []).length;
    $("event-add").disabled = !(description.events || []).length;
  }

  function parameterRow(p) {
    const prior = p.prior || {};
    const low = Number(p.low);
    const high = Number(p.high);
    const start = finite(Number(p.default)) ? Number(p.default) : finite(low) ? low : 0;
    const row = el("div", { class: "param", dataset: { name: p.name } });
    const check = el("input", { type: "checkbox", "aria-label": `set ${p.name}` });
    let value;
    let inputs;
    if (prior.distribution === "categorical" && Array.isArray(prior.values)) {
      const select = el("select", { "aria-label": p.name }, prior.values.map((v) => el("option", { value: String(v) }, String(v))));
      select.value = String(prior.values.includes(start) ? start : prior.values[0]);
      value = () => Number(select.value);
      select.addEventListener("change", () => { check.checked = true; update(); });
      inputs = [select, el("span")];
    } else {
      const number = el("input", { type: "number", step: "any", value: String(start), "aria-label": p.name });
      const sliding = finite(low) && finite(high) && high > low;
      const slider = sliding ? el("input", { type: "range", min: String(low), max: String(high), step: String((high - low) / 200), value: String(start), "aria-label": `${p.name} slider` }) : el("span");
      if (sliding) {
        slider.addEventListener("input", () => { number.value = slider.value; check.checked = true; update(); });
      }
      number.addEventListener("input", () => {
        if (sliding && finite(Number(number.value))) slider.value = number.value;
        check.checked = true;
        update();
      });
      value = () => Number(number.value);
      inputs = [slider, number];
    }
    function update() {
      if (check.checked && finite(value())) state.intervention.set.set(p.name, value());
      else state.intervention.set.delete(p.name);
      row.classList.toggle("set", check.checked);
      showIntervention();
    }
    check.addEventListener("change", update);
    row.append(
      check,
      el("span", { class: "name", title: p.rationale || "" }, p.name, p.cites && p.cites.length ? el("span", { class: "cites" }, `(${p.cites.join(", ")})`) : null),
      ...inputs,
      el(
        "div",
        { class: "about" },
        [prior.text, finite(low) && finite(high) ? `range ${num(low)}–${num(high)}${p.range ? ` (${p.range})` : ""}` : null, p.source && p.source.text ? `source: ${p.source.text}` : null]
          .filter(Boolean)
          .join(" · "),
      ),
    );
    row.reset = () => {
      check.checked = false;
      update();
    };
    return row;
  }

  function fillOptions() {
    const name = $("force-decision").value;
    const decision = ((state.scenario && state.scenario.decisions) || []).find((d) => d.name === name);
    $("force-option").replaceChildren(...(decision ? decision.options : []).map((o) => el("option", { value: o.name }, o.name)));
  }

  function dayFrom(input) {
    const day = Number(input.value);
    if (!Number.isInteger(day) || day < 1 || day > maxDay()) {
      throw new Error(`give a whole day from 1 to ${maxDay()}, not ${input.value || "nothing"}`);
    }
    return day;
  }

  function addForce() {
    try {
      const decision = $("force-decision").value;
      const option = $("force-option").value;
      if (!decision || !option) return;
      const day = dayFrom($("force-day"));
      state.intervention.force = state.intervention.force.filter((f) => f.decision !== decision);
      state.intervention.force.push({ decision, option, from_day: day });
      showIntervention();
    } catch (error) {
      showError(error);
    }
  }

  function addEvent() {
    try {
      const event = $("event-name").value;
      if (!event) return;
      const day = dayFrom($("event-day"));
      if (!state.intervention.force_events.some((e) => e.event === event && e.day === day)) {
        state.intervention.force_events.push({ event, day });
      }
      showIntervention();
    } catch (error) {
      showError(error);
    }
  }

  function interventionFlags() {
    const iv = state.intervention;
    const parts = [...iv.set].map(([name, v]) => `--set ${name}=${Number(v.toPrecision(6))}`);
    for (const f of iv.force) parts.push(`--force ${f.decision}=${f.option}${f.from_day !== 1 ? `@${f.from_day}` : ""}`);
    for (const e of iv.force_events) parts.push(`--force-event ${e.event}@${e.day}`);
    return parts.join(" ");
  }

  function showIntervention() {
    $("intervention-text").textContent = interventionFlags() || "none";
    const chips = (list, items, label, remove) =>
      list.replaceChildren(...items.map((item, i) => el("li", null, label(item), el("button", { type: "button", "aria-label": "remove", title: "remove", onclick: () => remove(i) }, "×"))));
    chips($("force-list"), state.intervention.force, (f) => `${f.decision} = ${f.option} from day ${f.from_day}`, (i) => {
      state.intervention.force.splice(i, 1);
      showIntervention();
    });
    chips($("event-list"), state.intervention.force_events, (e) => `${e.event} on day ${e.day}`, (i) => {
      state.intervention.force_events.splice(i, 1);
      showIntervention();
    });
  }

  function clearIntervention() {
    for (const row of $("param-list").children) if (row.reset) row.reset();
    state.intervention.force = [];
    state.intervention.force_events = [];
    showIntervention();
  }

  // ---- the what-if results ------------------------------------------------------

  function runsAndSeed() {
    const runs = Number($("runs").value);
    const seed = $("seed").value.trim();
    const max = state.settings ? state.settings.max_runs : 200000;
    if (!Number.isInteger(runs) || runs < 1 || runs > max) throw new Error(`runs: give a whole number from 1 to ${max.toLocaleString("en-US")}`);
    if (!/^[0-9]{1,19}$/.test(seed)) throw new Error("seed: give a whole number from 0 to 2^63 - 1");
    return { runs, seed: Number(seed) <= Number.MAX_SAFE_INTEGER ? Number(seed) : seed };
  }

  async function runWhatIf() {
    try {
      const { runs, seed } = runsAndSeed();
      const iv = state.intervention;
      const body = { kind: "whatif", runs, seed };
      if (iv.set.size) body.set = Object.fromEntries(iv.set);
      if (iv.force.length) body.force = iv.force;
      if (iv.force_events.length) body.force_events = iv.force_events;
      const comparison = await runJob(body, "what-if");
      if (comparison) renderComparison(comparison);
    } catch (error) {
      showError(error);
    }
  }

  function markDeltas(comparison) {
    const byId = new Map(comparison.questions.map((q) => [q.id, q]));
    for (const row of $("answers-table").tBodies[0].rows) {
      const q = byId.get(row.dataset.question);
      const cell = row.querySelector("td.delta");
      if (!cell) continue;
      cell.replaceChildren();
      if (!q) {
        cell.className = "num delta";
        cell.textContent = "—";
        continue;
      }
      cell.className = `num ${deltaClass(q.delta)}`;
      cell.append(el("strong", null, deltaText(q.kind, q.delta, q.unit)), el("div", { class: "small" }, deltaInterval(q.kind, q.delta)));
    }
  }

  function renderComparison(cmp) {
    state.comparison = cmp;
    markDeltas(cmp);
    const body = $("whatif-table").tBodies[0];
    body.replaceChildren();
    for (const q of cmp.questions) {
      body.append(
        el(
          "tr",
          { dataset: { question: q.id } },
          questionCell(q),
          el("td", { class: "num" }, estimateText(q.kind, q.baseline, q.unit)),
          el("td", { class: "num" }, estimateText(q.kind, q.intervention, q.unit)),
          el("td", { class: `num ${deltaClass(q.delta)}` }, deltaText(q.kind, q.delta, q.unit)),
          el("td", { class: "num" }, deltaInterval(q.kind, q.delta)),
          el("td", { class: "num" }, isProbability(q.kind) ? (finite(q.independent_se) ? `${(100 * q.independent_se).toFixed(1)} pts` : "n/a") : num(q.independent_se, 2)),
        ),
      );
      for (const c of q.checkpoints || []) {
        body.append(
          el(
            "tr",
            { class: "checkpoint" },
            el("td", null, `${q.kind === "quantiles" ? "on" : "by"} ${c.date}`),
            el("td", { class: "num" }, estimateText(q.kind, c.baseline, q.unit)),
            el("td", { class: "num" }, estimateText(q.kind, c.intervention, q.unit)),
            el("td", { class: `num ${deltaClass(c.delta)}` }, deltaText(q.kind, c.delta, q.unit)),
            el("td", { class: "num" }, deltaInterval(q.kind, c.delta)),
            el("td"),
          ),
        );
      }
    }
    $("whatif-command").textContent = `reproduce: ${cmp.run.command}`;
    $("whatif-results").hidden = false;
    renderComparisonOverTime(cmp);
    renderComparisonPaths(cmp.paths);
  }

  // A comparison's series: numbers, or estimates ({value, low, high}), or an object of arrays.
  function series(x) {
    if (!x) return null;
    if (Array.isArray(x)) {
      if (x.length && x[0] !== null && typeof x[0] === "object") return { value: x.map((e) => e && e.value), low: x.map((e) => e && e.low), high: x.map((e) => e && e.high) };
      return { value: x, low: null, high: null };
    }
    if (typeof x === "object") return { value: x.value || null, low: x.low || null, high: x.high || null };
    return null;
  }

  function comparisonChart(container, title, dates, baseline, intervention, delta, probability, extraDelta) {
    const yFormat = probability ? { tickformat: ".1~%" } : {};
    const traces = [
      ...band(dates, baseline && baseline.low, baseline && baseline.high, "baseline 95%", "rgba(90,90,90,0.12)"),
      { x: dates, y: baseline ? baseline.value : [], mode: "lines", name: "baseline", line: { color: "#555", width: 2 } },
      ...band(dates, intervention && intervention.low, intervention && intervention.high, "intervention 95%", "rgba(179,92,0,0.15)"),
      { x: dates, y: intervention ? intervention.value : [], mode: "lines", name: "intervention", line: { color: "#b35c00", width: 2 } },
    ];
    if (delta) {
      traces.push(...(extraDelta || []));
      traces.push(...band(dates, delta.low, delta.high, "difference 95%", "rgba(31,95,153,0.2)", "y2"));
      traces.push({ x: dates, y: delta.value, mode: "lines", name: "difference", line: { color: "#1f5f99", width: 2 }, yaxis: "y2" });
    }
    const chartLayout = layout(title, {
      height: delta ? 420 : 300,
      xaxis: { type: "date", anchor: delta ? "y2" : "y" },
      yaxis: Object.assign({ domain: delta ? [0.42, 1] : [0, 1] }, yFormat),
      yaxis2: Object.assign({ domain: [0, 0.32], anchor: "x", title: { text: "difference", font: { size: 10 } }, zeroline: true }, yFormat),
    });
    return plot(container, traces, chartLayout, "chart");
  }

  function renderComparisonOverTime(cmp) {
    const box = $("whatif-over-time");
    clear(box);
    const shown = cmp.questions.filter((q) => q.over_time && q.over_time.dates && q.over_time.dates.length);
    if (!shown.length) {
      box.append(el("p", { class: "muted" }, "No question has a comparison over time."));
      return;
    }
    for (const q of shown) {
      const t = q.over_time;
      comparisonChart(box, `${q.id}: ${q.text}`, t.dates, series(t.baseline), series(t.intervention), series(t.delta), isProbability(q.kind));
    }
  }

  function renderComparisonPaths(paths) {
    const select = $("path-select");
    const box = $("path-chart");
    clear(box);
    if (!paths || !paths.series || !paths.series.length) {
      select.replaceChildren();
      select.disabled = true;
      box.append(el("p", { class: "muted" }, "This comparison has no paths."));
      return;
    }
    select.disabled = false;
    const previous = select.value;
    select.replaceChildren(...paths.series.map((s, i) => el("option", { value: String(i) }, `${s.id} — ${s.stat}`)));
    select.value = previous && Number(previous) < paths.series.length ? previous : String(clearestChange(paths.series));
    drawPath();
  }

  // The series whose paired 95% interval excludes no change on the most days (else the first).
  function clearestChange(all) {
    let best = 0;
    let most = 0;
    all.forEach((s, i) => {
      const low = s.low || [];
      const high = s.high || [];
      let days = 0;
      for (let k = 0; k < low.length; k++) if ((finite(low[k]) && low[k] > 0) || (finite(high[k]) && high[k] < 0)) days++;
      if (days > most) {
        most = days;
        best = i;
      }
    });
    return best;
  }

  function drawPath() {
    const paths = state.comparison && state.comparison.paths;
    const box = $("path-chart");
    clear(box);
    if (!paths || !paths.series) return;
    const s = paths.series[Number($("path-select").value)];
    if (!s) return;
    const q = s.delta_quantiles;
    const fan = q ? [...band(paths.dates, q.q05, q.q95, "difference q05–q95 over runs", "rgba(31,95,153,0.08)", "y2"), ...band(paths.dates, q.q25, q.q75, "difference q25–q75 over runs", "rgba(31,95,153,0.15)", "y2")] : [];
    const probability = /^p_/.test(s.stat || "");
    comparisonChart(
      box,
      `${s.id} — ${s.stat}${paths.kept_runs ? ` (the difference's spread from ${paths.kept_runs} runs' paths)` : ""}`,
      paths.dates,
      series(s.baseline),
      series(s.intervention),
      { value: s.delta, low: s.low || null, high: s.high || null },
      probability,
      fan,
    ).classList.add("wide");
  }

  // ---- news ------------------------------------------------------------------

  async function loadNews() {
    const s = state.settings;
    if (!s.as_of) {
      $("news-summary").textContent = "Start the server with --as-of DATE and --db STORE (from realpolitik ingest) or --prices NAME=CSV to see what was observed and what it moved.";
      return;
    }
    $("update-controls").hidden = false;
    $("since").max = s.as_of;
    const news = await api("GET", "/api/news");
    const rows = news.observations || [];
    $("news-summary").textContent = news.db
      ? `${rows.length}${news.truncated ? " (the newest)" : ""} stored observations of ${s.name}'s indicators up to ${news.as_of} in ${news.db}; ${news.covered_days} days covered; ${news.ignored_future} items dated after ${news.as_of} ignored.`
      : `No news store (--db): observed up to ${news.as_of} from ${s.prices.join(", ") || "nothing"}.`;
    $("news-notes").replaceChildren(...(news.notes || []).map((n) => el("li", null, n)));
    const body = $("news-table").tBodies[0];
    body.replaceChildren(
      ...rows.map((o) =>
        el(
          "tr",
          null,
          el("td", { class: "num" }, o.happened),
          el("td", { class: "num" }, o.reported || "—"),
          el("td", null, o.indicator),
          el("td", { class: "num" }, num(o.confidence, 2)),
          el("td", null, o.modality),
          el("td", null, o.claimant || "—"),
          el("td", { class: "small" }, o.text),
        ),
      ),
    );
    $("news-table").hidden = !rows.length;
  }

  async function runUpdate() {
    try {
      const { runs, seed } = runsAndSeed();
      const body = { kind: "update", runs, seed };
      if ($("since").value) body.since = $("since").value;
      const result = await runJob(body, "update");
      if (result) renderUpdate(result);
    } catch (error) {
      showError(error);
    }
  }

  function renderUpdate(result) {
    const body = $("update-table").tBodies[0];
    body.replaceChildren();
    for (const q of result.questions) {
      const movers = (q.movers || []).filter((m) => finite(m.delta) && m.delta !== 0);
      const moved = (m) => (isProbability(q.kind) ? `${pts(m.delta)} pts` : withUnit(signedNum(m.delta), q.unit));
      body.append(
        el(
          "tr",
          { dataset: { question: q.id } },
          questionCell(q),
          el("td", { class: "num" }, estimateText(q.kind, q.before, q.unit)),
          el("td", { class: "num" }, estimateText(q.kind, q.after, q.unit)),
          el("td", { class: "num" }, isProbability(q.kind) ? `${pts(q.delta)} pts` : withUnit(signedNum(q.delta), q.unit)),
          el("td", null, movers.length ? el("ul", { class: "movers" }, movers.map((m) => el("li", null, `${moved(m)}  ${m.indicator} on ${m.date}`))) : "—"),
        ),
      );
    }
    $("update-table").hidden = false;
    $("update-command").textContent = `reproduce: ${result.command}`;
  }

  // ---- start -----------------------------------------------------------------

  async function loadAnswers(runs, seed) {
    const results = await runJob({ kind: "answers", runs, seed }, "answers");
    if (!results) return;
    renderAnswers(results);
    renderPaths(await api("GET", `/api/paths?runs=${encodeURIComponent(runs)}&seed=${encodeURIComponent(seed)}`));
  }

  async function loadScenario() {
    try {
      renderControls(await api("GET", "/api/scenario"));
    } catch (error) {
      const box = $("controls-error");
      box.textContent = `The controls need the scenario's description: ${error.message}`;
      box.hidden = false;
    }
  }

  async function main() {
    $("cancel").addEventListener("click", cancelJob);
    $("force-decision").addEventListener("change", fillOptions);
    $("force-add").addEventListener("click", addForce);
    $("event-add").addEventListener("click", addEvent);
    $("run-whatif").addEventListener("click", runWhatIf);
    $("clear-whatif").addEventListener("click", clearIntervention);
    $("run-update").addEventListener("click", runUpdate);
    $("path-select").addEventListener("change", drawPath);
    $("param-filter").addEventListener("input", () => {
      const text = $("param-filter").value.trim().toLowerCase();
      for (const row of $("param-list").children) row.hidden = Boolean(text) && !row.dataset.name.toLowerCase().includes(text);
    });
    $("run-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const { runs, seed } = runsAndSeed();
        await loadAnswers(runs, seed);
      } catch (error) {
        showError(error);
      }
    });
    if (typeof Plotly === "undefined") {
      showError("Plotly did not load (/static/plotly.min.js)");
      return;
    }
    try {
      state.settings = await api("GET", "/api/settings");
      const s = state.settings;
      $("runs").value = String(s.runs);
      $("runs").max = String(s.max_runs);
      $("seed").value = String(s.seed);
      $("day-origin").textContent = s.as_of ? `the as-of date, ${s.as_of}` : `the start, ${s.start}`;
      await loadScenario();
      await loadAnswers(s.runs, s.seed);
      await loadNews();
      document.body.dataset.ready = "true";
    } catch (error) {
      showError(error);
    }
  }

  main();
})();
