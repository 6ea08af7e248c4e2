// The analytics page: reads GET /analytics/rules for the chosen period and shows a table and a bar per rule.
// Everything is built as DOM nodes (the page's policy forbids HTML from strings).
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const API = new URL("rules", location.href.replace(/[^/]*$/, "")).href;
  const SVG = "http://www.w3.org/2000/svg";

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function isoDay(date) {
    return date.toISOString().slice(0, 10);
  }

  function query() {
    return `from=${encodeURIComponent($("from").value)}&to=${encodeURIComponent($("to").value)}`;
  }

  async function load() {
    $("problem").hidden = true;
    $("csv").href = `${API}?${query()}&format=csv`;
    $("status").textContent = "Loading…";
    let response;
    let body;
    try {
      response = await fetch(`${API}?${query()}`, { headers: { Accept: "application/json" } });
      body = await response.json();
    } catch (e) {
      show([]);
      $("problem").textContent = `Could not read ${API}: ${e.message}`;
      $("problem").hidden = false;
      $("status").textContent = "";
      return;
    }
    if (!response.ok) {
      show([]);
      const issues = Array.isArray(body.issue) ? body.issue.map((i) => i.diagnostics || i.code).join("; ") : "";
      $("problem").textContent = `HTTP ${response.status}. ${issues}`;
      $("problem").hidden = false;
      $("status").textContent = "";
      return;
    }
    const rules = Array.isArray(body.rules) ? body.rules : [];
    show(rules);
    $("status").textContent = rules.length === 0
      ? "No card was shown in this period."
      : `${rules.length} rule${rules.length === 1 ? "" : "s"} shown between ${body.from} and ${body.to}.`;
  }

  function percent(part, whole) {
    return whole === 0 ? "–" : `${Math.round((100 * part) / whole)}%`;
  }

  function show(rules) {
    const body = $("rules").tBodies[0];
    body.replaceChildren();
    for (const rule of rules) {
      const row = document.createElement("tr");
      row.dataset.rule = rule.ruleId;
      const name = element("th", rule.ruleId);
      name.scope = "row";
      const reasons = (rule.overrideReasons || []).map((r) => `${r.code} (${r.cards})`);
      if (rule.overriddenWithoutReason) reasons.push(`no reason given (${rule.overriddenWithoutReason})`);
      row.append(name, element("td", rule.shown), element("td", rule.accepted), element("td", rule.overridden),
        element("td", rule.ignored), element("td", percent(rule.overridden, rule.shown)),
        element("td", reasons.join(", ")), element("td", rule.comments),
        element("td", (rule.acceptedSuggestions || []).map((s) => `${s.label} (${s.accepted})`).join(", ")));
      body.append(row);
    }
    $("rules").hidden = rules.length === 0;
    chart(rules);
  }

  /** One horizontal bar per rule, split by outcome; a card both accepted and overridden is in both parts. */
  function chart(rules) {
    const figure = $("chart-figure");
    const target = $("chart");
    target.replaceChildren();
    figure.hidden = rules.length === 0;
    if (rules.length === 0) return;
    const rowHeight = 26;
    const labelWidth = 300;
    const barWidth = 400;
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", `0 0 ${labelWidth + barWidth + 60} ${rules.length * rowHeight + 10}`);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Outcome of the cards carrying each rule; the table below has the numbers");
    const most = Math.max(...rules.map((r) => r.accepted + r.overridden + r.ignored), 1);
    rules.forEach((rule, i) => {
      const y = i * rowHeight + 5;
      const label = document.createElementNS(SVG, "text");
      label.setAttribute("x", String(labelWidth - 8));
      label.setAttribute("y", String(y + 15));
      label.setAttribute("text-anchor", "end");
      label.textContent = rule.ruleId;
      svg.append(label);
      let x = labelWidth;
      for (const [part, count] of [["accepted", rule.accepted], ["overridden", rule.overridden], ["ignored", rule.ignored]]) {
        const width = (barWidth * count) / most;
        const bar = document.createElementNS(SVG, "rect");
        bar.setAttribute("x", String(x));
        bar.setAttribute("y", String(y));
        bar.setAttribute("width", String(width));
        bar.setAttribute("height", String(rowHeight - 8));
        bar.setAttribute("class", part);
        const title = document.createElementNS(SVG, "title");
        title.textContent = `${rule.ruleId}: ${count} ${part === "ignored" ? "without feedback" : part}`;
        bar.append(title);
        svg.append(bar);
        x += width;
      }
      const total = document.createElementNS(SVG, "text");
      total.setAttribute("x", String(x + 6));
      total.setAttribute("y", String(y + 15));
      total.textContent = String(rule.shown);
      svg.append(total);
    });
    target.append(svg);
  }

  const params = new URLSearchParams(location.search);
  const today = new Date();
  $("to").value = params.get("to") || isoDay(today);
  $("from").value = params.get("from") || isoDay(new Date(today.getTime() - 29 * 86400000));
  $("period").addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  load();
})();
