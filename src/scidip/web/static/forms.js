// Type-ahead for the record forms' pickers: as one types in an <input data-lookup="persons">,
// the records whose key, name or alias (English or Japanese) hold the text are offered in the
// input's <datalist>, from /lookup/<concept>, which answers only what the reader may see.
// Without this script the same inputs take the key typed by hand.
(function () {
  "use strict";
  if (window.scidipForms) { return; } // loaded again by a boosted page change: listen once
  window.scidipForms = true;
  var timers = new WeakMap();
  var pending = new WeakMap(); // the lookup in flight for each input, aborted by the next one
  function fill(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var concept = input.getAttribute("data-lookup");
    if (!list || !concept) { return; }
    var asked = input.value.trim();
    var url = "/lookup/" + encodeURIComponent(concept) + "?q=" + encodeURIComponent(asked);
    var before = pending.get(input);
    if (before) { before.abort(); }
    var controller = new AbortController();
    pending.set(input, controller);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" },
                 signal: controller.signal })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (found) {
        // An answer to an older text (overtaken under load) must not replace the current one's.
        if (pending.get(input) !== controller || input.value.trim() !== asked) { return; }
        pending.delete(input);
        list.replaceChildren.apply(list, found.map(function (item) {
          var option = document.createElement("option");
          option.value = item.key;
          option.label = item.label;
          option.textContent = item.label;
          return option;
        }));
      })
      .catch(function () { /* the key can still be typed */ });
  }
  function typed(event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-lookup")) { return; }
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () { fill(input); }, 150));
  }
  document.addEventListener("input", typed);
  document.addEventListener("focusin", typed);
})();
