/* "Which level of care might fit?" (content/self-check.md).
 *
 * Everything happens in this page: the script reads the rules that the build wrote from
 * facts.yaml into <script id="self-check-data">, and shows what to do first and the levels worth
 * discussing. It sends nothing, stores nothing (no cookies, no storage) and loads nothing.
 *
 * The rules (facts.yaml `self_check`; carekb/self_check_rank.py does the same in Python, and the
 * tests compare the two on every combination of answers that changes the levels, and on the
 * clinical scenarios of tests/selfcheck_scenarios.yaml):
 * - answers-together (`together`) count as answers when the chosen answers meet their `when`;
 * - a level is suggested by the answers that list it in `suggests`;
 * - priorities: safety outweighs need, which outweighs preference; an answer cannot rule out or
 *   move down a level that a higher-priority answer suggests (its `if_outweighed` text is shown);
 * - a level is worth discussing when it is suggested and not ruled out;
 * - order: levels not moved down before levels moved down; then levels put `first` by a safety
 *   answer; then levels where people live at home before 24-hour settings; then levels put first
 *   by a need answer, then by a preference answer, then the rest; among levels put first at the
 *   same priority: named by more answers, then by the earlier question, then earlier in that
 *   answer's `first` list; then suggested by more answers; then the order of `levels`;
 * - steps come in the order of `steps`, pages in the order of `pages`;
 * - words: the `_them` texts when the person answers for someone else; the reason of the answer
 *   that put the first level there is shown with it, every other reason once, under "more".
 * Steps with crisis numbers come before any level. The result always ends with "Talk with a
 * clinician" and the crisis numbers not shown above it.
 *
 * Every word it shows comes from the page, in the page's language: the facts' texts in
 * <script id="self-check-data">, the site's own words in <script id="self-check-words">, and
 * the crisis numbers and closing block in <template>s. The same script runs the English and
 * the Spanish page.
 */
