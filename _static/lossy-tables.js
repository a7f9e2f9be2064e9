// A table wider than the room it has shows one card per row instead (the class
// lossy-cards, see lossy.css): each value beside its column's name, rather than the
// columns on the right hidden in a box scrolled sideways. Measured, not guessed: on load
// and whenever the room changes (a phone turned, a window resized). Result tables
// (lossylib.tables) label their cells; other tables (Markdown ones, the execution
// status) get the labels from their header row here. The claims tables have their own
// layout (lossy.css).
document.addEventListener("DOMContentLoaded", () => {
  const tables = [...document.querySelectorAll("main table:not(.lossy-claims)")].filter(
    (table) => table.tHead && table.tHead.rows.length === 1,
  );
  for (const table of tables) {
    // textContent, not innerText: a table in a closed dropdown is not rendered, and
    // its innerText is empty
    const names = [...table.tHead.rows[0].cells].map((cell) => cell.textContent.trim());
    for (const row of table.tBodies[0] ? table.tBodies[0].rows : []) {
      [...row.cells].forEach((cell, i) => {
        if (!cell.hasAttribute("data-label")) cell.setAttribute("data-label", names[i] || "");
      });
    }
  }
  const fit = (table) => {
    table.classList.remove("lossy-cards");
    const room = table.parentElement.clientWidth;
    if (table.getBoundingClientRect().width > room + 1) table.classList.add("lossy-cards");
  };
  const observer = new ResizeObserver((entries) => {
    for (const entry of entries) {
      for (const table of tables) if (table.parentElement === entry.target) fit(table);
    }
  });
  for (const table of tables) observer.observe(table.parentElement);
});
