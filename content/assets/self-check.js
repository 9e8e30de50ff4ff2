/* "Which level of care might fit?" (content/self-check.md).
 *
 * Everything happens in this page: the script reads the rules that the build wrote from
 * facts.yaml into <script id="self-check-data">, and shows the levels worth discussing.
 * It sends nothing, stores nothing (no cookies, no storage) and loads nothing.
 *
 * The rules: every answer may suggest levels and rule some out. A level is worth discussing
 * when an answer suggests it and no answer rules it out; levels suggested by more answers
 * come first, then from least to most intensive. Each level shows the reasons of the answers
 * that suggested it. The result always ends with "Talk with a clinician" and crisis numbers.
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

  /* Which levels the answers point to, and why. `chosen` is a list of [question, answer]. */
  function weigh(data, chosen) {
    var order = {}, suggested = {}, ruledOut = {}, notes = [];
    data.levels.forEach(function (level, i) { order[level.id] = i; });
    chosen.forEach(function (pair) {
      var answer = pair[1];
      answer.suggests.forEach(function (id) {
        (suggested[id] = suggested[id] || []).push(answer.because);
      });
      answer.rules_out.forEach(function (id) {
        (ruledOut[id] = ruledOut[id] || []).push(answer.because);
      });
      if (!answer.suggests.length && !answer.rules_out.length) notes.push(answer.because);
    });
    var keep = data.levels.filter(function (level) {
      return suggested[level.id] && !ruledOut[level.id];
    });
    keep.sort(function (a, b) {
      return (suggested[b.id].length - suggested[a.id].length) || (order[a.id] - order[b.id]);
    });
    var dropped = data.levels.filter(function (level) { return ruledOut[level.id]; });
    return {
      discuss: keep.map(function (level) { return { level: level, reasons: unique(suggested[level.id]) }; }),
      unlikely: dropped.map(function (level) { return { level: level, reasons: unique(ruledOut[level.id]) }; }),
      notes: unique(notes)
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
    data.questions.forEach(function (question) {
      var picked = form.querySelector('input[name="' + question.id + '"]:checked');
      if (picked) chosen.push([question, question.answers[Number(picked.value)]]);
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
    title.focus({ preventScroll: true });
    title.scrollIntoView({ block: "start" });
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

  // Material's instant navigation swaps pages without a reload; document$ fires for each one.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
