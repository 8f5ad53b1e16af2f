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

  // A wide table scrolls inside its box: keyboard users must be able to reach and scroll it.
  function labelScrollRegions(root) {
    var boxes = (root || document).querySelectorAll(".table-scroll");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
      if (!box.hasAttribute("role")) box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        box.setAttribute("aria-label", regionLabel(box) + " (tableau défilant)");
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
})();
