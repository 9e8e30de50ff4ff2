/* The preview's live reload and error box (served by engine/serve.py under /.preview/; the
   page holds no inline script, so a Content-Security-Policy of script-src 'self' allows it).

   The server holds a poll open until the site changes (a rebuild, good or failed), then this
   reloads the tab. While the last rebuild failed, every page starts with a box of messages
   (#preview-error), fixed at the top of the window: it is focused, so the editor, at whatever
   place in the page, sees it and a screen reader reads it. */
(function () {
  "use strict";
  var me = document.currentScript;
  var epoch = parseFloat(me.getAttribute("data-epoch"));
  var request = me.getAttribute("data-request");
  var req, timeout;

  function poll() {
    req = new XMLHttpRequest();
    req.onloadend = function () {
      if (parseFloat(this.responseText) > epoch) {
        location.reload();
      } else {
        timeout = setTimeout(poll, this.status === 200 ? 0 : 3000);
      }
    };
    req.open("GET", "/livereload/" + epoch + "/" + request);
    req.send();
  }

  function stop() {
    if (req) {
      req.abort();
    }
    if (timeout) {
      clearTimeout(timeout);
    }
    req = timeout = undefined;
  }

  function showNotice() {
    var box = document.getElementById("preview-notice");
    var hide = box && box.querySelector(".kb-preview-error__hide");
    if (hide && hide.hidden) {
      hide.hidden = false;
      hide.addEventListener("click", function () {
        box.hidden = true;
      });
    }
  }

  function showProblems() {
    showNotice();
    var box = document.getElementById("preview-error");
    if (!box) {
      return;
    }
    var hide = box.querySelector(".kb-preview-error__hide");
    if (hide) {
      hide.hidden = false;
      hide.addEventListener("click", function () {
        box.hidden = true;
      });
    }
    box.focus({ preventScroll: true });
  }

  showProblems();
  window.addEventListener("load", function () {
    showProblems(); /* again: the page's own scripts may have moved the focus while loading */
    if (document.visibilityState === "visible") {
      poll();
    }
  });
  window.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      poll();
    } else {
      stop();
    }
  });
  window.addEventListener("beforeunload", stop);
})();
