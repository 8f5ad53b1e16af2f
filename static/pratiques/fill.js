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
  // describes the newest change, never an older one still overtaken by a request in flight
  // or by a change queued behind it (hx-sync="this:queue last"). Each change gets a number
  // (in the capture phase, before htmx sends or queues it); a response that does not carry
  // the newest number leaves « Enregistrement… » in place for the request that will.
  function saving(practice) {
    var state = practice.querySelector(".state");
    if (state) state.innerHTML = '<span class="save-state saving">Enregistrement…</span>';
  }
  document.addEventListener("change", function (event) {
    var practice = event.target.closest && event.target.closest("fieldset.practice");
    if (!practice) return;
    practice.dataset.changeSeq = String(Number(practice.dataset.changeSeq || 0) + 1);
    saving(practice);
  }, true);
  document.addEventListener("htmx:beforeRequest", function (event) {
    var practice = event.detail.elt;
    if (!practice.classList || !practice.classList.contains("practice")) return;
    event.detail.xhr.changeSeq = practice.dataset.changeSeq;
    saving(practice);
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var practice = event.detail.elt;
    if (!practice.classList || !practice.classList.contains("practice")) return;
    if (event.detail.xhr.changeSeq !== practice.dataset.changeSeq) event.detail.shouldSwap = false;
  });
  function practiceOf(event) {
    var elt = event.detail.elt;
    return elt && elt.classList && elt.classList.contains("practice") ? elt : null;
  }
  document.addEventListener("htmx:afterRequest", function (event) {
    var practice = practiceOf(event);
    if (!practice || !event.detail.successful) return;
    practice._attempts = 0;  // a property, not a data- attribute: htmx re-initialises elements whose attributes change
    practice.classList.toggle("answered", !!practice.querySelector("input[name$='-frequency']:checked"));
  });
  document.addEventListener("htmx:responseError", function (event) {
    var practice = practiceOf(event);
    if (!practice) return;
    if (event.detail.xhr.status >= 500) { retryLater(practice); return; }
    // A refusal (bad value, assessment validated): show the server's French message, no retry.
    var state = practice.querySelector(".state");
    if (state) state.innerHTML = event.detail.xhr.responseText;
  });
  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var practice = practiceOf(event);
      if (practice) retryLater(practice);
    });
  });
  // Network down, server restarting, database unavailable (5xx): say so and send the practice's
  // current values again, waiting 1, 2, 4… up to 30 s between tries. The upsert is idempotent.
  function retryLater(practice) {
    var attempts = (practice._attempts || 0) + 1;
    practice._attempts = attempts;
    var delay = Math.min(30, Math.pow(2, attempts - 1));
    var state = practice.querySelector(".state");
    if (state) {
      state.innerHTML = '<span class="save-state error" role="alert">Enregistrement impossible, nouvel essai dans ' + delay + " s…</span>";
    }
    clearTimeout(practice._retry);
    practice._retry = setTimeout(function () { htmx.trigger(practice, "change"); }, delay * 1000);
  }
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
