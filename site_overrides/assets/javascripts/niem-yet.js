// Counter sheet (niêm yết): a button that opens the browser's print dialog. Without JavaScript
// the button stays hidden and the browser's own Print command does the same.
(function () {
  "use strict";
  var button = document.querySelector(".ck-print-button");
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
