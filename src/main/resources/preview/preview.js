// The ordering preview: a small mock EHR. Everything goes through the service's public endpoints, as an EHR's
// would: discovery, prefetch read from the FHIR server with the discovered templates, order-select while an
// order is picked or edited, order-sign on Sign, feedback when a suggestion is accepted or a card overridden.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const CDS_BASE = endpoint(params.get("cds"), "../cds-services");
  const FHIR_BASE = endpoint(params.get("fhir"), "../fhir");
  const USER_ID = "Practitioner/sandbox-clinician";
  const EDIT_DELAY_MS = 400;

  const SNOMED = "http://snomed.info/sct";
  // the routes by which a pump delivers a drug (fhir-profiles/ValueSet-pump-routes.json)
  const ROUTES = [
    { code: "72607000", display: "Intrathecal route" },
    { code: "404820008", display: "Epidural route" },
    { code: "58100008", display: "Intra-arterial route" },
    { code: "38239002", display: "Intraperitoneal route" },
  ];
  const DILUENTS = ["sodium chloride 0.9% preservative-free", "bacteriostatic sodium chloride 0.9% (benzyl alcohol)"];
  const PHARMACIES = [
    { reference: "Organization/pharmacy-ma", label: "Boston, MA" },
    { reference: "Organization/pharmacy-ut", label: "Salt Lake City, UT" },
    { reference: "Organization/pharmacy-ny", label: "Albany, NY" },
  ];

  const state = {
    catalog: null,
    services: {},      // hook -> discovered service
    patient: null,
    template: null,
    draft: [],         // the draft order's FHIR resources
    lastHook: "order-select",
    editTimer: null,
    callNumber: 0,
  };

  /**
   * The page's own service and FHIR server, or (?cds=, ?fhir=) another one on this machine, such as a HAPI FHIR
   * server running the plug-in: never a remote host, so a crafted link cannot send what is typed here elsewhere.
   */
  function endpoint(requested, ownPath) {
    const own = new URL(ownPath, location.href);
    if (!requested) {
      return own.href.replace(/\/+$/, "");
    }
    let url;
    try {
      url = new URL(requested, location.href);
    } catch (e) {
      url = null;
    }
    const local = url && (url.protocol === "http:" || url.protocol === "https:")
      && (url.origin === location.origin || ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname));
    if (!local) {
      showProblem(`Ignored ${requested}: the preview talks only to this machine (localhost).`);
      return own.href.replace(/\/+$/, "");
    }
    if (url.origin !== location.origin) {
      $("foreign").textContent = `Calling ${url.origin}, not this page's server.`;
      $("foreign").hidden = false;
    }
    return url.href.replace(/\/+$/, "");
  }

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) {
        continue;
      }
      if (name === "className") {
        node.className = value;
      } else {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    }
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  }

  function uuid() {
    if (crypto.randomUUID) {
      return crypto.randomUUID();
    }
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function setBusy(busy) {
    const cards = $("cards");
    cards.setAttribute("aria-busy", String(busy));
    for (const control of cards.querySelectorAll("button, select, textarea")) {
      control.disabled = busy;
    }
  }

  function setStatus(text) {
    $("status").textContent = text;
  }

  function showProblem(text) {
    const problem = $("problem");
    problem.textContent = text;
    problem.hidden = !text;
  }

  // ---- start-up ------------------------------------------------------------------------------------------------

  async function start() {
    try {
      const [catalog, discovery] = await Promise.all([getJson("catalog.json"), getJson(CDS_BASE)]);
      state.catalog = catalog;
      for (const service of discovery.services || []) {
        if (!state.services[service.hook]) {
          state.services[service.hook] = service;
        }
      }
      if (!state.services["order-select"] || !state.services["order-sign"]) {
        throw new Error(`discovery at ${CDS_BASE} lists no order-select or order-sign service`);
      }
    } catch (e) {
      showProblem(`Could not start: ${e.message}`);
      return;
    }
    renderPatients();
    renderTemplates();
    $("order-template").addEventListener("change", () => pickTemplate($("order-template").value));
    $("order-form").addEventListener("submit", (event) => {
      event.preventDefault();
      call("order-sign");
    });
    pickPatient(state.catalog.patients[0].id);
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      throw new Error(`${url} answered ${response.status}`);
    }
    return response.json();
  }

  function renderPatients() {
    const fieldset = $("patients");
    for (const patient of state.catalog.patients) {
      const id = `patient-${patient.id}`;
      const input = element("input", { type: "radio", name: "patient", id, value: patient.id, "aria-describedby": `${id}-story` });
      input.addEventListener("change", () => pickPatient(patient.id));
      fieldset.append(element("div", { className: "choice" }, input, element("div", {},
        element("label", { for: id }, patient.name), element("p", { className: "story", id: `${id}-story` }, patient.story))));
    }
  }

  function renderTemplates() {
    const select = $("order-template");
    for (const order of state.catalog.orders) {
      select.append(element("option", { value: order.id }, order.label));
    }
  }

  function pickPatient(patientId) {
    state.patient = state.catalog.patients.find((p) => p.id === patientId);
    document.querySelector(`input[name=patient][value="${CSS.escape(patientId)}"]`).checked = true;
    pickTemplate(state.patient.order);
  }

  function pickTemplate(templateId) {
    state.template = state.catalog.orders.find((o) => o.id === templateId);
    $("order-template").value = templateId;
    state.draft = structuredClone(state.template.resources);
    for (const resource of state.draft) {
      resource.subject = { reference: `Patient/${state.patient.id}` };
    }
    renderOrderFields();
    call("order-select");
  }

  // ---- the draft order's editable fields -----------------------------------------------------------------------

  function drugOrder() {
    return state.draft.find((r) => r.resourceType === "MedicationRequest");
  }

  function medicationOf(request) {
    const reference = request.medicationReference && request.medicationReference.reference;
    const contained = request.contained || [];
    return contained.find((r) => r.resourceType === "Medication" && reference === `#${r.id}`)
      || contained.find((r) => r.resourceType === "Medication");
  }

  function ingredientName(ingredient) {
    const concept = ingredient.itemCodeableConcept || {};
    const coding = (concept.coding || [])[0] || {};
    return coding.display || concept.text || coding.code || "ingredient";
  }

  function renderOrderFields() {
    const fields = $("order-fields");
    fields.replaceChildren();
    const request = drugOrder();
    const medication = request && medicationOf(request);
    if (state.template.kind === "refill" && request && medication) {
      renderRefillFields(fields, request, medication);
    }
    renderDraftSummary();
  }

  function field(id, labelText, control) {
    control.id = id;
    return element("div", { className: "field" }, element("label", { for: id }, labelText), control);
  }

  function onEdit(control, apply) {
    control.addEventListener("change", () => {
      setBusy(true);
      apply(control.value);
      renderDraftSummary();
      clearTimeout(state.editTimer);
      state.editTimer = setTimeout(() => call("order-select"), EDIT_DELAY_MS);
    });
  }

  function renderRefillFields(fields, request, medication) {
    const dosage = (request.dosageInstruction = request.dosageInstruction || [{}])[0];
    const route = element("select", {});
    for (const r of ROUTES) {
      route.append(element("option", { value: r.code }, r.display));
    }
    route.value = (((dosage.route || {}).coding || [])[0] || {}).code || "";
    onEdit(route, (code) => {
      const chosen = ROUTES.find((r) => r.code === code);
      dosage.route = { coding: [{ system: SNOMED, code: chosen.code, display: chosen.display }] };
    });
    fields.append(field("route", "Route", route));

    (medication.ingredient || []).forEach((ingredient, index) => {
      const numerator = ingredient.strength && ingredient.strength.numerator;
      if (ingredient.isActive === false || !numerator) {
        return;
      }
      const per = ingredient.strength.denominator ? `/${ingredient.strength.denominator.unit || "mL"}` : "";
      const strength = element("input", { type: "number", min: "0", step: "any", inputmode: "decimal" });
      strength.value = numerator.value;
      onEdit(strength, (value) => {
        numerator.value = Number(value);
      });
      fields.append(field(`strength-${index}`, `${ingredientName(ingredient)} strength (${numerator.unit || ""}${per})`, strength));
    });

    const diluent = element("select", {}, element("option", { value: "" }, "none"));
    for (const d of DILUENTS) {
      diluent.append(element("option", { value: d }, d));
    }
    const current = (medication.ingredient || []).find((i) => i.isActive === false);
    diluent.value = current ? ingredientName(current) : "";
    onEdit(diluent, (value) => {
      medication.ingredient = (medication.ingredient || []).filter((i) => i.isActive !== false);
      if (value) {
        medication.ingredient.push({ itemCodeableConcept: { text: value }, isActive: false });
      }
    });
    fields.append(field("diluent", "Diluent", diluent));

    const dispense = (request.dispenseRequest = request.dispenseRequest || {});
    const interval = element("input", { type: "number", min: "1", step: "1", inputmode: "numeric" });
    interval.value = dispense.expectedSupplyDuration ? dispense.expectedSupplyDuration.value : "";
    onEdit(interval, (value) => {
      dispense.expectedSupplyDuration = value === ""
        ? undefined
        : { value: Number(value), unit: "days", system: "http://unitsofmeasure.org", code: "d" };
    });
    fields.append(field("interval", "Refill interval (days)", interval));

    const pharmacy = element("select", {}, element("option", { value: "" }, "not on record"));
    for (const p of PHARMACIES) {
      pharmacy.append(element("option", { value: p.reference }, p.label));
    }
    pharmacy.value = dispense.performer ? dispense.performer.reference : "";
    onEdit(pharmacy, (reference) => {
      dispense.performer = reference ? { reference } : undefined;
    });
    fields.append(field("pharmacy", "Dispensing pharmacy", pharmacy));
  }

  function describe(resource) {
    const concept = resource.code || resource.codeCodeableConcept || resource.medicationCodeableConcept;
    const medication = resource.resourceType === "MedicationRequest" ? medicationOf(resource) : null;
    const text = (medication && medication.code && medication.code.text)
      || (concept && (concept.text || ((concept.coding || [])[0] || {}).display || ((concept.coding || [])[0] || {}).code))
      || resource.id;
    const parts = [`${resource.resourceType}: ${text}`];
    if (resource.resourceType === "MedicationRequest") {
      const route = ((((resource.dosageInstruction || [])[0] || {}).route || {}).coding || [])[0];
      const supply = (resource.dispenseRequest || {}).expectedSupplyDuration;
      const performer = (resource.dispenseRequest || {}).performer;
      if (route) parts.push(route.display || route.code);
      if (supply) parts.push(`refill every ${supply.value} days`);
      if (performer) parts.push(`pharmacy ${(PHARMACIES.find((p) => p.reference === performer.reference) || { label: performer.reference }).label}`);
    }
    return parts.join(", ");
  }

  function renderDraftSummary() {
    const summary = $("draft-summary");
    summary.replaceChildren(element("span", { className: "label" }, "Draft order:"));
    const list = element("ul", { id: "draft-resources" });
    for (const resource of state.draft) {
      list.append(element("li", { "data-resource": `${resource.resourceType}/${resource.id}` }, describe(resource)));
    }
    summary.append(list);
  }

  // ---- calling the service -------------------------------------------------------------------------------------

  async function prefetchFor(service) {
    const patientId = encodeURIComponent(state.patient.id);
    const entries = await Promise.all(Object.entries(service.prefetch || {}).map(async ([key, template]) => {
      const query = String(template).replace(/\{\{\s*context\.patientId\s*\}\}/g, patientId)
        .replace(/\{\{\s*context\.userId\s*\}\}/g, encodeURIComponent(USER_ID));
      if (typeof template !== "string" || query.includes("{{")) {
        return null; // a token this EHR cannot fill: the service queries it itself
      }
      const url = new URL(`${FHIR_BASE}/${query}`);
      if (!url.href.startsWith(`${FHIR_BASE}/`)) {
        return null; // a template that climbs out of the FHIR server (../) is not this EHR's data to send
      }
      try {
        const response = await fetch(url, { headers: { Accept: "application/fhir+json" } });
        return response.ok ? [key, await response.json()] : null;
      } catch (e) {
        return null;
      }
    }));
    return Object.fromEntries(entries.filter(Boolean));
  }

  async function call(hook) {
    clearTimeout(state.editTimer);
    state.lastHook = hook;
    const service = state.services[hook];
    const number = ++state.callNumber;
    const context = {
      userId: USER_ID,
      patientId: state.patient.id,
      draftOrders: { resourceType: "Bundle", type: "collection", entry: state.draft.map((resource) => ({ resource })) },
    };
    if (hook === "order-select") {
      context.selections = state.draft.map((r) => `${r.resourceType}/${r.id}`);
    }
    setStatus(`Calling ${hook}…`);
    setBusy(true); // the cards on screen answer the previous draft: not to be acted on meanwhile
    const request = {
      hook,
      hookInstance: uuid(),
      fhirServer: FHIR_BASE,
      fhirAuthorization: {
        access_token: "ordering-preview-sandbox-token",
        token_type: "Bearer",
        expires_in: 300,
        scope: "patient/*.read",
        subject: "ordering-preview",
        patient: state.patient.id,
      },
      context,
      prefetch: await prefetchFor(service),
    };
    const url = `${CDS_BASE}/${encodeURIComponent(service.id)}`;
    $("request-url").textContent = `POST ${url}`;
    $("request-json").textContent = JSON.stringify(request, null, 2);
    const started = performance.now();
    let response;
    let text;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(request),
      });
      text = await response.text();
    } catch (e) {
      if (number === state.callNumber) {
        setBusy(false);
        showProblem(`Could not reach ${url}: ${e.message}`);
        setStatus("");
      }
      return;
    }
    if (number !== state.callNumber) {
      return; // a later call (a newer edit) has been sent; its answer is the one to show
    }
    setBusy(false);
    $("cards").dataset.answer = String(number); // which call the cards on screen answer (tests wait on it)
    const millis = Math.round(performance.now() - started);
    $("response-status").textContent = `HTTP ${response.status} in ${millis} ms`;
    let body = null;
    try {
      body = JSON.parse(text);
      $("response-json").textContent = JSON.stringify(body, null, 2);
    } catch (e) {
      $("response-json").textContent = text;
    }
    if (!response.ok) {
      renderCards([], service, hook);
      showProblem(problemText(response.status, body));
      setStatus(`${hook} refused the call (HTTP ${response.status})`);
      return;
    }
    showProblem("");
    const cards = Array.isArray(body && body.cards) ? body.cards : [];
    renderCards(cards, service, hook);
    setStatus(cards.length === 0
      ? `${hook}: no cards (${millis} ms). No pump order recognised, or no pump rule found anything to flag; `
        + "this service does not check dose, interactions, allergies or indication."
      : `${hook}: ${countByIndicator(cards)} (${millis} ms)`);
  }

  function countByIndicator(cards) {
    const counts = {};
    for (const card of cards) {
      const label = indicatorOf(card);
      counts[label] = (counts[label] || 0) + 1;
    }
    return Object.entries(counts).map(([label, n]) => `${n} ${label.toLowerCase()} card${n === 1 ? "" : "s"}`).join(", ");
  }

  function problemText(status, body) {
    const issues = (Array.isArray(body && body.issue) ? body.issue : []).map((issue) => {
      const where = Array.isArray(issue.expression) ? issue.expression.join(", ") : "";
      return `${where}${where ? ": " : ""}${issue.diagnostics || issue.code}`;
    });
    const hint = status === 401
      ? " Client authentication is on (pumpcds.client-auth.required): the preview cannot sign the EHR's JWT."
      : "";
    return `HTTP ${status}. ${issues.join("; ")}${hint}`;
  }

  // ---- cards ---------------------------------------------------------------------------------------------------

  const INDICATOR_LABELS = { critical: "Critical", warning: "Warning", info: "Info" };

  /** The card's indicator as shown; one this page does not know is shown as sent, styled as a warning. */
  function indicatorOf(card) {
    return INDICATOR_LABELS[card.indicator] || String(card.indicator || "unknown");
  }

  function renderCards(cards, service, hook) {
    const container = $("cards");
    container.replaceChildren();
    container.dataset.hook = hook;
    cards.forEach((card, index) => container.append(renderCard(card, index, service)));
  }

  function renderCard(card, index, service) {
    const indicator = INDICATOR_LABELS[card.indicator] ? card.indicator : "warning";
    const headingId = `card-${index}-summary`;
    const article = element("article", {
      className: `card card-${indicator}`, "aria-labelledby": headingId, "data-indicator": indicator, "data-card": card.uuid,
    });
    article.append(element("header", {},
      element("span", { className: "badge" }, indicatorOf(card)),
      element("h3", { id: headingId }, Markdown.decodeEntities(card.summary || ""))));
    if (card.detail) {
      const detail = Markdown.render(String(card.detail));
      detail.className = "detail";
      article.append(detail);
    }
    if (card.source) {
      const href = card.source.url && Markdown.safeUrl(card.source.url);
      article.append(element("p", { className: "source" }, "Source: ",
        href ? element("a", { href, rel: "noopener noreferrer", target: "_blank" }, card.source.label) : card.source.label));
    }
    const links = (card.links || []).filter((link) => link.type !== "smart" && Markdown.safeUrl(link.url));
    if (links.length) {
      const list = element("ul", { className: "links" });
      for (const link of links) {
        list.append(element("li", {}, element("a", { href: Markdown.safeUrl(link.url), rel: "noopener noreferrer", target: "_blank" }, link.label)));
      }
      article.append(list);
    }
    const actions = element("div", { className: "card-actions" });
    for (const suggestion of card.suggestions || []) {
      const button = element("button", { type: "button", className: "accept", "data-suggestion": suggestion.uuid },
        `Accept: ${suggestion.label}`);
      button.addEventListener("click", () => accept(card, suggestion, service));
      actions.append(button);
    }
    if (card.indicator !== "info" || (card.overrideReasons || []).length) {
      actions.append(overrideControl(card, index, service, article));
    }
    if (actions.childElementCount) {
      article.append(actions);
    }
    return article;
  }

  function overrideControl(card, index, service, article) {
    const reasons = card.overrideReasons || [];
    const details = element("details", { className: "override" }, element("summary", {}, "Override…"));
    const form = element("form", {});
    const reasonId = `override-reason-${index}`;
    const commentId = `override-comment-${index}`;
    const reason = element("select", { id: reasonId, name: "reason", required: reasons.length > 0 });
    // nothing preselected: a reason is recorded only when the clinician chose one
    reason.append(element("option", { value: "" }, reasons.length ? "Choose a reason…" : "No reason offered"));
    reasons.forEach((r, i) => reason.append(element("option", { value: String(i) }, r.display || r.code)));
    const comment = element("textarea", { id: commentId, name: "comment", rows: "2", maxlength: "1000" });
    reason.addEventListener("change", () => reason.setCustomValidity(""));
    form.append(
      element("div", { className: "field" }, element("label", { for: reasonId }, "Reason"), reason),
      element("div", { className: "field" }, element("label", { for: commentId }, "Comment (optional)"), comment),
      element("button", { type: "submit", className: "submit-override" }, "Submit override"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (reasons.length && reason.value === "") {
        reason.setCustomValidity("Choose the reason for overriding this card");
        reason.reportValidity();
        return;
      }
      const chosen = reason.value === "" ? null : reasons[Number(reason.value)];
      const overrideReason = {};
      if (chosen) overrideReason.reason = chosen;
      if (comment.value.trim()) overrideReason.userComment = comment.value.trim();
      const item = { card: card.uuid, outcome: "overridden", outcomeTimestamp: new Date().toISOString() };
      if (Object.keys(overrideReason).length) item.overrideReason = overrideReason;
      const stored = await sendFeedback(service, item);
      if (stored) {
        article.classList.add("overridden");
        article.querySelector(".card-actions").replaceChildren(element("p", { className: "outcome" },
          `Overridden${chosen ? `: ${chosen.display || chosen.code}` : ""}`));
        $("feedback-status").focus();
      }
    });
    details.append(form);
    return details;
  }

  /** Applies a suggestion's actions to the draft order; false (and nothing changed) if one cannot be applied. */
  function applyActions(actions) {
    const draft = structuredClone(state.draft);
    for (const action of Array.isArray(actions) ? actions : []) {
      const resource = action.resource;
      if (action.type === "create" && resource) {
        const copy = structuredClone(resource);
        copy.id = copy.id || uuid();
        draft.push(copy);
      } else if (action.type === "update" && resource) {
        const at = draft.findIndex((r) => r.resourceType === resource.resourceType && r.id === resource.id);
        if (at < 0) {
          showProblem(`Not applied: the suggestion updates ${resource.resourceType}/${resource.id}, which is not on the draft order.`);
          return false;
        }
        draft[at] = structuredClone(resource);
      } else if (action.type === "delete") {
        const references = Array.isArray(action.resourceId) ? action.resourceId
          : (resource ? [`${resource.resourceType}/${resource.id}`] : []);
        const kept = draft.filter((r) => !references.includes(`${r.resourceType}/${r.id}`));
        draft.length = 0;
        draft.push(...kept);
      } else {
        showProblem(`Not applied: the suggestion has an action this page cannot apply (${action.type}).`);
        return false;
      }
    }
    state.draft = draft;
    return true;
  }

  async function accept(card, suggestion, service) {
    if (!applyActions(suggestion.actions)) {
      return; // no feedback: nothing was accepted
    }
    renderOrderFields();
    const item = { card: card.uuid, outcome: "accepted", outcomeTimestamp: new Date().toISOString() };
    if (suggestion.uuid) {
      item.acceptedSuggestions = [{ id: suggestion.uuid }];
    }
    await sendFeedback(service, item);
    await call(state.lastHook); // the draft changed: the service answers again, as an EHR re-fires the hook
    $("status").focus();
  }

  async function sendFeedback(service, item) {
    const url = `${CDS_BASE}/${encodeURIComponent(service.id)}/feedback`;
    const body = { feedback: [item] };
    $("request-url").textContent = `POST ${url}`;
    $("request-json").textContent = JSON.stringify(body, null, 2);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      $("response-status").textContent = `HTTP ${response.status}`;
      $("response-json").textContent = text;
      if (!response.ok) {
        showProblem(`Feedback refused: HTTP ${response.status}`);
        return false;
      }
      const answer = JSON.parse(text);
      const feedback = $("feedback-status");
      feedback.textContent = `Feedback sent (${item.outcome}): the service received ${answer.received}, stored ${answer.stored}.`;
      feedback.dataset.outcome = item.outcome;
      return true;
    } catch (e) {
      showProblem(`Could not send feedback to ${url}: ${e.message}`);
      return false;
    }
  }

  start();
})();
