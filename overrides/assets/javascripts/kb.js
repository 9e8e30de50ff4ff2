/* Marks each table scroll box that is narrower than its table, so its "Scroll sideways" cue
   shows only when there is more to see (kb.css). Without scripts the cue follows screen width. */
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".kb-table-scroll").forEach(function (box) {
      box.classList.toggle("kb-overflows", box.scrollWidth > box.clientWidth + 1);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
  window.addEventListener("resize", mark);
})();
