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
  // A page may hold two pickers (wanted topics: "topic_op"; strengths: "strengths_op").
  var lastOp = null, lastName = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var el = event.detail.elt;
    var isOp = el && /_op$/.test(el.name || "") && el.closest && el.closest(".topic-picker");
    lastOp = isOp ? el.value : null;
    lastName = isOp ? el.name : null;
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (!lastOp) return;
    var box = lastName === "topic_op" ? "topics" : lastName.replace(/_op$/, "");
    var picker = document.getElementById(box + "-picker");
    if (!picker) return;
    var again = picker.querySelector('button[name="' + lastName + '"][value="' + lastOp + '"]');
    var search = document.getElementById(lastName === "topic_op" ? "topic_q" : box + "_q");
    (again || search || picker).focus();
    lastOp = null;
  });
})();
