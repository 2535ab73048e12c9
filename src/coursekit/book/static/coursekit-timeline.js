// The course timeline (the book's timeline appendix), made interactive without a kernel or a
// library: filters by relationship, category and tone, a decade zoom (one row per year), and a
// popover with the event and its source that hover and keyboard focus open. The markup comes
// from coursekit.book.timeline; this file only shows, hides and places it.
//
// Keyboard: the events are one Tab stop (a roving tabindex); the arrow keys move through the
// events in date order (Home and End for the first and last); Tab from an event goes to the
// links in its popover; Escape closes the popover.
(function () {
  "use strict";
  var SLOT = 24; // px: each marker is a 24 x 24 target, and lanes keep targets this far apart
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // Greedy lanes: each item goes in the first lane where it is at least SLOT px from the last.
  function lanes(items) {
    var ends = [];
    items.forEach(function (it) {
      var lane = 0;
      while (lane < ends.length && it.x - ends[lane] < SLOT) { lane += 1; }
      ends[lane] = it.x;
      it.lane = lane;
    });
    return Math.max(ends.length, 1);
  }

  function Timeline(root) {
    this.root = root;
    this.form = root.querySelector(".ck-vtl-filters");
    this.status = root.querySelector(".ck-vtl-status");
    this.chart = root.querySelector(".ck-vtl-chart");
    this.bands = Array.prototype.slice.call(root.querySelectorAll(".ck-vtl-band"));
    this.markers = Array.prototype.slice.call(root.querySelectorAll(".ck-vtl-event"));
    this.data = JSON.parse(root.querySelector(".ck-vtl-data").textContent);
    this.popover = el("div", "ck-vtl-popover");
    this.popover.id = "ck-vtl-popover";
    this.popover.hidden = true;
    this.current = null;
    this.hideTimer = null;
    root.querySelector(".ck-vtl-nojs").hidden = true;
    root.querySelector(".ck-vtl-app").hidden = false;
    this.addMonths();
    this.bind();
    this.update();
  }

  Timeline.prototype.addMonths = function () {
    each(this.root.querySelectorAll(".ck-vtl-track"), function (track) {
      var axis = el("ol", "ck-vtl-months");
      axis.setAttribute("aria-hidden", "true");
      MONTHS.forEach(function (name, i) {
        var tick = el("li", "", name);
        tick.style.left = (100 * i / 12) + "%";
        axis.appendChild(tick);
      });
      track.insertBefore(axis, track.firstChild);
    });
  };

  Timeline.prototype.filters = function () {
    var f = this.form.elements;
    return {
      relationship: f.relationship.value,
      category: f.category.value,
      tone: f.tone.value,
      decade: f.decade.value
    };
  };

  Timeline.prototype.matches = function (m, f) {
    if (f.relationship && m.dataset.rel.split(" ").indexOf(f.relationship) < 0) { return false; }
    if (f.category && m.dataset.category !== f.category) { return false; }
    return !(f.tone && m.dataset.tone !== f.tone);
  };

  Timeline.prototype.visible = function () {
    return this.markers.filter(function (m) { return !m.parentNode.hidden; });
  };

  Timeline.prototype.update = function () {
    var self = this, f = this.filters(), zoomed = f.decade !== "", shown = 0;
    this.chart.classList.toggle("ck-vtl-zoomed", zoomed);
    this.bands.forEach(function (band) {
      var inBand = !zoomed || band.dataset.decade === f.decade;
      var zoom = band.querySelector(".ck-vtl-zoom");
      band.hidden = !inBand;
      zoom.setAttribute("aria-label", band.dataset.decade + "s: " + (zoomed ? "show all decades" : "zoom to this decade"));
      each(band.querySelectorAll(".ck-vtl-event"), function (m) {
        var ok = inBand && self.matches(m, f);
        m.parentNode.hidden = !ok;
        if (ok) { shown += 1; }
      });
    });
    this.layout();
    var total = this.root.dataset.total;
    var span = zoomed ? "the " + f.decade + "s, year by year"
      : this.root.dataset.first + "\u2013" + this.root.dataset.last;
    this.status.textContent = shown
      ? "Showing " + shown + " of " + total + " events, " + span + "."
      : "No event matches these filters in " + span + "; choose \u201cShow everything\u201d to start again.";
    var visible = this.visible();
    if (!this.current || visible.indexOf(this.current) < 0) {
      this.hide();
      this.setCurrent(visible[0] || null);
    }
  };

  Timeline.prototype.layout = function () {
    var zoomed = this.chart.classList.contains("ck-vtl-zoomed");
    this.bands.forEach(function (band) {
      if (band.hidden) { return; }
      var list = band.querySelector(".ck-vtl-events");
      var width = list.clientWidth || 1;
      var visible = Array.prototype.filter.call(band.querySelectorAll(".ck-vtl-event"), function (m) {
        return !m.parentNode.hidden;
      });
      if (!zoomed) {
        var items = visible.map(function (m) {
          return { m: m, x: parseFloat(m.dataset.pos) * width };
        });
        var n = lanes(items);
        items.forEach(function (it) {
          it.m.style.left = (100 * parseFloat(it.m.dataset.pos)) + "%";
          it.m.style.top = (it.lane * SLOT) + "px";
        });
        list.style.height = (n * SLOT) + "px";
        return;
      }
      var top = 0;
      each(band.querySelectorAll(".ck-vtl-yearrow"), function (row) {
        var year = row.dataset.year;
        var items = visible.filter(function (m) { return m.dataset.year === year; }).map(function (m) {
          return { m: m, x: parseFloat(m.dataset.ypos) * width };
        });
        var n = lanes(items);
        items.forEach(function (it) {
          it.m.style.left = (100 * parseFloat(it.m.dataset.ypos)) + "%";
          it.m.style.top = (top + 6 + it.lane * SLOT) + "px";
        });
        row.style.top = top + "px";
        row.style.height = (n * SLOT + 12) + "px";
        top += n * SLOT + 12;
      });
      list.style.height = top + "px";
    });
  };

  Timeline.prototype.setCurrent = function (m) {
    if (this.current) {
      this.current.tabIndex = -1;
      this.current.classList.remove("ck-vtl-current");
    }
    this.current = m;
    if (m) {
      m.tabIndex = 0;
      m.classList.add("ck-vtl-current");
    }
  };

  Timeline.prototype.show = function (m) {
    var d = this.data[m.dataset.id], pop = this.popover;
    if (!d) { return; }
    clearTimeout(this.hideTimer);
    pop.textContent = "";
    pop.appendChild(el("p", "ck-vtl-when", d.date));
    pop.appendChild(el("p", "ck-vtl-what", d.title));
    pop.appendChild(el("p", "ck-vtl-kind", d.group + " \u00b7 " + d.category + " \u00b7 " + d.tone));
    pop.appendChild(el("p", "ck-vtl-desc", d.description));
    var source = el("p", "ck-vtl-source", "Source: ");
    if (d.url) {
      var link = el("a", "", d.source);
      link.href = d.url;
      source.appendChild(link);
    } else {
      source.appendChild(document.createTextNode(d.source));
    }
    pop.appendChild(source);
    var row = el("p", "ck-vtl-row");
    var toRow = el("a", "", "See " + m.dataset.id + " in the table below");
    toRow.href = "#ck-event-" + m.dataset.id;
    row.appendChild(toRow);
    pop.appendChild(row);
    // Right after the band's events in the DOM, so Tab goes from the event to these links.
    var track = m.closest(".ck-vtl-track");
    track.appendChild(pop);
    pop.hidden = false;
    var width = track.clientWidth, left = m.offsetLeft - 12;
    pop.style.left = Math.max(0, Math.min(left, width - pop.offsetWidth)) + "px";
    pop.style.top = (m.offsetTop + m.offsetHeight + m.parentNode.parentNode.offsetTop + 4) + "px";
    m.setAttribute("aria-describedby", pop.id);
    this.shown = m;
  };

  Timeline.prototype.hide = function () {
    this.popover.hidden = true;
    if (this.shown) { this.shown.removeAttribute("aria-describedby"); }
    this.shown = null;
  };

  Timeline.prototype.hideSoon = function () {
    var self = this;
    clearTimeout(this.hideTimer);
    this.hideTimer = setTimeout(function () {
      var active = document.activeElement;
      var inside = self.popover.matches(":hover") || self.popover.contains(active)
        || (self.shown && (self.shown === active || self.shown.matches(":hover")));
      if (!inside) { self.hide(); }
    }, 400);
  };

  Timeline.prototype.bind = function () {
    var self = this;
    this.form.addEventListener("change", function () { self.update(); });
    this.form.addEventListener("reset", function () { setTimeout(function () { self.update(); }, 0); });
    this.root.addEventListener("click", function (e) {
      var zoom = e.target.closest(".ck-vtl-zoom");
      if (zoom) {
        var f = self.form.elements.decade;
        f.value = f.value === zoom.dataset.decade ? "" : zoom.dataset.decade;
        self.update();
        return;
      }
      var m = e.target.closest(".ck-vtl-event");
      if (m) { self.setCurrent(m); m.focus(); self.show(m); }
    });
    this.chart.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && self.shown) {
        var back = self.shown;
        self.hide();
        self.quiet = true; // focusing the event again must not reopen what Escape closed
        back.focus();
        self.quiet = false;
        e.preventDefault();
        return;
      }
      var m = e.target.closest(".ck-vtl-event");
      if (!m) { return; }
      var list = self.visible(), i = list.indexOf(m), j = null;
      if (e.key === "ArrowRight" || e.key === "ArrowDown") { j = Math.min(i + 1, list.length - 1); }
      if (e.key === "ArrowLeft" || e.key === "ArrowUp") { j = Math.max(i - 1, 0); }
      if (e.key === "Home") { j = 0; }
      if (e.key === "End") { j = list.length - 1; }
      if (j === null) { return; }
      e.preventDefault();
      self.setCurrent(list[j]);
      list[j].focus();
    });
    this.chart.addEventListener("focusin", function (e) {
      var m = e.target.closest(".ck-vtl-event");
      if (m) {
        self.setCurrent(m);
        if (!self.quiet) { self.show(m); }
      }
    });
    this.chart.addEventListener("focusout", function () { self.hideSoon(); });
    this.chart.addEventListener("mouseover", function (e) {
      var m = e.target.closest(".ck-vtl-event");
      if (m) { self.show(m); } else if (e.target.closest(".ck-vtl-popover")) { clearTimeout(self.hideTimer); }
    });
    this.chart.addEventListener("mouseout", function () { self.hideSoon(); });
    var resized = null;
    window.addEventListener("resize", function () {
      clearTimeout(resized);
      resized = setTimeout(function () { self.hide(); self.layout(); }, 150);
    });
  };

  function start() {
    each(document.querySelectorAll(".ck-vtl"), function (root) { root.ckTimeline = new Timeline(root); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
