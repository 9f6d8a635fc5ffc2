// The atlas's ranked picker: an editable combobox with a list of matches (the WAI-ARIA
// "list autocomplete" pattern). Streamlit's own pickers keep their options in one fixed order,
// so "UK" + Enter picked Ukraine. Here the matches are ranked: a name equal to what was typed,
// then names that start with it, then a word that starts with it, then any other part; within
// a tier the option's own name before its other names, then the options' alphabetical order.
// Enter picks the highlighted match (the best one unless the arrows moved it), or nothing.
// Every data field is written with textContent, never as HTML.

const SHOWN_AT_MOST = 200; // matches drawn at once; typing narrows the rest

// Letters NFKD leaves whole (ø, ł, æ...) and what they fold to: the page sends its one table
// (geodata/letter_folds.json) with the options, so this fold and names.fold agree.
let letterFolds = {};
let letters = null;

function useLetterFolds(table) {
  letterFolds = table || {};
  const keys = Object.keys(letterFolds);
  letters = keys.length ? new RegExp(`[${keys.join("")}]`, "gu") : null;
}

// Case and accents ignored, as names.fold does in Python.
export function fold(text) {
  const bare = String(text).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  const folded = letters ? bare.replace(letters, (letter) => letterFolds[letter]) : bare;
  return folded.replace(/\s+/g, " ").trim();
}

const LETTER = /[\p{L}\p{N}]/u;

// 0 equal, 1 starts with, 2 a word starts with, 3 contains, -1 no match.
function tier(term, query) {
  if (term === query) return 0;
  if (term.startsWith(query)) return 1;
  let at = term.indexOf(query);
  if (at < 0) return -1;
  while (at >= 0) {
    if (!LETTER.test(term[at - 1])) return 2;
    at = term.indexOf(query, at + 1);
  }
  return 3;
}

// The options matching `query`, best first: [{option, via}], `via` the index of the name that
// matched. An empty query lists every option in its own order.
export function rank(query, options) {
  const q = fold(query);
  if (!q) return options.map((option) => ({ option, via: 0 }));
  const words = q.split(" ");
  const hits = [];
  options.forEach((option, order) => {
    let best = Infinity;
    let via = 0;
    option.terms.forEach((term, index) => {
      const found = tier(term, q);
      if (found >= 0 && found * 1000 + index < best) {
        best = found * 1000 + index;
        via = index;
      }
    });
    // "paris france", "seoul dobong": every word starts a word of one of the names.
    if (best === Infinity && words.length > 1
        && words.every((word) => option.terms.some((term) => {
          const found = tier(term, word);
          return found >= 0 && found <= 2;
        }))) {
      best = 4000;
    }
    if (best < Infinity) hits.push({ option, via, best, order });
  });
  hits.sort((a, b) => a.best - b.best || a.order - b.order);
  return hits.map(({ option, via }) => ({ option, via }));
}

// Options as the page sends them ([value, label, group, names?]), with folded terms: the
// option's own names (the label if none), then its group's (a city's country and that
// country's other names; the first is shown beside the city). The terms are folded at the
// first search, not on arrival: a visitor who never searches never pays for folding every
// name (the page and the map share one thread).
function prepare(data) {
  const groups = data.groups || {};
  return (data.options || []).map(([value, label, group, own]) => {
    const shared = groups[group] || [];
    const names = [...(own || [label]), ...shared];
    let terms = null;
    return {
      value, label, detail: shared[0] || "", names,
      get terms() { return terms || (terms = names.map(fold)); },
    };
  });
}

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

const HTML = `
<div class="picker">
  <label class="label" for="input"></label>
  <div class="field">
    <ul class="chips" hidden></ul>
    <input id="input" type="text" role="combobox" autocomplete="off" spellcheck="false"
           aria-autocomplete="list" aria-expanded="false" aria-controls="list"
           aria-describedby="hint">
    <button type="button" class="clear" hidden>×</button>
  </div>
  <div class="popup" hidden>
    <ul id="list" class="list" role="listbox"></ul>
    <p class="note" hidden></p>
  </div>
  <p id="hint" class="hint"></p>
  <p class="status" role="status" aria-live="polite"></p>
</div>`;

