// healthlint report: turns each file's copy and findings (the JSON above) into highlights when
// the file is opened, and applies the filters. User text only ever goes in through textContent.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("healthlint-data").textContent);
  var hiddenRules = new Set();
  var hiddenSeverities = new Set();
  var hideEmpty = false;
  var rendered = new Map(); // file index -> {marks: [mark...], items: [li...]}
  var tip = document.getElementById("tip");
  var WIDE = 300; // characters: about a paragraph

  function isShown(f) {
    return !hiddenRules.has(data.rules[f[3]]) && !hiddenSeverities.has(data.severities[f[2]]);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function findingItem(fileIndex, k, f, text) {
    var li = el("li", "finding sev-" + data.severities[f[2]]);
    li.id = "f" + fileIndex + "-" + k;
    var where = el("p", "where");
    where.appendChild(el("span", "badge", data.severities[f[2]]));
    where.appendChild(document.createTextNode(" "));
    where.appendChild(el("code", "rule", data.rules[f[3]]));
    where.appendChild(document.createTextNode(" "));
    var go = el("button", "goto", "line " + f[4] + ", column " + f[5]);
    go.type = "button";
    go.setAttribute("aria-label", "Show line " + f[4] + ", column " + f[5] + " in the copy");
    go.addEventListener("click", function () { showInCopy(fileIndex, k); });
    where.appendChild(go);
    li.appendChild(where);
    var words = text.slice(f[0], f[1]);
    if (words.length > 160) words = words.slice(0, 159) + "\u2026";
    if (words) li.appendChild(el("p", "words", "\u201c" + words + "\u201d"));
    li.appendChild(el("p", "message", data.strings[f[6]]));
    if (f[7] >= 0) {
      var suggestion = el("p", "suggestion");
      suggestion.appendChild(el("strong", null, "Instead: "));
      suggestion.appendChild(document.createTextNode(data.strings[f[7]]));
      li.appendChild(suggestion);
    }
    return li;
  }

  // The copy as pieces between every finding's start and end, each piece a <mark> naming the
  // findings that cover it (data-f), so overlapping findings each keep their exact range.
  function copyWithMarks(fileIndex, file) {
    var text = file.text, findings = file.findings;
    var pre = el("pre", "copy");
    var starts = new Map(), ends = new Map(), points = new Set([0, text.length]);
    findings.forEach(function (f, k) {
      if (f[1] <= f[0]) return; // nothing to highlight: listed only
      points.add(f[0]); points.add(f[1]);
      if (!starts.has(f[0])) starts.set(f[0], []);
      if (!ends.has(f[1])) ends.set(f[1], []);
      starts.get(f[0]).push(k); ends.get(f[1]).push(k);
    });
    var sorted = Array.from(points).sort(function (a, b) { return a - b; });
    var active = new Set(), marks = [];
    for (var j = 0; j < sorted.length - 1; j++) {
      var at = sorted[j];
      (ends.get(at) || []).forEach(function (k) { active.delete(k); });
      (starts.get(at) || []).forEach(function (k) { active.add(k); });
      var piece = text.slice(at, sorted[j + 1]);
      if (!active.size) { pre.appendChild(document.createTextNode(piece)); continue; }
      var mark = el("mark", null, piece);
      mark.dataset.f = Array.from(active).sort(function (a, b) { return a - b; }).join(" ");
      mark.dataset.file = fileIndex;
      marks.push(mark);
      pre.appendChild(mark);
    }
    return {pre: pre, marks: marks};
  }

  function render(details) {
    var i = Number(details.dataset.file);
    if (rendered.has(i)) return;
    var file = data.files[i];
    var body = details.querySelector(".file-body");
    if (file.chart) {
      var chart = el("div", "chart");
      chart.innerHTML = file.chart; // markup healthlint wrote, every label escaped
      body.appendChild(chart);
    }
    var doc = el("div", "doc");
    var copy = copyWithMarks(i, file);
    var list = el("ol", "findings");
    list.setAttribute("aria-label", "Findings in this file");
    var items = file.findings.map(function (f, k) { return findingItem(i, k, f, file.text); });
    items.forEach(function (li) { list.appendChild(li); });
    if (!items.length) list.appendChild(el("li", null, "No problems found in this file."));
    doc.appendChild(copy.pre);
    doc.appendChild(list);
    body.appendChild(doc);
    rendered.set(i, {marks: copy.marks, items: items});
    applyToFile(i);
  }

  function shownIn(mark) {
    var file = data.files[Number(mark.dataset.file)];
    return mark.dataset.f.split(" ").map(Number).filter(function (k) { return isShown(file.findings[k]); });
  }

  // A piece takes the look of the narrowest finding over it, so a claim inside a flagged
  // paragraph stands out; a finding as wide as a paragraph is only underlined, not filled.
  function markClass(file, shown) {
    var narrowest = shown.reduce(function (best, k) {
      var f = file.findings[k], b = file.findings[best];
      var width = f[1] - f[0], bestWidth = b[1] - b[0];
      return width < bestWidth || (width === bestWidth && f[2] < b[2]) ? k : best;
    });
    var f = file.findings[narrowest];
    return "sev-" + data.severities[f[2]] + (f[1] - f[0] > WIDE ? " wide" : "");
  }

  function applyToFile(i) {
    var file = data.files[i], view = rendered.get(i);
    if (view) {
      view.items.forEach(function (li, k) { li.hidden = !isShown(file.findings[k]); });
      view.marks.forEach(function (mark) {
        var shown = shownIn(mark);
        mark.className = shown.length ? markClass(file, shown) : "";
        mark.tabIndex = shown.length ? 0 : -1;
        if (shown.length) mark.setAttribute("aria-describedby", shown.map(function (k) { return "f" + i + "-" + k; }).join(" "));
        else mark.removeAttribute("aria-describedby");
      });
    }
    var count = file.findings.filter(isShown).length;
    var details = document.getElementById("file-" + i);
    var filtered = hiddenRules.size || hiddenSeverities.size;
    details.querySelector(".shown").textContent = filtered ? "(" + count + " shown)" : "";
    details.hidden = hideEmpty && count === 0;
  }

  function applyAll() {
    hideTip();
    data.files.forEach(function (_, i) { applyToFile(i); });
  }

  function showTip(mark) {
    var file = data.files[Number(mark.dataset.file)];
    // Most serious first, then the narrowest: the words being pointed at before their paragraph.
    var shown = shownIn(mark).sort(function (a, b) {
      var fa = file.findings[a], fb = file.findings[b];
      return fa[2] - fb[2] || (fa[1] - fa[0]) - (fb[1] - fb[0]) || a - b;
    });
    if (!shown.length) return;
    tip.textContent = "";
    shown.forEach(function (k) {
      var f = file.findings[k];
      var p = el("p", "sev-" + data.severities[f[2]]);
      p.appendChild(el("span", "badge", data.severities[f[2]]));
      p.appendChild(document.createTextNode(" " + data.strings[f[6]]));
      tip.appendChild(p);
      if (f[7] >= 0) tip.appendChild(el("p", "suggestion", "Instead: " + data.strings[f[7]]));
      var li = document.getElementById("f" + mark.dataset.file + "-" + k);
      if (li) li.classList.add("current");
      if (li && k === shown[0]) {
        var list = li.parentNode; // keep the finding in sight in its list, without moving the page
        if (li.offsetTop < list.scrollTop || li.offsetTop > list.scrollTop + list.clientHeight - 40) list.scrollTop = li.offsetTop - 8;
      }
    });
    var box = mark.getBoundingClientRect();
    tip.hidden = false;
    tip.style.left = Math.max(8, Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8)) + "px";
    tip.style.top = (window.scrollY + box.bottom + 6) + "px";
  }

  function hideTip() {
    tip.hidden = true;
    document.querySelectorAll("li.current").forEach(function (li) { li.classList.remove("current"); });
  }

  function showInCopy(i, k) {
    var view = rendered.get(i);
    var mark = view && view.marks.find(function (m) { return m.dataset.f.split(" ").indexOf(String(k)) >= 0; });
    if (!mark) return;
    document.querySelectorAll("mark.current").forEach(function (m) { m.classList.remove("current"); });
    mark.classList.add("current");
    mark.scrollIntoView({block: "center"});
    mark.focus({preventScroll: true});
  }

  function openFile(details) {
    details.open = true;
    render(details);
  }

  document.querySelectorAll("details.file").forEach(function (details) {
    details.addEventListener("toggle", function () { if (details.open) render(details); });
    if (details.open) render(details);
  });
  document.addEventListener("mouseover", function (e) { if (e.target.tagName === "MARK") showTip(e.target); });
  document.addEventListener("mouseout", function (e) { if (e.target.tagName === "MARK") hideTip(); });
  document.addEventListener("focusin", function (e) { if (e.target.tagName === "MARK") showTip(e.target); });
  document.addEventListener("focusout", function (e) { if (e.target.tagName === "MARK") hideTip(); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hideTip(); });
  document.querySelectorAll("[data-filter-rule]").forEach(function (box) {
    box.addEventListener("change", function () {
      if (box.checked) hiddenRules.delete(box.dataset.filterRule); else hiddenRules.add(box.dataset.filterRule);
      applyAll();
    });
  });
  document.querySelectorAll("[data-filter-severity]").forEach(function (box) {
    box.addEventListener("change", function () {
      if (box.checked) hiddenSeverities.delete(box.dataset.filterSeverity); else hiddenSeverities.add(box.dataset.filterSeverity);
      applyAll();
    });
  });
  document.getElementById("hide-empty").addEventListener("change", function (e) { hideEmpty = e.target.checked; applyAll(); });
  document.getElementById("open-all").addEventListener("click", function () { document.querySelectorAll("details.file").forEach(openFile); });
  document.getElementById("close-all").addEventListener("click", function () { document.querySelectorAll("details.file").forEach(function (d) { d.open = false; }); });
  // A link to a file in the overview opens it.
  function openFromHash() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.matches("details.file")) { openFile(target); target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openFromHash);
  openFromHash();
  document.body.dataset.ready = "true"; // for tests and scripts: the page has finished setting up
})();
