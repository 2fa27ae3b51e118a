// Suggestions as you type, for inputs marked data-suggest: the names come from the JSON API.
// The forms work without this script; it only saves typing. Its own words come from the page
// (data-airport, data-serves on <body>), in the page's language.
"use strict";

const words = document.body.dataset;

function suggest(input) {
  const list = document.getElementById(input.dataset.suggest);
  let timer = null;
  let asked = "";
  let active = -1;

  function close() {
    list.hidden = true;
    list.replaceChildren();
    active = -1;
    input.setAttribute("aria-expanded", "false");
  }

  function choose(item) {
    input.value = item.dataset.code;
    close();
    input.dispatchEvent(new Event("change"));
  }

  function mark(index) {
    const items = list.querySelectorAll("li");
    items.forEach((li, i) => li.setAttribute("aria-selected", i === index ? "true" : "false"));
    active = index;
  }

  function option(code, name, where) {
    const li = document.createElement("li");
    li.setAttribute("role", "option");
    li.dataset.code = code;
    li.dir = "auto"; // an English name keeps its order on a right-to-left page
    li.append(name + " ");
    const detail = document.createElement("span");
    detail.className = "where";
    detail.dir = "auto";
    detail.textContent = where.join(" · ");
    li.append(detail);
    li.addEventListener("mousedown", (event) => { event.preventDefault(); choose(li); });
    list.append(li);
  }

  async function ask(query) {
    asked = query;
    const response = await fetch("/api/v1/regions?q=" + encodeURIComponent(query));
    if (!response.ok || asked !== query) return;
    const found = await response.json();
    // an answer that comes after the field was left opens nothing: no one would close it
    if (asked !== query || document.activeElement !== input) return;
    list.replaceChildren();
    if (found.airport) {
      const serves = words.serves + " " + found.airport.serves;
      option(found.airport.code, found.airport.name, [words.airport, serves]);
    }
    for (const region of found.regions.slice(0, 8)) {
      option(region.code, region.name, [region.code, ...region.path.slice(0, -1).reverse()]);
    }
    list.hidden = list.children.length === 0;
    input.setAttribute("aria-expanded", String(!list.hidden));
  }

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-autocomplete", "list");
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const query = input.value.trim();
    if (query.length < 2) { close(); return; }
    timer = setTimeout(() => ask(query), 150);
  });
  input.addEventListener("keydown", (event) => {
    const items = list.querySelectorAll("li");
    if (list.hidden || items.length === 0) return;
    if (event.key === "ArrowDown") { mark((active + 1) % items.length); event.preventDefault(); }
    else if (event.key === "ArrowUp") { mark((active - 1 + items.length) % items.length); event.preventDefault(); }
    else if (event.key === "Enter" && active >= 0) { choose(items[active]); event.preventDefault(); }
    else if (event.key === "Escape") { close(); }
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
}

document.querySelectorAll("input[data-suggest]").forEach(suggest);
