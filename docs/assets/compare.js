/* Running Injuries: symptom filter and sorting for the comparison tables (MIT).
 *
 * Progressive enhancement: the page's tables read completely without this script. For each
 * [data-ri-compare] table it adds a fieldset of checkboxes (one per symptom column), a Clear
 * button, a status line for screen readers, a "Ticked symptoms listed" column, and sort buttons
 * in the column headers. Rows whose condition lists a ticked symptom come first, most matches
 * first; the others stay in the table below a note. No inline script or style (CSP-friendly).
 */
(function () {
  "use strict";

  var MATCH_HEADING = "Ticked symptoms listed";

  function el(name, attributes, text) {
    var node = document.createElement(name);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text) node.textContent = text;
    return node;
  }

  function plural(count, one, many) {
    return count === 1 ? one : many;
  }

  function sortButton(label, key) {
    var button = el("button", { type: "button", "class": "ri-sort", "data-sort": key }, label);
    button.appendChild(el("span", { "class": "ri-sort__icon", "aria-hidden": "true" }));
    return button;
  }

  function enhance(container) {
    var table = container.querySelector("table");
    if (!table || !table.tHead || !table.tBodies.length || container.hasAttribute("data-ri-ready")) return;
    var headRow = table.tHead.rows[0];
    var nameHead = headRow && headRow.cells[0];
    var symptomHeads = Array.prototype.slice.call(headRow.querySelectorAll("th[data-symptom]"));
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.querySelectorAll("tr[data-condition]"));
    if (!nameHead || !symptomHeads.length || !rows.length) return;
    container.setAttribute("data-ri-ready", "");
    var topic = container.getAttribute("data-ri-compare") || "table";

    // -- the filter -----------------------------------------------------------------------------
    var fieldset = el("fieldset", { "class": "ri-filter" });
    fieldset.appendChild(el("legend", {}, "Tick the symptoms you have"));
    var boxes = symptomHeads.map(function (th) {
      var label = el("label", { "class": "ri-filter__option" });
      var box = el("input", { type: "checkbox", value: th.getAttribute("data-symptom") });
      label.appendChild(box);
      label.appendChild(el("span", {}, th.textContent.trim()));
      fieldset.appendChild(label);
      return box;
    });
    var actions = el("div", { "class": "ri-filter__actions" });
    var clear = el("button", { type: "button", "class": "ri-filter__clear" }, "Clear");
    actions.appendChild(clear);
    fieldset.appendChild(actions);
    var status = el("p", { "class": "ri-filter__status", role: "status", "aria-live": "polite",
                           id: "ri-filter-status-" + topic });

    // -- the match column and the sort buttons --------------------------------------------------
    var nameButton = sortButton(nameHead.textContent.trim(), "name");
    nameHead.textContent = "";
    nameHead.appendChild(nameButton);
    var matchHead = el("th", { scope: "col", "class": "ri-compare-match", hidden: "" });
    var matchButton = sortButton(MATCH_HEADING, "match");
    matchHead.appendChild(matchButton);
    nameHead.parentNode.insertBefore(matchHead, nameHead.nextSibling);

    var columnCells = {};
    symptomHeads.forEach(function (th) { columnCells[th.getAttribute("data-symptom")] = [th]; });
    var items = rows.map(function (row, index) {
      var listed = {};
      Array.prototype.forEach.call(row.querySelectorAll("td[data-symptom]"), function (cell) {
        var id = cell.getAttribute("data-symptom");
        if (cell.hasAttribute("data-frequency")) listed[id] = true;
        if (columnCells[id]) columnCells[id].push(cell);
      });
      var cell = el("td", { "class": "ri-compare-match", hidden: "" });
      row.insertBefore(cell, row.cells[1] || null);
      return { row: row, index: index, listed: listed, cell: cell, count: 0 };
    });

    var divider = el("tr", { "class": "ri-compare-divider" });
    var dividerCell = el("td", { colspan: String(headRow.cells.length) });
    dividerCell.appendChild(el("span", {}, "The conditions below list none of the ticked symptoms."));
    divider.appendChild(dividerCell);

    container.insertBefore(status, container.firstChild);
    container.insertBefore(fieldset, status);

    // -- state and rendering --------------------------------------------------------------------
    var sort = { key: "name", dir: "ascending" };

    function ticked() {
      return boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
    }

    function compare(a, b, active) {
      if (active && (a.count > 0) !== (b.count > 0)) return a.count > 0 ? -1 : 1;
      var sign = sort.dir === "ascending" ? 1 : -1;
      if (sort.key === "match" && a.count !== b.count) return (a.count - b.count) * sign;
      // The page lists conditions by name already: the original order is the name order.
      if (sort.key === "name") return (a.index - b.index) * sign;
      return a.index - b.index;
    }

    function render(message) {
      var ids = ticked();
      var active = ids.length > 0;
      items.forEach(function (item) {
        item.count = ids.filter(function (id) { return item.listed[id]; }).length;
        item.cell.textContent = item.count + " of " + ids.length;
        item.cell.hidden = !active;
        item.row.classList.toggle("ri-match", active && item.count > 0);
        item.row.classList.toggle("ri-nomatch", active && item.count === 0);
      });
      matchHead.hidden = !active;
      Object.keys(columnCells).forEach(function (id) {
        var on = ids.indexOf(id) !== -1;
        columnCells[id].forEach(function (cell) { cell.classList.toggle("ri-ticked", on); });
      });

      var ordered = items.slice().sort(function (a, b) { return compare(a, b, active); });
      var matching = ordered.filter(function (item) { return item.count > 0; }).length;
      if (divider.parentNode) divider.parentNode.removeChild(divider);
      ordered.forEach(function (item, position) {
        if (active && matching > 0 && position === matching && matching < ordered.length) body.appendChild(divider);
        body.appendChild(item.row);
      });

      nameHead.setAttribute("aria-sort", sort.key === "name" ? sort.dir : "none");
      matchHead.setAttribute("aria-sort", sort.key === "match" ? sort.dir : "none");

      if (message !== undefined) {
        status.textContent = message;
      } else if (!active) {
        status.textContent = "No symptoms ticked. The table shows every condition.";
      } else if (matching === 0) {
        status.textContent = "None of the conditions lists a ticked symptom.";
      } else {
        status.textContent = matching + plural(matching, " condition lists", " conditions list") +
          " at least one ticked symptom. " + plural(matching, "It is", "They are") + " shown first.";
      }
    }

    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        var count = ticked().length;
        if (count === 1 && box.checked) sort = { key: "match", dir: "descending" };
        if (count === 0 && sort.key === "match") sort = { key: "name", dir: "ascending" };
        render();
      });
    });
    clear.addEventListener("click", function () {
      boxes.forEach(function (box) { box.checked = false; });
      sort = { key: "name", dir: "ascending" };
      render();
    });
    [nameButton, matchButton].forEach(function (button) {
      button.addEventListener("click", function () {
        var key = button.getAttribute("data-sort");
        if (sort.key === key) {
          sort = { key: key, dir: sort.dir === "ascending" ? "descending" : "ascending" };
        } else {
          sort = { key: key, dir: key === "name" ? "ascending" : "descending" };
        }
        var words = key === "name"
          ? (sort.dir === "ascending" ? "Sorted by condition name, A to Z." : "Sorted by condition name, Z to A.")
          : (sort.dir === "descending" ? "Sorted by ticked symptoms listed, most first."
                                      : "Sorted by ticked symptoms listed, fewest first.");
        render(ticked().length ? words + " Conditions that list a ticked symptom stay first." : words);
      });
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
