// coursekit grading sheet: one question, every answer, the rubric; works offline from file://.
// The page's data is the JSON in #sheet-data; the grader's work is kept in localStorage under
// the sheet's id, and "Save" downloads it as the grading CSV that `coursekit rubric import` reads.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("sheet-data").textContent);
  var KEY = "coursekit-rubric:" + data.sheet;
  var COLUMNS = ["assignment", "notebook", "question", "sheet", "code", "graded", "criteria",
    "adjustment", "reason", "score", "comment", "second_look", "grader", "saved_at"];
  var $ = function (id) { return document.getElementById(id); };
  var storage = null;
  try {
    storage = window.localStorage;
    storage.setItem(KEY + ":probe", "1");
    storage.removeItem(KEY + ":probe");
  } catch (e) {
    storage = null;
  }
  var state = load();
  var position = Math.min(state.position || 0, data.answers.length - 1);

  function blank() {
    return { criteria: [], adjustment: "", reason: "", comment: "", second_look: false, graded: false };
  }
  function load() {
    var saved = null;
    if (storage) {
      try { saved = JSON.parse(storage.getItem(KEY) || "null"); } catch (e) { saved = null; }
    }
    saved = saved && typeof saved === "object" ? saved : {};
    saved.answers = saved.answers && typeof saved.answers === "object" ? saved.answers : {};
    saved.initials = typeof saved.initials === "string" ? saved.initials : "";
    return saved;
  }
  function keep() {
    state.position = position;
    if (!storage) return;
    try { storage.setItem(KEY, JSON.stringify(state)); } catch (e) { warn("Your browser did not keep the last change: save the CSV now."); }
  }
  function work(code) {
    if (!state.answers[code]) state.answers[code] = blank();
    return state.answers[code];
  }
  function current() { return data.answers[position]; }
  function points(c) { return Number(c.points); }
  function score(w) {
    var total = 0;
    data.criteria.forEach(function (c) { if (w.criteria.indexOf(c.id) >= 0) total += points(c); });
    var adj = parseFloat(w.adjustment);
    if (!isNaN(adj)) total += adj;
    return Math.max(0, Math.min(data.points, total));
  }
  function fmt(x) { return String(Math.round(x * 100) / 100); }
  function gradedCount() {
    return data.answers.filter(function (a) { return work(a.code).graded; }).length;
  }
  function warn(text) { $("warning").textContent = text; }

  function visible(index) {
    return !$("only-ungraded").checked || !work(data.answers[index].code).graded;
  }
  function move(step) {
    var i = position;
    for (var n = 0; n < data.answers.length; n++) {
      i = i + step;
      if (i < 0 || i >= data.answers.length) break;
      if (visible(i)) { position = i; render(true); return; }
    }
    announce(step > 0 ? "No further answer in this view." : "No earlier answer in this view.");
  }
  function announce(text) { $("announce").textContent = text; }

  function render(moved) {
    var a = current();
    var w = work(a.code);
    $("pos").textContent = String(position + 1);
    $("code").textContent = a.code;
    $("words").textContent = String(a.words);
    $("answer").innerHTML = a.html || "<p><em>(empty answer)</em></p>";
    var cells = $("code-cells");
    cells.innerHTML = "";
    (a.code_cells || []).forEach(function (cell) {
      var details = document.createElement("details");
      details.open = true;
      var summary = document.createElement("summary");
      summary.textContent = "The student's code cell " + cell.grade_id;
      var pre = document.createElement("pre");
      pre.textContent = cell.source || "(empty)";
      details.appendChild(summary);
      details.appendChild(pre);
      cells.appendChild(details);
    });
    document.querySelectorAll("input[data-criterion]").forEach(function (box) {
      box.checked = w.criteria.indexOf(box.getAttribute("data-criterion")) >= 0;
    });
    $("adjustment").value = w.adjustment;
    $("reason").value = w.reason;
    $("comment").value = w.comment;
    $("second-look").checked = !!w.second_look;
    $("status").textContent = w.graded ? "graded" : "not graded yet";
    $("status").className = w.graded ? "done" : "todo";
    $("score").textContent = fmt(score(w));
    refreshProgress();
    refreshComments();
    if (moved) {
      announce("Answer " + (position + 1) + " of " + data.answers.length + ", " + a.code +
        (w.graded ? ", graded " + fmt(score(w)) : ", not graded yet"));
      window.scrollTo(0, 0);
    }
    keep();
  }
  function refreshProgress() {
    $("progress").textContent = gradedCount() + " of " + data.answers.length + " graded";
  }
  function refreshComments() {
    var seen = {};
    var list = [];
    (data.comments || []).concat(data.answers.map(function (a) { return work(a.code).comment; }))
      .forEach(function (c) {
        var t = (c || "").trim();
        if (t && !seen[t]) { seen[t] = true; list.push(t); }
      });
    var select = $("reuse");
    var keepFirst = select.options[0];
    select.innerHTML = "";
    select.appendChild(keepFirst);
    list.forEach(function (t) {
      var o = document.createElement("option");
      o.value = t;
      o.textContent = t.length > 90 ? t.slice(0, 87) + "…" : t;
      select.appendChild(o);
    });
    select.value = "";
  }
  function touch(change) {
    var w = work(current().code);
    change(w);
    w.graded = true;
    $("status").textContent = "graded";
    $("status").className = "done";
    $("score").textContent = fmt(score(w));
    refreshProgress();
    keep();
  }
  function toggle(number) {
    var c = data.criteria[number - 1];
    if (!c) return;
    touch(function (w) {
      var i = w.criteria.indexOf(c.id);
      if (i >= 0) w.criteria.splice(i, 1); else w.criteria.push(c.id);
    });
    var box = document.querySelector("input[data-criterion='" + c.id + "']");
    box.checked = work(current().code).criteria.indexOf(c.id) >= 0;
    announce("Criterion " + number + (box.checked ? " met" : " not met") + "; score " +
      fmt(score(work(current().code))));
  }

  function csvField(value) {
    var text = String(value == null ? "" : value);
    if (/^[=+@]/.test(text)) text = " " + text;  // not a spreadsheet formula when opened
    return '"' + text.replace(/"/g, '""') + '"';
  }
  function csv() {
    var stamp = new Date().toISOString();
    var lines = [COLUMNS.join(",")];
    data.answers.forEach(function (a) {
      var w = work(a.code);
      var ordered = data.criteria.map(function (c) { return c.id; })
        .filter(function (id) { return w.criteria.indexOf(id) >= 0; });
      var row = {
        assignment: data.assignment, notebook: data.notebook, question: data.question,
        sheet: data.sheet, code: a.code, graded: w.graded ? "yes" : "no",
        criteria: ordered.join(";"), adjustment: w.graded ? w.adjustment : "",
        reason: w.reason, score: w.graded ? fmt(score(w)) : "", comment: w.comment,
        second_look: w.second_look ? "yes" : "no", grader: state.initials, saved_at: stamp
      };
      lines.push(COLUMNS.map(function (c) { return csvField(row[c]); }).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }
  function save() {
    var initials = $("initials").value.trim();
    if (!initials) {
      warn("Type your initials first: the CSV records who graded.");
      $("initials").focus();
      return;
    }
    warn("");
    var blob = new Blob([csv()], { type: "text/csv;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = data.sheet + "-" + initials.replace(/[^A-Za-z0-9_-]/g, "") + ".csv";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
    announce("Saved " + link.download + " (" + gradedCount() + " graded).");
  }

  function typing(el) {
    if (!el || !el.tagName) return false;
    var tag = el.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select") return true;
    return tag === "input" && ["text", "number", "search"].indexOf(el.type) >= 0;
  }
  document.addEventListener("keydown", function (ev) {
    if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === "s") {
      ev.preventDefault();
      save();
      return;
    }
    if (typing(ev.target)) {
      if (ev.key === "Escape") { ev.target.blur(); $("answer").focus(); }
      return;
    }
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var k = ev.key;
    if (k === "ArrowRight" || k === "n" || k === "j") { move(1); }
    else if (k === "ArrowLeft" || k === "p" || k === "k") { move(-1); }
    else if (/^[1-9]$/.test(k)) { toggle(Number(k)); }
    else if (k === "Enter" && !(ev.target && ev.target.tagName === "BUTTON")) { done(); }
    else if (k === "s") { touchSecond(); }
    else if (k === "u") { $("only-ungraded").click(); }
    else if (k === "c") { $("comment").focus(); }
    else if (k === "r") { $("reuse").focus(); }
    else if (k === "a") { $("adjustment").focus(); }
    else return;
    ev.preventDefault();
  });
  function done() {
    touch(function () {});
    announce("Marked graded: " + fmt(score(work(current().code))));
    move(1);
  }
  function touchSecond() {
    var w = work(current().code);
    w.second_look = !w.second_look;
    $("second-look").checked = w.second_look;
    keep();
    announce(w.second_look ? "Marked for a second look." : "Second look removed.");
  }

  document.querySelectorAll("input[data-criterion]").forEach(function (box, index) {
    box.addEventListener("change", function () { toggle(index + 1); });
  });
  $("adjustment").addEventListener("input", function (ev) {
    touch(function (w) { w.adjustment = ev.target.value; });
  });
  $("reason").addEventListener("input", function (ev) {
    touch(function (w) { w.reason = ev.target.value; });
  });
  $("comment").addEventListener("input", function (ev) {
    touch(function (w) { w.comment = ev.target.value; });
  });
  $("comment").addEventListener("change", refreshComments);
  $("reuse").addEventListener("change", function (ev) {
    var text = ev.target.value;
    if (!text) return;
    var box = $("comment");
    box.value = box.value.trim() ? box.value.trim() + " " + text : text;
    touch(function (w) { w.comment = box.value; });
    refreshComments();
  });
  $("second-look").addEventListener("change", function (ev) {
    work(current().code).second_look = ev.target.checked;
    keep();
  });
  $("initials").value = state.initials;
  $("initials").addEventListener("input", function (ev) {
    state.initials = ev.target.value.trim();
    keep();
  });
  $("only-ungraded").addEventListener("change", function () {
    announce($("only-ungraded").checked ? "Showing ungraded answers only." : "Showing all answers.");
    if (!visible(position)) move(1);
  });
  $("prev").addEventListener("click", function () { move(-1); });
  $("next").addEventListener("click", function () { move(1); });
  $("done").addEventListener("click", done);
  $("clear").addEventListener("click", function () {
    state.answers[current().code] = blank();
    render(false);
    announce("Cleared this answer's grading.");
  });
  $("save").addEventListener("click", save);
  if (!storage) warn("This browser does not keep work between visits: save the CSV before closing.");
  render(true);
})();
