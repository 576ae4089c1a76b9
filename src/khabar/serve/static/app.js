// khabar: the only script (pages work without it). The English/Hindi view toggle (remembered);
// sortable, filterable tables with a CSV download of the rows shown; legend checkboxes switch a
// highlight colour off and on; pointing at an entity mention outlines its other mentions.
"use strict";

function setView(english) {
  document.documentElement.classList.toggle("view-en", english);
  const button = document.getElementById("view-toggle");
  if (button) button.setAttribute("aria-pressed", english ? "true" : "false");
  try { window.localStorage.setItem("khabar-view", english ? "en" : "hi"); } catch (e) { /* ignore */ }
}

function cellText(cell) {
  // the text of the view shown (the other language's span is display: none)
  return (cell.innerText || cell.textContent || "").trim();
}

function sortKey(text) {
  const number = Number(text.replace(/[,\s]/g, ""));
  return text !== "" && !Number.isNaN(number) ? number : null;
}

function sortBy(table, column, button) {
  const body = table.tBodies[0];
  const rows = Array.from(body.rows).filter((r) => !r.classList.contains("empty"));
  const descending = button.getAttribute("aria-sort") === "ascending";
  const keyed = rows.map((row) => [cellText(row.cells[column] || row), row]);
  const numeric = keyed.every(([text]) => text === "" || sortKey(text) !== null);
  keyed.sort(([a], [b]) => {
    const order = numeric ? (sortKey(a) || 0) - (sortKey(b) || 0) : a.localeCompare(b, undefined, { numeric: true });
    return descending ? -order : order;
  });
  for (const other of table.querySelectorAll("th button.sort")) other.removeAttribute("aria-sort");
  button.setAttribute("aria-sort", descending ? "descending" : "ascending");
  for (const [, row] of keyed) body.appendChild(row);
}

function csvOf(table) {
  const quote = (text) => (/[",\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text);
  const lines = [];
  for (const row of table.rows) {
    if (row.hidden || row.classList.contains("empty")) continue;
    lines.push(Array.from(row.cells).map((c) => quote(cellText(c))).join(","));
  }
  return lines.join("\n") + "\n";
}

function enhanceTable(table) {
  const head = table.tHead ? table.tHead.rows[0] : null;
  if (!head || !table.tBodies.length) return;
  Array.from(head.cells).forEach((th, column) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = th.textContent;
    button.title = "sort by this column";
    button.addEventListener("click", () => sortBy(table, column, button));
    th.textContent = "";
    th.appendChild(button);
  });
  const tools = document.createElement("div");
  tools.className = "table-tools";
  const filter = document.createElement("input");
  filter.type = "search";
  filter.placeholder = "filter rows…";
  filter.setAttribute("aria-label", "filter rows");
  filter.addEventListener("input", () => {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const row of table.tBodies[0].rows) {
      const text = (row.textContent || "").toLowerCase();
      row.hidden = !words.every((w) => text.includes(w));
    }
  });
  const csv = document.createElement("a");
  csv.className = "csv";
  csv.textContent = "CSV (rows shown)";
  csv.href = "#";
  csv.download = (table.id || "khabar-table") + ".csv";
  csv.addEventListener("click", () => {
    csv.href = URL.createObjectURL(new Blob([csvOf(table)], { type: "text/csv;charset=utf-8" }));
  });
  tools.append(filter, csv);
  const holder = table.closest(".scroll") || table;
  holder.parentNode.insertBefore(tools, holder);
}

document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.getElementById("view-toggle");
  if (toggle) {
    toggle.setAttribute("aria-pressed", document.documentElement.classList.contains("view-en") ? "true" : "false");
    toggle.addEventListener("click", () => setView(!document.documentElement.classList.contains("view-en")));
  }
  for (const table of document.querySelectorAll("table.data")) enhanceTable(table);
  const doc = document.getElementById("doc");
  if (!doc) return;
  for (const box of document.querySelectorAll("#legend input.toggle")) {
    box.addEventListener("change", () => doc.classList.toggle("hide-" + box.dataset.type, !box.checked));
  }
  const same = (el) => doc.querySelectorAll(".ent[data-entity='" + CSS.escape(el.dataset.entity) + "']");
  for (const el of doc.querySelectorAll(".ent[data-entity]")) {
    if (!el.dataset.entity) continue;
    el.addEventListener("mouseenter", () => same(el).forEach((m) => m.classList.add("hl")));
    el.addEventListener("mouseleave", () => same(el).forEach((m) => m.classList.remove("hl")));
  }
});
