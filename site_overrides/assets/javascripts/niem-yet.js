// Counter sheet (niêm yết): fits the sheet to one A4 page by measuring it, and a print button.
//
// The sheet is laid out in the shipped font, in points, at the width of A4's printable box
// (niem-yet.css), so its height on screen is its height on paper. Once the fonts are loaded, and
// again just before printing if its height changed since, the script measures it and, until it
// fits:
//   1. steps the body type size down, 10 pt to 8 pt (the smallest it allows);
//   2. at 8 pt, cuts the long texts marked data-ck-cut (document names, steps, places) to the
//      longest length that fits, never below MIN_CUT characters, each ending in "…";
//   3. then caps the lists marked data-ck-list (documents, steps) at the most items that fit,
//      each list saying how many it left out, and lengthens the cut texts again if room is left.
// From step 2 on, the sheet says that it was shortened and where the full text is (QR code and
// address). When even one document and one step at MIN_CUT do not fit (what is never shortened
// fills the page), the sheet prints whole at 8 pt on as many pages as it takes. The outcome is on
// .ck-counter: data-fit ("full", "cut", "dropped" or "overflow") and --ck-size. Without
// JavaScript the sheet prints whole at 10 pt.
//
// A page may hold one sheet per place of a procedure: the sheet fitted is the one the address
// names ("#<agency>", the one niem-yet.css shows), fitted again when the address changes.
(function () {
  "use strict";
  var SIZES_PT = [10, 9.5, 9, 8.5, 8];
  var MIN_CUT = 60;
  // A4's height less the top and bottom margins of @page in niem-yet.css, in CSS pixels, less 3 %:
  // a browser may lay out print a little differently from screen (rounding, hinting).
  var PAGE_PX = (297 - 2 * 12) * 96 / 25.4 * 0.97;

  var counter = document.querySelector(".ck-counter");
  var button = document.querySelector(".ck-print-button");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }
  if (!counter) { return; }

  var root = document.documentElement;
  var sheet = null;
  var notice, cuts, lists, longest;
  var fittedHeight = -1;
  var originals = new WeakMap(); // each cut text as written, for a sheet chosen again after being cut

  // The sheet shown: the page's only one, or the one the address names.
  function shown() {
    var all = counter.querySelectorAll(".ck-sheet");
    if (all.length === 1) { return all[0]; }
    var named = location.hash.length > 1 && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    return named && named.classList.contains("ck-sheet") ? named : null;
  }

  // Take the sheet shown, with its texts to cut and lists to cap; false when none is.
  function select() {
    sheet = shown();
    fittedHeight = -1;
    if (!sheet) { return false; }
    notice = sheet.querySelector(".ck-counter-shortened");
    cuts = Array.prototype.map.call(sheet.querySelectorAll("[data-ck-cut]"), function (el) {
      if (!originals.has(el)) { originals.set(el, el.textContent); }
      return { el: el, full: originals.get(el) };
    });
    lists = Array.prototype.map.call(sheet.querySelectorAll("[data-ck-list]"), function (list) {
      var more = list.querySelector(".ck-more");
      return { items: Array.prototype.filter.call(list.children, function (el) { return el !== more; }), more: more };
    });
    longest = cuts.reduce(function (most, c) { return Math.max(most, c.full.length); }, 0);
    return true;
  }

  function fits() {
    return sheet.getBoundingClientRect().height <= PAGE_PX;
  }

  function setSize(points) {
    counter.style.setProperty("--ck-size", points + "pt");
  }

  // The first `limit` characters of `text`, ended at a word boundary, with "…".
  function shorten(text, limit) {
    if (text.length <= limit) { return text; }
    var kept = text.slice(0, limit);
    var space = kept.lastIndexOf(" ");
    if (space > limit / 2) { kept = kept.slice(0, space); }
    return kept.replace(/[\s,;:.(–-]+$/, "") + "…";
  }

  function cutTo(limit) {
    cuts.forEach(function (c) { c.el.textContent = shorten(c.full, limit); });
  }

  function show(list, count) {
    list.items.forEach(function (el, i) { el.hidden = i >= count; });
    if (list.more) {
      list.more.hidden = count === list.items.length;
      list.more.querySelector(".ck-more-count").textContent = String(list.items.length - count);
    }
  }

  // Every list capped at `most` items.
  function capLists(most) {
    lists.forEach(function (l) { show(l, Math.min(l.items.length, most)); });
  }

  // The largest value from `low` up to `high` (which is known not to fit) for which apply(value)
  // fits, found by bisection and applied; `low` when none does.
  function largest(low, high, apply) {
    while (high - low > 1) {
      var middle = Math.floor((low + high) / 2);
      apply(middle);
      if (fits()) { low = middle; } else { high = middle; }
    }
    apply(low);
  }

  function measured() {
    root.classList.add("ck-measuring");
    var height = sheet.getBoundingClientRect().height;
    root.classList.remove("ck-measuring");
    return height;
  }

  function fit() {
    if (!sheet) { return; }
    root.classList.add("ck-measuring");
    cutTo(Infinity);
    capLists(Infinity);
    if (notice) { notice.hidden = true; }
    var outcome = "full";
    for (var i = 0; i < SIZES_PT.length; i += 1) {
      setSize(SIZES_PT[i]);
      if (fits()) { break; }
    }
    if (!fits()) {
      if (notice) { notice.hidden = false; }
      outcome = "cut";
      largest(MIN_CUT, longest, cutTo);
      if (!fits()) {
        outcome = "dropped";
        largest(1, lists.reduce(function (most, l) { return Math.max(most, l.items.length); }, 1), capLists);
        if (!fits()) {
          // What is never shortened (name, fees, contacts) fills the page by itself: more than one
          // page then, so nothing is left out.
          outcome = "overflow";
          cutTo(Infinity);
          capLists(Infinity);
          if (notice) { notice.hidden = true; }
        } else {
          cutTo(longest); // the room the left-out items leave goes back to the texts kept
          if (!fits()) { largest(MIN_CUT, longest, cutTo); }
        }
      }
    }
    fittedHeight = sheet.getBoundingClientRect().height;
    root.classList.remove("ck-measuring");
    counter.dataset.fit = outcome;
  }

  // Before printing: fit again, unless the sheet is as it was fitted.
  function refit() {
    if (sheet && measured() !== fittedHeight) { fit(); }
  }

  // Measure in the shipped face. Laying the sheet out starts the download of the faces its text
  // uses; the load() calls name the two every sheet uses ("ạ" is in the vietnamese file alone).
  // A face that arrives after the first fit makes the sheet fit again.
  select();
  window.addEventListener("hashchange", function () { if (select()) { fit(); } });
  var fonts = document.fonts;
  if (fonts && fonts.load) {
    if (sheet) { sheet.getBoundingClientRect(); }
    Promise.all([fonts.load("400 10pt 'Be Vietnam Pro'", "aạ"), fonts.load("700 10pt 'Be Vietnam Pro'", "aạ")])
      .then(function () { return fonts.ready; })
      .then(fit, fit)
      .then(function () { fonts.addEventListener("loadingdone", fit); });
  } else {
    fit();
  }
  window.addEventListener("beforeprint", refit);
})();