function mount(root, send) {
  root.innerHTML = HTML;
  const ui = {
    label: root.querySelector(".label"), chips: root.querySelector(".chips"),
    input: root.querySelector("input"), clear: root.querySelector(".clear"),
    popup: root.querySelector(".popup"), list: root.querySelector(".list"),
    note: root.querySelector(".note"), hint: root.querySelector(".hint"),
    status: root.querySelector(".status"),
  };
  const state = { data: {}, options: [], byValue: new Map(), selected: [], hits: [], active: 0 };

  const single = () => !state.data.multiple;
  const labelOf = (value) => state.byValue.get(value)?.label ?? value;

  function say(text) { ui.status.textContent = text; }

  function close() {
    ui.popup.hidden = true;
    ui.input.setAttribute("aria-expanded", "false");
    ui.input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    const items = ui.list.querySelectorAll("[role=option]");
    if (!items.length) return;
    state.active = (index + items.length) % items.length;
    items.forEach((item, i) => item.setAttribute("aria-selected", String(i === state.active)));
    const item = items[state.active];
    ui.input.setAttribute("aria-activedescendant", item.id);
    item.scrollIntoView({ block: "nearest" });
  }

  function open() {
    const query = single() && ui.input.value === labelOf(state.selected[0]) ? "" : ui.input.value;
    const taken = new Set(single() ? [] : state.selected);
    state.hits = rank(query, state.options).filter(({ option }) => !taken.has(option.value));
    ui.list.replaceChildren();
    state.hits.slice(0, SHOWN_AT_MOST).forEach(({ option, via }, i) => {
      const item = element("li", { role: "option", id: `option-${i}`, "aria-selected": "false" });
      item.append(element("span", { class: "name" }, option.label));
      if (option.detail) item.append(element("span", { class: "detail" }, option.detail));
      // The name that matched, when it is neither the label nor the detail ("UK", "Turkey").
      const matched = option.names[via];
      if (via > 0 && matched !== option.detail) {
        item.append(element("span", { class: "via" }, `also ${matched}`));
      }
      item.dataset.value = option.value;
      item.addEventListener("mousedown", (event) => event.preventDefault());
      item.addEventListener("click", () => pick(option.value));
      ui.list.append(item);
    });
    // Beside the list, not in it: a listbox holds options only.
    const more = state.hits.length > SHOWN_AT_MOST;
    ui.note.className = state.hits.length ? "note more" : "note none";
    ui.note.textContent = !state.hits.length ? state.data.empty || "No match"
      : more ? `${SHOWN_AT_MOST} of ${state.hits.length} shown: type more to narrow them down.`
        : "";
    ui.note.hidden = state.hits.length > 0 && !more;
    ui.list.hidden = !state.hits.length;
    ui.popup.hidden = false;
    ui.input.setAttribute("aria-expanded", String(state.hits.length > 0));
    if (state.hits.length) highlight(0);
    else ui.input.removeAttribute("aria-activedescendant");
    const count = state.hits.length === 1 ? "1 match" : `${state.hits.length} matches, best first`;
    say(query ? (state.hits.length ? `${count}.`
      : (state.data.empty || "No match")) : "");
  }

  function commit(values) {
    state.selected = values;
    drawSelection();
    send(values);
  }

  function pick(value) {
    const name = labelOf(value);
    if (single()) {
      commit([value]);
      ui.input.value = name;
      say(`${name} chosen.`);
    } else {
      commit([...state.selected.filter((v) => v !== value), value]);
      ui.input.value = "";
      say(`${name} added: ${state.selected.length} chosen.`);
    }
    close();
  }

  function remove(value) {
    commit(state.selected.filter((v) => v !== value));
    say(`${labelOf(value)} removed.`);
    ui.input.focus();
  }

  function drawSelection() {
    const chips = single() ? [] : state.selected;
    ui.chips.replaceChildren(...chips.map((value) => {
      const chip = element("li");
      const button = element("button", { type: "button", class: "chip",
        "aria-label": `Remove ${labelOf(value)}`, title: labelOf(value) });
      button.append(element("span", { class: "chip-name" }, labelOf(value)), element("span", { "aria-hidden": "true" }, "×"));
      button.addEventListener("click", () => remove(value));
      chip.append(button);
      return chip;
    }));
    ui.chips.hidden = !chips.length;
    ui.clear.hidden = !state.selected.length;
    ui.input.placeholder = (chips.length ? state.data.more : state.data.placeholder) || "";
    if (single() && ui.input.getRootNode().activeElement !== ui.input) {
      ui.input.value = state.selected.length ? labelOf(state.selected[0]) : "";
    }
  }

  ui.input.addEventListener("input", open);
  // The chosen city's name is selected on focus or click, so typing replaces it.
  const selectChosen = () => {
    if (single() && state.selected.length && ui.input.value === labelOf(state.selected[0])) {
      ui.input.select();
    }
  };
  ui.input.addEventListener("click", () => {
    selectChosen();
    if (ui.popup.hidden) open(); else close();
  });
  ui.input.addEventListener("focus", selectChosen);
  ui.input.addEventListener("blur", () => {
    close();
    if (single()) ui.input.value = state.selected.length ? labelOf(state.selected[0]) : "";
  });
  ui.input.addEventListener("keydown", (event) => {
    const expanded = !ui.popup.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!expanded) open();
      else highlight(state.active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter") {
      event.preventDefault();
      const typed = ui.input.value.trim();
      if (!expanded && !typed) return;
      if (!expanded) open();
      const hit = state.hits[state.active];
      if (hit) pick(hit.option.value);
      else say(state.data.empty || "No match");
    } else if (event.key === "Escape") {
      if (expanded) {
        event.preventDefault();
        close();
      } else {
        // Back to what is chosen: no text in a multiple picker, the chosen city in a single.
        const chosen = single() && state.selected.length ? labelOf(state.selected[0]) : "";
        if (ui.input.value !== chosen) {
          event.preventDefault();
          ui.input.value = chosen;
        }
      }
    } else if (event.key === "Backspace" && !ui.input.value && !single()
               && state.selected.length) {
      remove(state.selected[state.selected.length - 1]);
    }
  });
  ui.clear.addEventListener("click", () => {
    commit([]);
    ui.input.value = "";
    say("Cleared.");
    ui.input.focus();
  });

  function show(data, options) {
    state.data = data;
    state.options = options;
    state.byValue = new Map(options.map((option) => [option.value, option]));
    state.selected = (data.selected || []).filter((value) => state.byValue.has(value));
    ui.label.textContent = data.label || "";
    ui.hint.textContent = data.hint || "";
    ui.list.setAttribute("aria-label", data.label || "");
    ui.clear.setAttribute("aria-label", `Clear ${data.label || ""}`.trim());
    ui.chips.setAttribute("aria-label", `${data.label || ""}: chosen`.trim());
    drawSelection();
    if (!ui.popup.hidden) open();
  }

  let latest = null;
  return function update(data) {
    latest = data;
    if (!data.optionsUrl) {
      useLetterFolds(data.folds);
      show(data, prepare(data));
      return;
    }
    if (!ui.input.placeholder) ui.input.placeholder = data.placeholder || "";
    loadOptions(data.optionsUrl).then((all) => {
      if (latest !== data) return; // a newer rerun arrived meanwhile
      show(data, offered(all, data.visible));
    }).catch(() => say(data.empty || ""));
  };
}

