/* Site-wide behaviour: compact menu on phones, labelled scroll regions for wide tables. */
(function () {
  "use strict";

  function setupMenu() {
    var button = document.querySelector(".menu-button");
    var menu = document.getElementById("site-menu");
    if (!button || !menu) return;
    // Without JavaScript the menu stays open; with it, phones get a toggle.
    document.documentElement.classList.add("has-menu-button");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
      menu.classList.toggle("open", !open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        menu.classList.remove("open");
        button.focus();
      }
    });
  }

  function regionLabel(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var section = box.closest("section, article, details");
    var heading = section && section.querySelector("h2, h3, h4, summary");
    return heading ? heading.textContent.trim() : "Tableau";
  }

  // Every table of the page scrolls inside its own box rather than widening the page.
  function wrapTables(root) {
    var tables = (root || document).querySelectorAll("main table");
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      if (table.parentElement.classList.contains("table-scroll")) continue;
      var box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    }
  }

  // A wide table scrolls inside its box: keyboard users must be able to reach and scroll it.
  function labelScrollRegions(root) {
    wrapTables(root);
    var boxes = (root || document).querySelectorAll(".table-scroll");
    // All the measures first, then all the changes: one layout, not one per table (a page of
    // sixteen domains froze a phone's main thread for a second). A table in a closed <details>
    // is not laid out until it opens: it is measured then (the toggle listener below).
    var wide = [];
    for (var j = 0; j < boxes.length; j++) {
      var closed = boxes[j].closest("details:not([open])");
      wide.push(closed ? null : boxes[j].scrollWidth > boxes[j].clientWidth + 1);
    }
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (wide[i] === null) continue;
      if (wide[i]) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-labelledby")) {
          box.setAttribute("aria-label", regionLabel(box) + " (tableau défilant)");
        }
      } else if (box.getAttribute("role") === "region" && !box.hasAttribute("data-keep")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupMenu();
    labelScrollRegions(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    labelScrollRegions(event.target);
  });
  document.addEventListener("toggle", function (event) {
    if (event.target.open) labelScrollRegions(event.target);
  }, true);  // toggle does not bubble
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { labelScrollRegions(document); }, 200);
  });
  window.labelScrollRegions = labelScrollRegions;
})();

/* Wide tables (3 columns or more) turn into stacked rows on phones: each cell says its column. */
(function () {
  "use strict";
  function stack(root) {
    var tables = (root || document).querySelectorAll(".table-scroll table");
    for (var t = 0; t < tables.length; t++) {
      var table = tables[t];
      var heads = table.querySelectorAll("thead tr:last-child th");
      if (heads.length < 3 || table.classList.contains("stackable")) continue;
      var names = [];
      for (var h = 0; h < heads.length; h++) names.push(heads[h].textContent.trim());
      var rows = table.querySelectorAll("tbody tr");
      for (var r = 0; r < rows.length; r++) {
        var cells = rows[r].children;
        if (cells.length !== names.length) continue;
        for (var c = 1; c < cells.length; c++) {
          if (!cells[c].hasAttribute("data-label")) cells[c].setAttribute("data-label", names[c]);
        }
      }
      table.classList.add("stackable");
    }
  }
  function refresh(root) {
    stack(root);
    if (window.labelScrollRegions) window.labelScrollRegions(root);
  }
  document.addEventListener("DOMContentLoaded", function () { refresh(document); });
  document.addEventListener("htmx:afterSettle", function (event) { refresh(event.target); });
})();

/* Long pages on phones (a territory: 40 screens): each part folds under its heading, a button
   that says whether it is open; « Sur cette page » and any link to a part open it. */
(function () {
  "use strict";
  var counter = 0;
  function setOpen(part, open) {
    var button = part.querySelector(":scope > h2 > .part-toggle");
    var body = part.querySelector(":scope > .part-body");
    if (!button || !body) return;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    body.hidden = !open;
    if (open && window.labelScrollRegions) window.labelScrollRegions(body);
  }
  function fold(part) {
    var heading = part.querySelector(":scope > h2");
    if (!heading || part.querySelector(":scope > .part-body")) return;
    var body = document.createElement("div");
    body.className = "part-body";
    body.id = "part-body-" + (++counter);
    while (heading.nextSibling) body.appendChild(heading.nextSibling);
    part.appendChild(body);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "part-toggle";
    button.setAttribute("aria-controls", body.id);
    while (heading.firstChild) button.appendChild(heading.firstChild);
    heading.appendChild(button);
    button.addEventListener("click", function () {
      setOpen(part, button.getAttribute("aria-expanded") !== "true");
    });
    setOpen(part, false);
  }
  function openTarget() {
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var part = target && target.closest("section.page-part");
    if (part) { setOpen(part, true); target.scrollIntoView(); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.matchMedia("(max-width: 40rem)").matches) return;
    var parts = document.querySelectorAll("section.page-part");
    for (var i = 0; i < parts.length; i++) fold(parts[i]);
    window.addEventListener("hashchange", openTarget);
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href^='#']");
      if (link && link.getAttribute("href") === location.hash) openTarget();
    });
    openTarget();
  });
})();
