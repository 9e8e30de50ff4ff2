/* "Which level of care might fit?" (content/self-check.md).
 *
 * Everything happens in this page: the script reads the rules that the build wrote from
 * facts.yaml into <script id="self-check-data">, and shows the levels worth discussing.
 * It sends nothing, stores nothing (no cookies, no storage) and loads nothing.
 *
 * The rules (facts.yaml `self_check`; carekb/self_check_rank.py does the same in Python, and
 * the tests compare the two on every combination of answers):
 * - a level is suggested by the answers that list it in `suggests`;
 * - priorities: safety outweighs need, which outweighs preference; an answer cannot rule out or
 *   move down a level that a higher-priority answer suggests (its `if_outweighed` text is shown);
 * - a level is worth discussing when it is suggested and not ruled out;
 * - order: levels not moved down before levels moved down; then levels put `first` by a safety
 *   answer, then by a need answer, then by a preference answer, then the rest; among levels put
 *   first at the same priority: named by more answers, then by the earlier question, then earlier
 *   in that answer's `first` list; then suggested by more answers; then the less intensive.
 * Each level shows the reasons of the answers that suggested it. The result always ends with
 * "Talk with a clinician" and crisis numbers.
 */
(function () {
  "use strict";

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function levelLink(level) {
    // The page's rule lists link every level (MkDocs checks those links); reuse their address.
    var source = document.querySelector('[data-level="' + level.id + '"] a[href]:not(.headerlink)');
    if (!source) return element("span", level.label);
    var link = element("a", level.label);
    link.setAttribute("href", source.getAttribute("href"));
    return link;
  }

  function reasonList(reasons) {
    var list = element("ul");
    reasons.forEach(function (reason) { list.appendChild(element("li", reason)); });
    return list;
  }

  var PRIORITIES = ["safety", "need", "preference"];
  var NOT_FIRST = PRIORITIES.length;

  function rank(answer) { return PRIORITIES.indexOf(answer.priority); }

  function compare(a, b) {
    for (var i = 0; i < a.length; i += 1) {
      if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    }
    return 0;
  }

  /* Which levels the answers point to, and why. `chosen` is a list of [question index, answer]. */
  function weigh(data, chosen) {
    var order = {}, suggested = {}, strongest = {}, ruledOut = {}, movedDown = {}, notes = [];
    data.levels.forEach(function (level, i) { order[level.id] = i; });
    chosen.forEach(function (pair) {
      var answer = pair[1];
      answer.suggests.forEach(function (id) {
        (suggested[id] = suggested[id] || []).push(answer.because);
        strongest[id] = Math.min(id in strongest ? strongest[id] : NOT_FIRST, rank(answer));
      });
    });
    chosen.forEach(function (pair) {
      var answer = pair[1], outweighed = false;
      ["rules_out", "moves_down"].forEach(function (key) {
        answer[key].forEach(function (id) {
          if ((id in strongest ? strongest[id] : NOT_FIRST) < rank(answer)) outweighed = true;
          else if (key === "rules_out") (ruledOut[id] = ruledOut[id] || []).push(answer.because);
          else movedDown[id] = true;
        });
      });
      if (!answer.suggests.length && !answer.rules_out.length && !answer.moves_down.length) {
        notes.push(answer.because);
      }
      if (outweighed && answer.if_outweighed) notes.push(answer.if_outweighed);
    });
    var keep = data.levels.filter(function (level) {
      return suggested[level.id] && !ruledOut[level.id];
    });
    var keys = {};
    keep.forEach(function (level) {
      var id = level.id, named = [];
      chosen.forEach(function (pair) {
        var pos = pair[1].first.indexOf(id);
        if (pos >= 0) named.push([rank(pair[1]), pair[0], pos]);
      });
      var tier = named.reduce(function (low, n) { return Math.min(low, n[0]); }, NOT_FIRST);
      var atTier = named.filter(function (n) { return n[0] === tier; });
      var best = atTier.reduce(function (low, n) {
        return low === null || compare([n[1], n[2]], low) < 0 ? [n[1], n[2]] : low;
      }, null) || [0, 0];
      keys[id] = [movedDown[id] ? 1 : 0, tier, -atTier.length, best[0], best[1],
                  -suggested[id].length, order[id]];
    });
    keep.sort(function (a, b) { return compare(keys[a.id], keys[b.id]); });
    var dropped = data.levels.filter(function (level) { return ruledOut[level.id]; });
    return {
      discuss: keep.map(function (level) { return { level: level, reasons: unique(suggested[level.id]) }; }),
      unlikely: dropped.map(function (level) { return { level: level, reasons: unique(ruledOut[level.id]) }; }),
      notes: unique(notes),
      safetyFirst: keep.length > 0 && keys[keep[0].id][0] === 0 && keys[keep[0].id][1] === 0
    };
  }

  function unique(items) {
    return items.filter(function (item, i) { return items.indexOf(item) === i; });
  }

  function levelItems(entries, kind) {
    var list = element("ul", null, "kb-self-check__levels kb-self-check__levels--" + kind);
    entries.forEach(function (entry) {
      var item = element("li");
      var name = element("strong");
      name.appendChild(levelLink(entry.level));
      item.appendChild(name);
      item.appendChild(reasonList(entry.reasons));
      list.appendChild(item);
    });
    return list;
  }

  function show(data, form, result) {
    var chosen = [], skipped = 0;
    data.questions.forEach(function (question, index) {
      var picked = form.querySelector('input[name="' + question.id + '"]:checked');
      if (picked) chosen.push([index, question.answers[Number(picked.value)]]);
      else skipped += 1;
    });
    var found = weigh(data, chosen);
    var parts = [];
    var title = element("h3", "Levels to talk about with a clinician");
    title.id = "self-check-result-title";
    title.tabIndex = -1;
    parts.push(title);
    if (!chosen.length) {
      parts.push(element("p", "You did not answer any questions. Answer at least one to see levels to talk about."));
    } else {
      if (skipped) {
        parts.push(element("p", "You left " + skipped + (skipped === 1 ? " question" : " questions") +
          " blank. This result uses only the questions you answered."));
      }
      if (found.discuss.length) {
        if (found.safetyFirst) {
          parts.push(element("p", "Some of your answers are about your safety. The levels that can keep you safe come first."));
        }
        parts.push(element("p", "Based on your answers, these levels may be worth talking about. The best match is first."));
        parts.push(levelItems(found.discuss, "discuss"));
      } else {
        parts.push(element("p", "Your answers do not point to one level. A clinician can help you sort it out."));
      }
      if (found.unlikely.length) {
        parts.push(element("h3", "Less likely to fit right now"));
        parts.push(levelItems(found.unlikely, "unlikely"));
      }
      if (found.notes.length) {
        parts.push(element("h3", "Also keep in mind"));
        var notes = reasonList(found.notes);
        notes.className = "kb-self-check__notes";
        parts.push(notes);
      }
    }
    var end = document.getElementById("self-check-end");
    if (end) parts.push(document.importNode(end.content, true));
    result.replaceChildren.apply(result, parts);
    // Material's header is sticky: leave room for it above the heading, then scroll the heading
    // into view and move focus to it, so screen readers start reading the result there.
    var header = document.querySelector(".md-header");
    var below = header ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
    title.style.scrollMarginTop = Math.ceil(below) + 16 + "px";
    title.scrollIntoView({ block: "start" });
    title.focus({ preventScroll: true });
  }

  function setup() {
    var tool = document.getElementById("self-check-tool");
    var form = document.getElementById("self-check");
    var result = document.getElementById("self-check-result");
    var source = document.getElementById("self-check-data");
    if (!tool || !form || !result || !source || form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "true");
    var data = JSON.parse(source.textContent);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      show(data, form, result);
    });
    form.addEventListener("reset", function () { result.replaceChildren(); });
    var fallback = document.getElementById("self-check-nojs");
    if (fallback) fallback.hidden = true;
    tool.hidden = false;
  }

  // The ranking, for the test that compares it with carekb/self_check_rank.py on every
  // combination of answers (a pure function: it reads and keeps nothing).
  window.kbSelfCheckWeigh = weigh;

  // Material's instant navigation swaps pages without a reload; document$ fires for each one.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
