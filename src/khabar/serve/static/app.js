// khabar: the only script. Legend checkboxes switch a highlight colour off and on; pointing at an
// entity mention outlines its other mentions. Pages work fully without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
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
