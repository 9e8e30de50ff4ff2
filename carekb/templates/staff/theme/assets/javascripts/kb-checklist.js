/* Staff handbook checklists ("Your first week"): the boxes of a task list can be ticked, and
   the ticks are kept in this browser only (localStorage, under this page's address). Nothing
   is sent anywhere: this script makes no request. Without it the boxes stay as the page
   shows them (not tickable). Staff build only (hooks/staff_site.py adds this file). */
(function () {
  "use strict";
  var lists = document.querySelectorAll("article .task-list");
  if (!lists.length) {
    return;
  }
  var KEY = "kb-checklist:" + location.pathname;
  var store = null;
  try {
    store = window.localStorage;
    store.getItem(KEY);
  } catch (e) {
    store = null; /* storage switched off: the boxes still tick, for this visit */
  }

  function itemKey(box) {
    var item = box.closest("li");
    return (item ? item.textContent : "").replace(/\s+/g, " ").trim().slice(0, 200);
  }

  function load() {
    try {
      return JSON.parse((store && store.getItem(KEY)) || "[]");
    } catch (e) {
      return [];
    }
  }

  var boxes = Array.prototype.slice.call(
    document.querySelectorAll("article .task-list input[type=checkbox]"));
  var ticked = load();

  function save() {
    if (!store) {
      return;
    }
    var now = boxes.filter(function (b) { return b.checked; }).map(itemKey);
    try {
      if (now.length) {
        store.setItem(KEY, JSON.stringify(now));
      } else {
        store.removeItem(KEY);
      }
    } catch (e) {
      /* full or refused: the ticks stay for this visit */
    }
  }

  /* The item's words join its box's label, so a tap on them ticks it too (a larger target
     than the box alone); a list inside the item stays outside. */
  function widen(box) {
    var label = box.closest("label");
    var next = label && label.nextSibling;
    while (next && !(next.nodeType === 1 && /^(UL|OL|P|DIV)$/.test(next.nodeName))) {
      var move = next;
      next = next.nextSibling;
      label.appendChild(move);
    }
  }

  boxes.forEach(function (box) {
    widen(box);
    box.disabled = false;
    box.removeAttribute("disabled");
    box.checked = ticked.indexOf(itemKey(box)) !== -1;
    box.addEventListener("change", save);
  });

  var note = document.createElement("p");
  note.className = "kb-checklist-note";
  note.textContent = store
    ? "Your ticks are kept in this browser only, on this device. They are never sent anywhere. "
    : "This browser does not keep ticks, so they last until you leave the page. ";
  if (store) {
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "md-button kb-checklist-clear";
    clear.textContent = "Clear my ticks";
    clear.addEventListener("click", function () {
      boxes.forEach(function (b) { b.checked = false; });
      save();
    });
    note.appendChild(clear);
  }
  lists[lists.length - 1].insertAdjacentElement("afterend", note);
})();
