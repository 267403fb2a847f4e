// The quiz in the browser (an anywidget ES module; no build step, no network).
//
// Native form controls carry the semantics: each item is a fieldset named by its legend, which
// holds the question as an h3; radios share a name (one Tab stop, arrows move); every control has
// a label. Check sends the answer on screen in the same message as the click; the kernel scores
// exactly that and sends back HTML (escaped there) for the item's one live region, which stays in
// the page and only changes its content. All texts come from the kernel in the quiz's language.

const GONE = new Set(["dead", "restarting", "autorestarting", "terminating"]);
const NO_REPLY_MS = 10000; // then ask the kernel's status: gone, or only busy?
let quizCount = 0;

function make(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") node.className = value;
    else if (key === "html") node.innerHTML = value; // only HTML the kernel escaped
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function readAnswer(item, inputs) {
  switch (item.kind) {
    case "single": {
      const chosen = inputs.find((i) => i.checked);
      return chosen ? Number(chosen.value) : null;
    }
    case "truefalse": {
      const chosen = inputs.find((i) => i.checked);
      return chosen ? chosen.value === "true" : null;
    }
    case "multiple":
      return inputs.flatMap((i, n) => (i.checked ? [n] : []));
    case "matching": {
      const values = inputs.map((s) => (s.value === "" ? null : Number(s.value)));
      return values.every((v) => v === null) ? null : values;
    }
    default:
      return inputs[0].value;
  }
}

function showAnswer(item, inputs, value) {
  switch (item.kind) {
    case "single":
    case "truefalse":
      for (const i of inputs) i.checked = value !== null && value !== undefined && i.value === String(value);
      break;
    case "multiple":
      inputs.forEach((i, n) => (i.checked = Array.isArray(value) && value.includes(n)));
      break;
    case "matching":
      inputs.forEach((s, n) => {
        const v = Array.isArray(value) ? value[n] : null;
        s.value = v === null || v === undefined ? "" : String(v);
      });
      break;
    default:
      inputs[0].value = value === null || value === undefined ? "" : String(value);
  }
}

function sameAnswer(item, a, b) {
  if (item.kind === "numeric" || item.kind === "text") return String(a ?? "") === String(b ?? "");
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function buildInputs(item, texts, uid) {
  const inputs = [];
  const rows = [];
  const name = `${uid}-${item.id}`;
  if (item.kind === "single" || item.kind === "truefalse" || item.kind === "multiple") {
    const type = item.kind === "multiple" ? "checkbox" : "radio";
    item.options.forEach((label, n) => {
      const value = item.kind === "truefalse" ? String(n === 0) : String(n);
      const input = make("input", { type, name, value, id: `${name}-${n}` });
      inputs.push(input);
      rows.push(make("label", { class: "teachkit-option", for: input.id }, [input, make("span", { html: label })]));
    });
  } else if (item.kind === "matching") {
    item.prompts.forEach((prompt, n) => {
      const select = make("select", { id: `${name}-${n}` }, [make("option", { value: "", text: texts.choose })]);
      item.options.forEach((label, m) => select.append(make("option", { value: String(m), html: label })));
      inputs.push(select);
      rows.push(make("div", { class: "teachkit-pair" }, [make("label", { for: select.id, html: prompt }), select]));
    });
  } else {
    const hint = item.kind === "numeric" ? texts.number_placeholder : texts.text_placeholder;
    const input = make("input", { type: "text", id: `${name}-text`, placeholder: hint, autocomplete: "off" });
    inputs.push(input);
    const parts = [make("label", { for: input.id, text: texts.answer_label }), input];
    if (item.unit) parts.push(make("span", { class: "teachkit-unit", html: item.unit }));
    rows.push(make("div", { class: "teachkit-typed" }, parts));
  }
  return { inputs, rows };
}

function render({ model, el }) {
  const spec = model.get("spec");
  const texts = spec.texts;
  const uid = `teachkit-${++quizCount}-${Math.random().toString(36).slice(2, 8)}`;
  const manager = model.widget_manager || {};
  const session = manager.context && manager.context.sessionContext;
  const kernel = () => manager.kernel || (session && session.session && session.session.kernel) || null;
  let gone = false;
  let seq = Date.now(); // unique across views of the same quiz
  const views = new Map();

  // Keys pressed inside the quiz belong to the quiz: JupyterLab's shortcut handler (capture
  // phase) stops looking at data-lm-suppress-shortcuts; bubbling handlers never see the key.
  const quiz = make("div", { class: "teachkit-quiz", lang: spec.lang, "data-lm-suppress-shortcuts": "true" });
  quiz.addEventListener("keydown", (event) => event.stopPropagation());
  const goneBox = make("p", { class: "teachkit-kernel-gone", role: "status" });
  quiz.append(goneBox);

  function markGone() {
    if (gone) return;
    gone = true;
    quiz.classList.add("teachkit-gone");
    goneBox.textContent = `⚠ ${texts.kernel_gone}`;
    for (const v of views.values()) {
      v.check.setAttribute("aria-disabled", "true");
      v.retry.setAttribute("aria-disabled", "true");
      v.pending = null;
    }
  }

  function wireLinks(region) {
    const path = manager.context && manager.context.path;
    const folder = path ? path.split("/").slice(0, -1).join("/") : null;
    const links = manager.rendermime && manager.rendermime.linkHandler;
    for (const a of region.querySelectorAll("a.teachkit-see")) {
      const target = folder === null ? null : (folder ? `${folder}/` : "") + a.dataset.notebook;
      if (target && links) {
        // The way JupyterLab opens links in Markdown: open (or reveal) the lesson and scroll to the heading.
        links.handleLink(a, target, `#${a.dataset.anchor}`);
      } else {
        a.addEventListener("click", (event) => {
          const id = CSS.escape(a.dataset.anchor); // JupyterLab 4 marks headings with data-jupyter-id
          const heading = document.querySelector(`[data-jupyter-id="${id}"], [id="${id}"]`);
          if (heading) {
            event.preventDefault();
            heading.scrollIntoView();
          }
        });
      }
    }
  }

  function say(view, html) {
    // The live region stays; only its content changes, so it is announced once per change.
    view.region.innerHTML = html;
    wireLinks(view.region);
  }

  function updateStale(view) {
    const stale = view.judged !== undefined && !sameAnswer(view.item, readAnswer(view.item, view.inputs), view.judged);
    view.box.classList.toggle("teachkit-stale", stale);
    view.staleNote.hidden = !stale;
  }

  function applyFeedback() {
    const all = model.get("feedback") || {};
    for (const view of views.values()) {
      const entry = all[view.item.id];
      if (entry && view.pending && entry.seq && entry.seq < view.pending.seq) continue; // a newer Check is on its way
      const html = entry ? entry.html : "";
      const key = entry ? `${entry.seq}|${html}` : "";
      if (key !== view.shownKey) {
        view.shownKey = key;
        say(view, html);
      }
      view.judged = entry ? entry.answer : undefined;
      updateStale(view);
    }
  }

  function watch(view, sent) {
    setTimeout(() => {
      if (gone || !view.pending || view.pending.seq !== sent) return;
      const k = kernel();
      if (!k || k.isDisposed || GONE.has(k.status)) markGone();
      else if (k.status === "busy") watch(view, sent); // the verdict comes when the running cell ends
      else markGone(); // an idle kernel that does not answer no longer has this quiz
      if (gone) say(view, `<p>${texts.kernel_gone}</p>`);
    }, NO_REPLY_MS);
  }

  for (const item of spec.items) {
    const { inputs, rows } = buildInputs(item, texts, uid);
    const headingId = `${uid}-${item.id}-question`;
    const heading = make("h3", { class: "teachkit-question", id: headingId }, [
      make("span", { class: "teachkit-number", text: `${item.heading} ` }),
      make("span", { html: item.question }),
    ]);
    const check = make("button", { type: "button", class: "teachkit-check", title: texts.check_tooltip, text: texts.check });
    const retry = make("button", { type: "button", class: "teachkit-retry", title: texts.try_again_tooltip, text: texts.try_again });
    const staleNote = make("p", { class: "teachkit-stale-note", text: texts.answer_changed });
    staleNote.hidden = true;
    const region = make("div", { class: "teachkit-feedback", role: "status", "aria-live": "polite", "aria-atomic": "true", lang: spec.lang });
    const box = make("fieldset", { class: `teachkit-item teachkit-item-${item.id}`, "data-kind": item.kind }, [
      make("legend", {}, [heading]),
      make("div", { class: "teachkit-inputs" }, rows),
      make("div", { class: "teachkit-actions" }, [check, retry]),
      staleNote,
      region,
    ]);
    const view = { item, inputs, check, retry, region, box, staleNote, pending: null, judged: undefined, shownKey: "" };
    views.set(item.id, view);
    showAnswer(item, inputs, (model.get("shown") || {})[item.id]);

    for (const input of inputs) {
      input.addEventListener("input", () => updateStale(view));
      input.addEventListener("change", () => updateStale(view));
      if (input.type === "text") {
        input.addEventListener("keydown", (event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            check.click(); // Enter in a text answer checks it, as in any form
          }
        });
      }
    }
    check.addEventListener("click", () => {
      if (gone) {
        say(view, `<p>${texts.kernel_gone}</p>`);
        return;
      }
      const answer = readAnswer(item, inputs);
      seq += 1;
      view.pending = { seq };
      model.send({ action: "check", item: item.id, answer, seq });
      watch(view, seq);
    });
    retry.addEventListener("click", () => {
      if (gone) {
        say(view, `<p>${texts.kernel_gone}</p>`);
        return;
      }
      showAnswer(item, inputs, null);
      view.judged = undefined;
      view.pending = null;
      view.shownKey = "";
      say(view, "");
      updateStale(view);
      model.send({ action: "reset", item: item.id });
    });
    quiz.append(box);
  }

  const score = make("p", { class: "teachkit-score", role: "status" }, [make("strong", { text: model.get("score") })]);
  quiz.append(score);
  applyFeedback();

  const onFeedback = () => applyFeedback();
  const onScore = () => (score.firstChild.textContent = model.get("score"));
  const onMessage = (message) => {
    const view = message && views.get(message.item);
    if (!view) return;
    if (message.action === "checked" && view.pending && view.pending.seq === message.seq) view.pending = null;
    if (message.action === "show") {
      showAnswer(view.item, view.inputs, message.value);
      updateStale(view);
    }
  };
  const onStatus = (_, status) => GONE.has(status) && markGone();
  const onKernelChanged = () => markGone(); // a new kernel has never heard of this quiz
  model.on("change:feedback", onFeedback);
  model.on("change:score", onScore);
  model.on("msg:custom", onMessage);
  model.on("comm_live_update", markGone); // ipywidgets: the comm to the kernel is gone (restart)
  model.on("comm:close", markGone);
  const k = kernel();
  if (k && k.statusChanged) k.statusChanged.connect(onStatus);
  if (session && session.statusChanged) session.statusChanged.connect(onStatus);
  if (session && session.kernelChanged) session.kernelChanged.connect(onKernelChanged);
  if (k && (k.isDisposed || GONE.has(k.status))) markGone();
  el.append(quiz);

  return () => {
    model.off("change:feedback", onFeedback);
    model.off("change:score", onScore);
    model.off("msg:custom", onMessage);
    model.off("comm_live_update", markGone);
    model.off("comm:close", markGone);
    if (k && k.statusChanged) k.statusChanged.disconnect(onStatus);
    if (session && session.statusChanged) session.statusChanged.disconnect(onStatus);
    if (session && session.kernelChanged) session.kernelChanged.disconnect(onKernelChanged);
  };
}

export default { render };
