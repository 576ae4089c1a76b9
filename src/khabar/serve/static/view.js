// khabar: applies the remembered view (Hindi or English names) before the page is drawn.
"use strict";
try {
  if (window.localStorage.getItem("khabar-view") === "en") document.documentElement.classList.add("view-en");
} catch (e) { /* storage may be off; the Hindi view stays */ }
