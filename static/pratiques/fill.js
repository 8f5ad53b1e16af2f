/* Self-assessment form: small comforts on top of the HTMX autosave (the form works without it). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.name || !/-frequency$/.test(input.name)) return;
    var practice = input.closest("fieldset.practice");
    var notConcerned = input.value === "nc" && input.checked;
    // « Non concerné·e » or « Jamais » leave nothing to say about involvement and carrying.
    practice.querySelectorAll("input[name$='-involvement'], input[name$='-carrying']").forEach(function (other) {
      if (notConcerned) other.checked = false;
      other.disabled = notConcerned;
    });
  });
  // Until the latest save of a practice has answered, say so: « Enregistré » only ever
  // describes the newest change, never an older one still overtaken by a request in flight.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var practice = event.detail.elt;
    if (!practice.classList || !practice.classList.contains("practice")) return;
    var state = practice.querySelector(".state");
    if (state) state.innerHTML = '<span class="save-state saving">Enregistrement…</span>';
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var practice = event.detail.elt;
    if (!practice.classList || !practice.classList.contains("practice") || !event.detail.successful) return;
    practice.classList.toggle("answered", !!practice.querySelector("input[name$='-frequency']:checked"));
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("fieldset.practice input[value='nc']:checked").forEach(function (nc) {
      nc.closest("fieldset.practice").querySelectorAll("input[name$='-involvement'], input[name$='-carrying']").forEach(function (other) {
        other.disabled = true;
      });
    });
  });

  // Navigation: answered practices per axis, the next practice without an answer, the scales.
  function practices() { return Array.prototype.slice.call(document.querySelectorAll("fieldset.practice")); }
  function countAxes() {
    document.querySelectorAll(".axis-count[data-axis]").forEach(function (counter) {
      var axis = document.querySelector("section.axis[data-axis='" + counter.getAttribute("data-axis") + "']");
      if (!axis) return;
      var all = axis.querySelectorAll("fieldset.practice").length;
      var done = axis.querySelectorAll("fieldset.practice.answered").length;
      counter.textContent = "(" + done + " / " + all + ")";
    });
    var button = document.querySelector(".next-unanswered");
    if (button) button.disabled = !document.querySelector("fieldset.practice:not(.answered)");
  }
  var current = null;
  document.addEventListener("focusin", function (event) {
    var practice = event.target.closest && event.target.closest("fieldset.practice");
    if (practice) current = practice;
  });
  function nextUnanswered() {
    var list = practices();
    var start = current ? list.indexOf(current) + 1 : 0;
    for (var i = 0; i < list.length; i++) {
      var candidate = list[(start + i) % list.length];
      if (!candidate.classList.contains("answered")) return candidate;
    }
    return null;
  }
  document.addEventListener("htmx:afterRequest", countAxes);
  document.addEventListener("DOMContentLoaded", function () {
    countAxes();
    var button = document.querySelector(".next-unanswered");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var target = nextUnanswered();
        if (!target) return;
        target.scrollIntoView({ block: "start" });
        var first = target.querySelector("input:not([disabled])");
        if (first) first.focus({ preventScroll: true });
        current = target;
      });
    }
    var steps = document.querySelector(".fill-steps");
    if (steps && window.matchMedia("(max-width: 56rem)").matches) steps.open = false;
    document.querySelectorAll(".scale-help").forEach(function (link) {
      link.addEventListener("click", function () {
        var legend = document.getElementById("echelles");
        if (legend) legend.open = true;
      });
    });
  });
})();
