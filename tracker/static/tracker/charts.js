/*
 * Draws the figures the server built (tracker/charts) with the plotly.js of the installed
 * plotly package. Each chart element names the <script type="application/json"> tag
 * (Django's json_script) holding its figure; nothing here builds data.
 *
 * - Timeline panels share one x range: zooming one, or the 1 year / 3 years / All buttons,
 *   moves them all.
 * - Clicking a point whose customdata is a local URL (a flag, a patient) opens it.
 * - A panel's number table is built from the same JSON when its <details> is first opened.
 * - On the printable summary (data-static) each figure becomes an SVG image, which prints
 *   sharp at any paper width.
 * When every chart is drawn, <html data-charts-ready="true"> tells tests, and
 * data-charts-start-ms, -first-ms and -ready-ms (milliseconds since navigation started: drawing
 * began, the first chart was drawn, all were drawn) tell the benchmark.
 */
(function () {
  "use strict";

  var NARROW = window.matchMedia("(max-width: 575.98px)");
  var CONFIG = { displaylogo: false, displayModeBar: false, responsive: true, scrollZoom: false };

  function payloadOf(el) {
    var parsed = JSON.parse(document.getElementById(el.dataset.figure).textContent);
    return parsed && parsed.figure ? parsed : { figure: parsed, table: null };
  }

  function openLink(event) {
    var point = event.points && event.points[0];
    var url = point && point.customdata;
    if (typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/") {
      window.location.assign(url);
    }
  }

  function drawInteractive(el, figure) {
    var layout = figure.layout;
    if (NARROW.matches) {
      // On a phone a drag should scroll the page, not zoom the chart; the legend wraps onto
      // as many lines as it needs (no scroll bar), and roomForLegend makes room for them.
      layout.dragmode = false;
      layout.legend = Object.assign({}, layout.legend, { maxheight: 0.9 });
    }
    return Plotly.newPlot(el, figure.data, layout, CONFIG)
      .then(function () {
        return NARROW.matches ? roomForLegend(el, figure) : null;
      })
      .then(function () {
        el.on("plotly_click", openLink);
        return el;
      });
  }

  function legendEntries(figure) {
    var traces = figure.data.filter(function (trace) {
      return trace.showlegend !== false;
    });
    var shapes = (figure.layout.shapes || []).filter(function (shape) {
      return shape.showlegend;
    });
    return traces.length + shapes.length;
  }

  function roomForLegend(el, figure) {
    // The server leaves a 24 px legend line per four entries, right for a desktop; a phone
    // wraps the legend onto more lines, so the figure grows by what the legend really took.
    var bg = el.querySelector(".legend .bg");
    if (!bg || figure.layout.showlegend === false) return null;
    var reserved = Math.ceil(legendEntries(figure) / 4) * 24 + 4;
    var extra = Math.ceil(bg.getBBox().height - reserved);
    return extra > 4 ? Plotly.relayout(el, { height: el.layout.height + extra }) : null;
  }

  function drawStatic(el, figure) {
    var width = Number(el.dataset.width) || 360;
    var layout = Object.assign({}, figure.layout, { width: width });
    return Plotly.toImage({ data: figure.data, layout: layout }, {
      format: "svg",
      width: width,
      height: layout.height,
    }).then(function (url) {
      var img = document.createElement("img");
      img.src = url;
      img.alt = el.getAttribute("aria-label") || "";
      img.className = "chart-image";
      el.removeAttribute("role");
      el.removeAttribute("aria-label");
      el.replaceChildren(img);
      return null;
    });
  }

  // --- keeping the timeline panels on one x range -----------------------------------

  function rangeFromEvent(event, full) {
    var keys = Object.keys(event);
    for (var i = 0; i < keys.length; i++) {
      var key = keys[i];
      if (/^xaxis\d*\.range\[0\]$/.test(key)) {
        return [event[key], event[key.replace("[0]", "[1]")]];
      }
      if (/^xaxis\d*\.range$/.test(key)) {
        return event[key].slice();
      }
      if (/^xaxis\d*\.autorange$/.test(key)) {
        return full.slice();
      }
    }
    return null;
  }

  function linkRanges(timeline, plots) {
    var full = [timeline.dataset.xStart, timeline.dataset.xEnd];
    var busy = false;

    function apply(range, targets) {
      busy = true;
      return Promise.all(
        targets.map(function (plot) {
          return Plotly.relayout(plot, { "xaxis.range": range.slice() });
        })
      ).finally(function () {
        busy = false;
      });
    }

    plots.forEach(function (plot) {
      plot.on("plotly_relayout", function (event) {
        if (busy) return;
        var range = rangeFromEvent(event, full);
        if (!range) return;
        var autorange = Object.keys(event).some(function (k) {
          return /autorange$/.test(k);
        });
        setPressed(timeline, null);
        apply(
          range,
          plots.filter(function (other) {
            return autorange || other !== plot;
          })
        );
      });
    });

    timeline.querySelectorAll("[data-range]").forEach(function (button) {
      button.addEventListener("click", function () {
        setPressed(timeline, button);
        apply(rangeForButton(button.dataset.range, full), plots);
      });
    });
  }

  function rangeForButton(years, full) {
    if (years === "all") return full.slice();
    var end = new Date(full[1] + "T00:00:00Z");
    end.setUTCFullYear(end.getUTCFullYear() - Number(years));
    var start = end.toISOString().slice(0, 10);
    return [start < full[0] ? full[0] : start, full[1]];
  }

  function setPressed(timeline, pressed) {
    timeline.querySelectorAll("[data-range]").forEach(function (button) {
      var on = button === pressed;
      button.classList.toggle("active", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  // --- number tables ------------------------------------------------------------------

  function cell(tag, text) {
    var el = document.createElement(tag);
    el.textContent = text;
    return el;
  }

  function buildTable(table) {
    var el = document.createElement("table");
    el.className = "table table-sm table-striped chart-data mb-0";
    var head = el.createTHead().insertRow();
    table.columns.forEach(function (name) {
      var th = cell("th", name);
      th.scope = "col";
      head.appendChild(th);
    });
    var body = el.createTBody();
    table.rows.forEach(function (row) {
      var tr = body.insertRow();
      var th = cell("th", row[0]);
      th.scope = "row";
      tr.appendChild(th);
      row.slice(1).forEach(function (value) {
        var td = cell("td", value ? value[0] : "");
        (value ? value[1] : []).forEach(function (flag) {
          var link = cell("a", flag[1]);
          link.href = flag[0];
          link.className = "flag-link flag-link-" + flag[2];
          td.append(" ", link);
        });
        tr.appendChild(td);
      });
    });
    return el;
  }

  function wireTable(details, payload) {
    details.addEventListener("toggle", function () {
      if (!details.open || details.dataset.built) return;
      details.dataset.built = "true";
      details.querySelector(".js-chart-table").appendChild(buildTable(payload.table));
    });
  }

  // --- start ---------------------------------------------------------------------------

  function draw(el) {
    var payload = payloadOf(el);
    return el.dataset.static ? drawStatic(el, payload.figure) : drawInteractive(el, payload.figure);
  }

  function nextFrame() {
    return new Promise(function (resolve) {
      window.requestAnimationFrame(function () {
        resolve();
      });
    });
  }

  function drawAll(charts) {
    // The charts on screen first, then one frame so the reader sees them, then the rest: on
    // the patient page the parser still has the long record tables to read below.
    var top = function (el) {
      return el.getBoundingClientRect().top < window.innerHeight;
    };
    var first = charts.filter(top);
    var rest = charts.filter(function (el) {
      return !top(el);
    });
    var plots = new Map();
    var drawEach = function (group) {
      return Promise.all(
        group.map(function (el) {
          return draw(el).then(function (plot) {
            plots.set(el, plot);
          });
        })
      );
    };
    return drawEach(first)
      .then(function () {
        document.documentElement.dataset.chartsFirstMs = String(Math.round(performance.now()));
        return nextFrame();
      })
      .then(function () {
        return drawEach(rest);
      })
      .then(function () {
        return charts.map(function (el) {
          return plots.get(el);
        });
      });
  }

  function start() {
    document.documentElement.dataset.chartsStartMs = String(Math.round(performance.now()));
    var charts = Array.prototype.slice.call(document.querySelectorAll(".js-chart"));
    if (typeof window.Plotly === "undefined") {
      charts.forEach(function (el) {
        el.textContent = "The chart could not be drawn (plotly.js did not load).";
      });
      return;
    }
    document.querySelectorAll("details.chart-table").forEach(function (details) {
      wireTable(details, payloadOf(details));
    });
    drawAll(charts).then(function (plots) {
      document.querySelectorAll(".js-timeline").forEach(function (timeline) {
        linkRanges(
          timeline,
          plots.filter(function (plot) {
            return plot && timeline.contains(plot);
          })
        );
      });
      document.documentElement.dataset.chartsReadyMs = String(Math.round(performance.now()));
      document.documentElement.dataset.chartsReady = "true";
      document.querySelectorAll(".js-print").forEach(function (button) {
        button.disabled = false;
        button.addEventListener("click", function () {
          window.print();
        });
      });
    });
  }

  // The script tag always comes after the charts it draws, so it need not wait for the rest of
  // the page (on the patient page, long record tables) to be parsed.
  start();
})();