// Every option of a data version, fetched once per URL (the URL holds the content's hash).
const loaded = new Map();
function loadOptions(url) {
  if (!loaded.has(url)) {
    loaded.set(url, fetch(url).then((reply) => {
      if (!reply.ok) throw new Error(`options ${reply.status}`);
      return reply.json();
    }).then((file) => {
      useLetterFolds(file.folds);
      return prepare(file);
    }));
    loaded.get(url).catch(() => loaded.delete(url)); // a failed fetch is tried again
  }
  return loaded.get(url);
}

// The options a rerun offers: a row set (dashboard/map/jsdata.py) of option indices, "b" and
// a base64 bitmap or "r" and base64 varint run lengths; none offers them all.
export function offered(options, visible) {
  if (visible == null) return options;
  const bytes = atob(visible.slice(1));
  if (visible[0] === "b") {
    return options.filter((_, i) => (bytes.charCodeAt(i >> 3) >> (i & 7)) & 1);
  }
  const kept = [];
  let at = 0, keep = false, value = 0, shift = 0;
  for (const letter of bytes) {
    const byte = letter.charCodeAt(0);
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte & 0x80) continue;
    if (keep) kept.push(...options.slice(at, at + value));
    at += value; keep = !keep; value = 0; shift = 0;
  }
  return kept;
}

export default function (component) {
  const { parentElement, data, setTriggerValue } = component;
  let root = parentElement.querySelector(".atlas-picker");
  if (!root) {
    root = element("div", { class: "atlas-picker" });
    parentElement.append(element("link", { rel: "stylesheet", href: data.styles }), root);
    root.update = mount(root, (values) => root.send("picked", { values }));
  }
  root.send = setTriggerValue; // the newest render's sender
  root.update(data || {});
  // For the browser tests: the page's own folding and ranking, to run over the whole roster.
  window.atlasPicker = { fold, rank, prepare, offered, foldsLoaded: () => letters !== null };
}
