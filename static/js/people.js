// Goal form and mentor profile touches; the forms work without this file.
(function () {
  "use strict";

  // Enter in the topic search searches (htmx does that) instead of submitting the whole form.
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key === "Enter" && el.matches && el.matches("input[data-no-submit]") && window.htmx) {
      event.preventDefault();
      window.htmx.trigger(el, "search");
    }
  });

  // After the picker is replaced, put focus back where the person was (the same button, if it
  // still exists, else the search box), so keyboard users do not land at the top of the page.
  var lastOp = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var el = event.detail.elt;
    lastOp = el && el.name === "topic_op" ? el.value : null;
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (!lastOp) return;
    var picker = document.getElementById("topics-picker");
    if (!picker) return;
    var again = picker.querySelector('button[name="topic_op"][value="' + lastOp + '"]');
    (again || document.getElementById("topic_q") || picker).focus();
    lastOp = null;
  });
})();
