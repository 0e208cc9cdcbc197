/* Running Injuries: the symptom filter of the comparison page (MIT).
 *
 * Progressive enhancement: the page reads completely without this script (compare.md.j2). For
 * each [data-ri-compare] topic it turns the list of symptoms into a fieldset of checkboxes, with a
 * Clear button and a status line that screen readers announce (role="status"). Ticking symptoms
 * brings the conditions that list them first, most ticked symptoms first, in the cards and in the
 * grid; each card then says which ticked symptoms its condition lists, and the grid moves the
 * ticked symptoms' rows to its top, under a row of counts. The other conditions stay, after a
 * note. No inline script or style (CSP-friendly).
 */
(function () {
  "use strict";

  var MATCH_HEADING = "Ticked symptoms listed";
  var WORDS = { common: "common", occasional: "occasional", none: "not listed by our sources" };

  function el(name, attributes, text) {
    var node = document.createElement(name);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text) node.textContent = text;
    return node;
  }

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function plural(count, one, many) {
    return count === 1 ? one : many;
  }

  function enhance(container) {
    if (container.hasAttribute("data-ri-ready")) return;
    var source = container.querySelector(".ri-compare-symptoms");
    var cardList = container.querySelector(".ri-ccards");
    var symptoms = source ? all(source, "li[data-symptom]").map(function (li) {
      return { id: li.getAttribute("data-symptom"), label: li.textContent.trim() };
    }) : [];
    var cards = cardList ? all(cardList, ".ri-ccard[data-condition]") : [];
    if (!symptoms.length || !cards.length) return;
    var topic = container.getAttribute("data-ri-compare") || "topic";
    var labels = {};
    symptoms.forEach(function (symptom) { labels[symptom.id] = symptom.label; });

    // -- the filter: in place of the list of symptom links (the cards and the grid still link them) --
    var fieldset = el("fieldset", { "class": "ri-filter" });
    fieldset.appendChild(el("legend", {}, "Tick the symptoms you have"));
    var options = el("div", { "class": "ri-filter__options" });
    var boxes = symptoms.map(function (symptom) {
      var label = el("label", { "class": "ri-filter__option" });
      var box = el("input", { type: "checkbox", value: symptom.id });
      label.appendChild(box);
      label.appendChild(el("span", {}, symptom.label));
      options.appendChild(label);
      return box;
    });
    fieldset.appendChild(options);
    var actions = el("div", { "class": "ri-filter__actions" });
    var clear = el("button", { type: "button", "class": "ri-filter__clear" }, "Clear");
    actions.appendChild(clear);
    fieldset.appendChild(actions);
    var status = el("p", { "class": "ri-filter__status", role: "status", "aria-live": "polite",
                           id: "ri-filter-status-" + topic });
    // The filter takes the place of the links, in their box (compare.css keeps its size).
    source.textContent = "";
    source.appendChild(fieldset);
    source.appendChild(status);
    container.setAttribute("data-ri-ready", "");

    // -- the cards --------------------------------------------------------------------------------
    var items = cards.map(function (card, index) {
      var listed = {};
      all(card, "li[data-symptom][data-frequency]").forEach(function (li) {
        listed[li.getAttribute("data-symptom")] = li.getAttribute("data-frequency");
      });
      var match = el("div", { "class": "ri-ccard__match", hidden: "" });
      var anchor = card.querySelector(".ri-ccard__symptoms, .ri-ccard__facts");
      card.insertBefore(match, anchor);
      return { id: card.getAttribute("data-condition"), card: card, index: index, listed: listed,
               match: match, count: 0 };
    });
    var byId = {};
    items.forEach(function (item) { byId[item.id] = item; });
    var divider = el("li", { "class": "ri-compare-divider" }, "The conditions below list none of the ticked symptoms.");

    // -- the grid, where there is one ---------------------------------------------------------------
    var table = container.querySelector("table.ri-compare-table");
    var grid = null;
    if (table && table.tHead && table.tBodies.length) {
      var body = table.tBodies[0];
      var rows = all(body, "tr[data-symptom]");
      var matchRow = el("tr", { "class": "ri-compare-match", hidden: "" });
      matchRow.appendChild(el("th", { scope: "row" }, MATCH_HEADING));
      var counts = {};
      items.forEach(function (item) {
        counts[item.id] = el("td", { "data-condition": item.id });
        matchRow.appendChild(counts[item.id]);
      });
      body.insertBefore(matchRow, body.firstChild);
      grid = { body: body, rows: rows, matchRow: matchRow, counts: counts,
               lines: [table.tHead.rows[0], matchRow].concat(rows) };
    }

    function ticked() {
      return boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
    }

    function fillMatch(item, ids) {
      var match = item.match;
      match.textContent = "";
      match.appendChild(el("p", { "class": "ri-ccard__match-count" },
        "Lists " + item.count + " of " + ids.length + plural(ids.length, " ticked symptom", " ticked symptoms")));
      var list = el("ul", { "class": "ri-ccard__match-list" });
      ids.forEach(function (id) {
        var frequency = item.listed[id] || "none";
        var li = el("li", { "class": "ri-ccard__match-item ri-freq--" + frequency });
        li.appendChild(el("span", { "class": "ri-mark ri-mark--" + frequency, "aria-hidden": "true" }));
        li.appendChild(document.createTextNode(" " + labels[id] + ": " + WORDS[frequency]));
        list.appendChild(li);
      });
      match.appendChild(list);
    }

    function render(message) {
      var ids = ticked();
      var active = ids.length > 0;
      items.forEach(function (item) {
        item.count = ids.filter(function (id) { return item.listed[id]; }).length;
        item.card.classList.toggle("ri-match", active && item.count > 0);
        item.card.classList.toggle("ri-nomatch", active && item.count === 0);
        item.match.hidden = !active;
        if (active) fillMatch(item, ids); else item.match.textContent = "";
      });
      // Most ticked symptoms listed first; the page lists conditions by name, so ties keep that order.
      var ordered = items.slice().sort(function (a, b) {
        return active && a.count !== b.count ? b.count - a.count : a.index - b.index;
      });
      var matching = ordered.filter(function (item) { return item.count > 0; }).length;
      if (divider.parentNode) divider.parentNode.removeChild(divider);
      ordered.forEach(function (item, position) {
        if (active && matching > 0 && position === matching) cardList.appendChild(divider);
        cardList.appendChild(item.card);
      });

      if (grid) {
        grid.matchRow.hidden = !active;
        ordered.forEach(function (item) {
          grid.counts[item.id].textContent = item.count + " of " + ids.length;
        });
        grid.lines.forEach(function (line) {
          all(line, "[data-condition]").forEach(function (cell) {
            cell.classList.toggle("ri-nomatch", active && byId[cell.getAttribute("data-condition")].count === 0);
          });
          ordered.forEach(function (item) {
            line.appendChild(line.querySelector('[data-condition="' + item.id + '"]'));
          });
        });
        // The ticked symptoms' rows go to the top, under the counts, in the order of the list.
        var top = grid.rows.filter(function (row) { return ids.indexOf(row.getAttribute("data-symptom")) !== -1; });
        var rest = grid.rows.filter(function (row) { return top.indexOf(row) === -1; });
        top.concat(rest).forEach(function (row) {
          row.classList.toggle("ri-ticked", top.indexOf(row) !== -1);
          grid.body.appendChild(row);
        });
      }

      if (message !== undefined) {
        status.textContent = message;
      } else if (!active) {
        status.textContent = "No symptoms ticked. Every condition is shown, by name.";
      } else if (matching === 0) {
        status.textContent = "None of the conditions lists a ticked symptom.";
      } else {
        status.textContent = matching + plural(matching, " condition lists", " conditions list") +
          " at least one ticked symptom. " + plural(matching, "It is", "They are") + " shown first" +
          (matching > 1 ? ", most ticked symptoms first." : ".");
      }
    }

    boxes.forEach(function (box) {
      box.addEventListener("change", function () { render(); });
    });
    clear.addEventListener("click", function () {
      boxes.forEach(function (box) { box.checked = false; });
      render();
    });
    render("");
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-ri-compare]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
