/* The results explorer's selection: which breakdown and editions the page shows.
   The page holds every table already (server-rendered); this script only hides what is not
   selected, keeps the selection in the URL fragment (#uitsplitsing=gender&editie=2024), so it
   can be shared and the back button returns to the previous selection, makes the CSV of the
   selection, and draws the reports' Vega-Lite specs. Without it, every table stays visible. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("gegevens").textContent);
  var form = document.getElementById("selectie");
  var status = document.getElementById("status");
  var csvLink = document.getElementById("download-csv");
  var here = "../" + location.pathname.split("/").slice(-2).join("/");
  var locale = { decimal: ",", thousands: ".", grouping: [3], currency: ["€ ", ""] };
  var objectUrl = null;

  function parse(hash) {
    var selection = { uitsplitsing: "alle", edities: data.edities.slice() };
    var text = decodeURIComponent((hash || "").replace(/^#/, ""));
    var anchor = /^uitsplitsing-(.+)$/.exec(text);
    if (anchor) { selection.uitsplitsing = anchor[1]; return selection; }
    text.split("&").forEach(function (part) {
      var pair = part.split("=");
      if (pair[0] === "uitsplitsing" && pair[1]) { selection.uitsplitsing = pair[1]; }
      if (pair[0] === "editie" && pair[1]) {
        var chosen = pair[1].split(",").map(Number).filter(function (e) { return data.edities.indexOf(e) >= 0; });
        if (chosen.length) { selection.edities = chosen; }
      }
    });
    if (!document.querySelector('[data-uitsplitsing="' + selection.uitsplitsing + '"]')) { selection.uitsplitsing = "alle"; }
    return selection;
  }

  function fragment(selection) {
    return "#uitsplitsing=" + encodeURIComponent(selection.uitsplitsing) + "&editie=" + selection.edities.join(",");
  }

  function editionKey(selection) {
    return data.edities.filter(function (e) { return selection.edities.indexOf(e) >= 0; }).join("-");
  }

  function draw(figure, chart) {
    var box = figure.querySelector(".miv-grafiek");
    var spec = JSON.parse(JSON.stringify(data.sjablonen[chart.sjabloon]));
    spec.datasets = { punten: chart.punten };
    figure.hidden = false;  // shown first: a hidden figure has no width to fit the chart to
    spec.width = Math.max(180, Math.min(430, figure.clientWidth - 160));
    box.setAttribute("aria-label", chart.alt);
    figure.querySelector(".miv-figuur__alt").textContent = chart.alt;  // it says where the figures are
    if (window.vegaEmbed) {
      // The box is the image with the text alternative; the drawing inside it is hidden from assistive technology.
      window.vegaEmbed(box.querySelector(".miv-grafiek__tekening"), spec, { renderer: "svg", actions: false, formatLocale: locale })
        .catch(function () { figure.hidden = true; });
    }
  }

  function quote(value) {
    if (value === null || value === undefined) { return ""; }
    var text = String(value);
    return /[",\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function download(selection) {
    var rows = data.rijen.filter(function (row) {
      return (selection.uitsplitsing === "alle" || row[0] === selection.uitsplitsing) && selection.edities.indexOf(row[1]) >= 0;
    });
    var lines = [data.kolommen.join(",")].concat(rows.map(function (row) { return row.slice(2).map(quote).join(","); }));
    if (objectUrl) { URL.revokeObjectURL(objectUrl); }
    objectUrl = URL.createObjectURL(new Blob([lines.join("\n") + "\n"], { type: "text/csv;charset=utf-8" }));
    csvLink.href = objectUrl;
    csvLink.download = data.bestand + "-" + selection.uitsplitsing + "-" + selection.edities.join("-") + ".csv";
  }

  function apply(selection, announce) {
    var key = editionKey(selection);
    document.querySelectorAll("[data-uitsplitsing]").forEach(function (section) {
      var code = section.getAttribute("data-uitsplitsing");
      section.hidden = selection.uitsplitsing !== "alle" && selection.uitsplitsing !== code;
      var figure = section.querySelector("[data-figuur]");
      var charts = data.figuren[code];
      if (figure && charts && charts[key] && !section.hidden) { draw(figure, charts[key]); } else if (figure) { figure.hidden = true; }
    });
    var trend = document.getElementById("ontwikkeling");
    if (trend) {
      trend.hidden = selection.uitsplitsing !== "alle" && selection.uitsplitsing !== "totaal";
      if (!trend.hidden && data.trend) { draw(trend.querySelector("[data-figuur]"), data.trend); }
    }
    document.querySelectorAll("[data-editie]").forEach(function (cell) {
      cell.hidden = selection.edities.indexOf(Number(cell.getAttribute("data-editie"))) < 0;
    });
    form.elements.uitsplitsing.value = selection.uitsplitsing;
    Array.prototype.forEach.call(form.querySelectorAll('input[name="editie"]'), function (box) {
      box.checked = selection.edities.indexOf(Number(box.value)) >= 0;
    });
    download(selection);
    if (announce) {
      var option = form.elements.uitsplitsing.selectedOptions[0];
      status.textContent = "Getoond: " + option.textContent + ", editie " + selection.edities.join(" en ") + ".";
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var chosen = Array.prototype.filter.call(form.querySelectorAll('input[name="editie"]'), function (box) { return box.checked; })
      .map(function (box) { return Number(box.value); });
    if (!chosen.length) {
      status.textContent = "Kies ten minste één editie.";
      form.querySelector('input[name="editie"]').focus();
      return;
    }
    var selection = { uitsplitsing: form.elements.uitsplitsing.value, edities: chosen };
    var target = form.elements.publicatie.value !== here ? form.elements.publicatie.value
      : form.elements.indicator.value !== here ? form.elements.indicator.value : null;
    if (target) { location.href = target + fragment(selection); return; }
    if (location.hash !== fragment(selection)) { location.hash = fragment(selection); }  // a history entry: back returns here
    apply(selection, true);
  });
  document.getElementById("afdrukken").addEventListener("click", function () { window.print(); });
  window.addEventListener("hashchange", function () { apply(parse(location.hash), true); });
  form.hidden = false;
  apply(parse(location.hash), false);
}());
