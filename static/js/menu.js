// On a phone the main menu folds behind the "Menu" button, so that a page starts with
// its content; without JavaScript, or on a wider screen, the menu stays open.
(function () {
  "use strict";
  var button = document.querySelector(".menu-toggle");
  var nav = document.getElementById("site-nav");
  if (!button || !nav) {
    return;
  }
  var narrow = window.matchMedia("(max-width: 39.99rem)");

  function show() {
    var open = button.getAttribute("aria-expanded") === "true";
    button.hidden = !narrow.matches;
    nav.hidden = narrow.matches && !open;
  }

  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
    show();
  });
  narrow.addEventListener("change", show);
  show();
})();
