// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  function prefillTimeZone(root) {
    // Pre-fill an empty time-zone picker from the browser, so people rarely have to search.
    root.querySelectorAll("[data-tz-default]").forEach(function (el) {
      if (el.value) return;
      try {
        var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
        if (zone && Array.prototype.some.call(el.options || [], function (o) { return o.value === zone; })) el.value = zone;
        else if (zone && el.tagName === "INPUT") el.value = zone;
      } catch (e) { /* old browser: leave it empty */ }
    });
  }

  function selectOnFocus(root) {
    root.querySelectorAll("input[data-copy]").forEach(function (el) {
      el.addEventListener("focus", function () { el.select(); });
    });
  }

  function focusableScrollBoxes(root) {
    // A table that scrolls inside itself on a phone takes keyboard focus, so arrow keys can scroll it.
    root.querySelectorAll("main table, .table-scroll, .table-wrap").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
    });
  }

  function enhance(root) { prefillTimeZone(root); selectOnFocus(root); focusableScrollBoxes(root); }

  onReady(function () { enhance(document); });

  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = button && button.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); return; }
    // A confirmed button whose no-JavaScript path is a confirmation page: post the action directly.
    var form = event.target;
    if (message && form.hasAttribute("data-confirm-post")) {
      form.method = "post";
      form.action = form.getAttribute("data-confirm-post");
      form.querySelectorAll("input[name=csrf_token]").forEach(function (el) { el.disabled = false; });
    }
  });

  // A field's feedback is re-checked when it loses focus, often because the next control is being pressed.
  // Swapping it in mid-press moves the page under the pointer and the click lands elsewhere, so a
  // feedback swap waits for the press to end (the click is dispatched before the timeout runs).
  // A release the page never hears (a select's popup or a context menu takes it, the window is left
  // mid-press) must not hold feedback for good: a key pressed or the window left ends the press too.
  var pressed = false, held = [];
  function release() {
    pressed = false;
    setTimeout(function () { held.splice(0).forEach(function (swap) { swap(); }); }, 0);
  }
  document.addEventListener("pointerdown", function () { pressed = true; }, true);
  ["pointerup", "pointercancel", "keydown", "contextmenu"].forEach(function (type) {
    document.addEventListener(type, release, true);
  });
  window.addEventListener("blur", release);
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!pressed || !event.detail.shouldSwap || !target.classList.contains("feedback")) return;
    event.detail.shouldSwap = false;
    var html = event.detail.serverResponse, id = target.id;
    held.push(function () {
      var current = document.getElementById(id);
      if (current) htmx.swap(current, html, { swapStyle: "outerHTML" });
    });
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    // An outerHTML swap leaves detail.target detached: work on its replacement (same id) instead.
    var root = event.detail.target;
    if (!root.isConnected) root = (root.id && document.getElementById(root.id)) || document.body;
    enhance(root);
    // After a swap that replaced a region, move focus to its declared landing spot (maybe the region).
    var landing = root.matches("[data-focus-after-swap]") ? root : root.querySelector("[data-focus-after-swap]");
    if (landing) landing.focus();
  });
})();
