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
})();
