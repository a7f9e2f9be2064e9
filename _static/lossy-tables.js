// A result table (lossylib.tables) wider than the room it has shows one card per row
// instead (the class lossy-cards, see lossy.css): each value beside its column's name,
// rather than the columns on the right hidden in a box scrolled sideways. Measured, not
// guessed: on load and whenever the room changes (a phone turned, a window resized).
document.addEventListener("DOMContentLoaded", () => {
  const tables = [...document.querySelectorAll("table.lossy-table")];
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