(function () {
  "use strict";

  var PRIORITIES = ["safety", "need", "preference"];
  var NOT_FIRST = PRIORITIES.length;

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function copyLink(selector, text) {
    // The page's own lists link every level and page (MkDocs checks those links); reuse them.
    var source = document.querySelector(selector);
    if (!source) return element("span", text);
    var link = element("a", text || source.textContent);
    link.setAttribute("href", source.getAttribute("href"));
    return link;
  }

  function levelLink(level) {
    return copyLink('[data-level="' + level.id + '"] a[href]:not(.headerlink)', level.label);
  }

  function pageLink(id) {
    return copyLink('a[data-page="' + id + '"][href]', null);
  }

  function rankOf(answer) { return PRIORITIES.indexOf(answer.priority); }

  function compare(a, b) {
    for (var i = 0; i < a.length; i += 1) {
      if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    }
    return 0;
  }

  function unique(items) {
    return items.filter(function (item, i) { return item && items.indexOf(item) === i; });
  }

  /* `chosen`, then each answer-together whose `when` the chosen answers meet. */
  function withTogether(data, chosen) {
    var labels = {};
    chosen.forEach(function (pair) { labels[data.questions[pair[0]].id] = pair[1].label; });
    var extra = [];
    data.together.forEach(function (together, i) {
      var met = Object.keys(together.when).every(function (q) {
        return q in labels && together.when[q].indexOf(labels[q]) >= 0;
      });
      if (met) extra.push([data.questions.length + i, together]);
    });
    return chosen.concat(extra);
  }

  /* The order alone (carekb/self_check_rank.rank). `chosen` already holds answers-together. */
  function rank(data, chosen) {
    var suggested = {}, strongest = {}, named = {}, ruledOut = {}, movedDown = {}, outweighed = [];
    chosen.forEach(function (pair) {
      var answer = pair[1], r = rankOf(answer);
      answer.suggests.forEach(function (id) {
        suggested[id] = (suggested[id] || 0) + 1;
        if (r < (id in strongest ? strongest[id] : NOT_FIRST)) strongest[id] = r;
      });
      answer.first.forEach(function (id, pos) { (named[id] = named[id] || []).push([r, pair[0], pos]); });
    });
    chosen.forEach(function (pair) {
      var answer = pair[1], r = rankOf(answer), kept = false;
      answer.rules_out.forEach(function (id) {
        if ((id in strongest ? strongest[id] : NOT_FIRST) < r) kept = true;
        else ruledOut[id] = true;
      });
      answer.moves_down.forEach(function (id) {
        if ((id in strongest ? strongest[id] : NOT_FIRST) < r) kept = true;
        else movedDown[id] = true;
      });
      if (kept) outweighed.push(answer);
    });
    var keys = {}, discuss = [];
    data.levels.forEach(function (level, i) {
      var id = level.id;
      if (!suggested[id] || ruledOut[id]) return;
      var found = named[id] || [], tier = NOT_FIRST, q = 0, pos = 0, count = 0;
      if (found.length) {
        tier = Math.min.apply(null, found.map(function (n) { return n[0]; }));
        var atTier = found.filter(function (n) { return n[0] === tier; });
        var best = atTier.reduce(function (low, n) { return compare([n[1], n[2]], low) < 0 ? [n[1], n[2]] : low; },
                                 [atTier[0][1], atTier[0][2]]);
        q = best[0]; pos = best[1]; count = atTier.length;
      }
      var safety = tier === 0;
      keys[id] = [movedDown[id] ? 1 : 0, safety ? 0 : 1, level.day_and_night && !safety ? 1 : 0, tier, -count,
                  q, pos, -suggested[id], i];
      discuss.push(id);
    });
    discuss.sort(function (a, b) { return compare(keys[a], keys[b]); });
    return {
      discuss: discuss, keys: keys, outweighed: outweighed,
      unlikely: data.levels.filter(function (level) { return ruledOut[level.id]; }).map(function (l) { return l.id; })
    };
  }

  /* The whole result (carekb/self_check_rank.weigh). `chosen` is a list of [question index, answer]. */
  function weigh(data, chosen) {
    var who = "self";
    chosen.forEach(function (pair) { if (pair[1].who && who === "self") who = pair[1].who; });
    function say(item, key) {
      var them = item[key + "_them"];
      return who !== "self" && them ? them : item[key];
    }
    chosen = withTogether(data, chosen);
    var ranked = rank(data, chosen), discuss = ranked.discuss, why = [];
    chosen.forEach(function (pair) {
      why.push(say(pair[1], "because"));
      if (ranked.outweighed.indexOf(pair[1]) >= 0 && pair[1].if_outweighed) why.push(say(pair[1], "if_outweighed"));
    });
    var lead = null;
    if (discuss.length) {
      var key = ranked.keys[discuss[0]], top = discuss[0];
      chosen.forEach(function (pair) {
        var a = pair[1];
        if (!lead && key[3] < NOT_FIRST && pair[0] === key[5] && rankOf(a) === key[3] && a.first[key[6]] === top) lead = a;
      });
      chosen.forEach(function (pair) { if (!lead && pair[1].suggests.indexOf(top) >= 0) lead = pair[1]; });
    }
    var leadText = lead ? say(lead, "because") : null;
    var steps = {}, pages = {}, shown = [], linked = {};
    chosen.forEach(function (pair) {
      pair[1].steps.forEach(function (s) { steps[s] = true; });
      pair[1].pages.forEach(function (p) { pages[p] = true; });
    });
    data.steps.forEach(function (s) {
      if (!steps[s.id]) return;  // a page is linked once: by the first step that names it
      shown.push({ id: s.id, text: say(s, "text"), page: s.page in linked ? null : s.page, crisis: s.crisis });
      linked[s.page] = true;
    });
    return {
      discuss: discuss,
      unlikely: ranked.unlikely,
      lead: leadText,
      why: unique(why).filter(function (text) { return text !== leadText; }),
      steps: shown,
      pages: data.pages.filter(function (p) { return pages[p] && !(p in linked); }),
      who: who,
      safety_first: discuss.length > 0 && ranked.keys[discuss[0]][0] === 0 && ranked.keys[discuss[0]][1] === 0
    };
  }

  function levelsById(data) {
    var out = {};
    data.levels.forEach(function (level) { out[level.id] = level; });
    return out;
  }

  function linkList(links, className, lead, words) {
    var p = element("p", lead, className);
    links.forEach(function (link, i) {
      p.appendChild(document.createTextNode(i ? words.list_and : " "));
      p.appendChild(link);
    });
    p.appendChild(document.createTextNode(words.list_end));
    return p;
  }

  function crisisItems(ids) {
    var source = document.getElementById("self-check-crisis");
    var list = document.importNode(source.content, true).querySelector("ul");
    Array.prototype.slice.call(list.children).forEach(function (item) {
      if (ids && ids.indexOf(item.getAttribute("data-crisis")) < 0) list.removeChild(item);
    });
    return list;
  }

  function show(data, words, form, result) {
    var chosen = [], skipped = 0;
    data.questions.forEach(function (question, index) {
      var picked = form.querySelector('input[name="' + question.id + '"]:checked');
      if (picked) chosen.push([index, question.answers[Number(picked.value)]]);
      else skipped += 1;
    });
    var found = weigh(data, chosen), levels = levelsById(data), parts = [], shownCrisis = [];
    var title = element("h3", words.result_title);
    title.id = "self-check-result-title";
    title.tabIndex = -1;
    parts.push(title);
    if (!chosen.length) {
      parts.push(element("p", words.none_answered));
    }
    var others = element("ul", null, "kb-self-check__steps");
    found.steps.forEach(function (step) {
      var text = element(step.crisis.length ? "p" : "li", step.text);
      if (step.page) {
        text.appendChild(document.createTextNode(" "));
        text.appendChild(pageLink(step.page));
      }
      if (!step.crisis.length) {
        others.appendChild(text);
        return;
      }
      var box = element("div", null, "kb-self-check__now");
      box.appendChild(text);
      box.appendChild(crisisItems(step.crisis));
      shownCrisis = shownCrisis.concat(step.crisis);
      parts.push(box);
    });
    if (others.children.length) parts.push(others);
    if (found.discuss.length) {
      parts.push(element("p", words.discuss_lead));
      var list = element("ol", null, "kb-self-check__levels kb-self-check__levels--discuss");
      found.discuss.forEach(function (id, i) {
        var item = element("li"), name = element("strong");
        name.appendChild(levelLink(levels[id]));
        item.appendChild(name);
        if (i === 0 && found.lead) item.appendChild(element("p", found.lead, "kb-self-check__lead"));
        list.appendChild(item);
      });
      parts.push(list);
    } else if (chosen.length) {
      parts.push(element("p", words.no_level));
    }
    if (found.unlikely.length) {
      parts.push(linkList(found.unlikely.map(function (id) { return levelLink(levels[id]); }),
                          "kb-self-check__unlikely", words.unlikely, words));
    }
    if (found.pages.length) {
      parts.push(linkList(found.pages.map(pageLink), "kb-self-check__pages", words.read_next, words));
    }
    if (found.why.length || skipped) {
      var more = element("details", null, "kb-self-check__more");
      more.appendChild(element("summary", words.why));
      if (skipped && chosen.length) {
        more.appendChild(element("p", (skipped === 1 ? words.skipped_one : words.skipped_many)
          .replace("{n}", String(skipped))));
      }
      var reasons = element("ul");
      found.why.forEach(function (reason) { reasons.appendChild(element("li", reason)); });
      if (found.why.length) more.appendChild(reasons);
      parts.push(more);
    }
    var end = document.importNode(document.getElementById("self-check-end").content, true);
    var rest = crisisItems(null);
    Array.prototype.slice.call(rest.children).forEach(function (item) {
      if (shownCrisis.indexOf(item.getAttribute("data-crisis")) >= 0) rest.removeChild(item);
    });
    var ask = end.querySelector(".kb-self-check__end-help");
    if (rest.children.length) ask.parentNode.appendChild(rest);
    else ask.parentNode.removeChild(ask);
    Array.prototype.slice.call(end.querySelectorAll("a[data-page]")).forEach(function (link) {
      var source = document.querySelector('a[data-page="' + link.getAttribute("data-page") + '"][href]');
      if (source) link.setAttribute("href", source.getAttribute("href"));
      link.removeAttribute("data-page");
    });
    parts.push(end);
    result.replaceChildren.apply(result, parts);
    // Material's header is sticky: leave room for it above the heading, then scroll the heading
    // into view and move focus to it, so screen readers start reading the result there.
    var header = document.querySelector(".md-header");
    var below = header ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
    title.style.scrollMarginTop = Math.ceil(below) + 16 + "px";
    title.scrollIntoView({ block: "start" });
    title.focus({ preventScroll: true });
  }

  function setWho(data, form) {
    var who = "self";
    data.questions.forEach(function (question, index) {
      var picked = form.querySelector('input[name="' + question.id + '"]:checked');
      var answer = picked ? question.answers[Number(picked.value)] : null;
      if (answer && answer.who) who = answer.who;
    });
    form.classList.toggle("kb-self-check--them", who !== "self");
  }

  function setup() {
    var tool = document.getElementById("self-check-tool");
    var form = document.getElementById("self-check");
    var result = document.getElementById("self-check-result");
    var source = document.getElementById("self-check-data");
    var wording = document.getElementById("self-check-words");
    if (!tool || !form || !result || !source || !wording || form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "true");
    var data = JSON.parse(source.textContent);
    var words = JSON.parse(wording.textContent);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      show(data, words, form, result);
    });
    form.addEventListener("change", function () { setWho(data, form); });
    form.addEventListener("reset", function () {
      result.replaceChildren();
      form.classList.remove("kb-self-check--them");
    });
    var fallback = document.getElementById("self-check-nojs");
    if (fallback) fallback.hidden = true;
    tool.hidden = false;
  }

  // The ranking, for the tests that compare it with carekb/self_check_rank.py (pure functions:
  // they read and keep nothing).
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
