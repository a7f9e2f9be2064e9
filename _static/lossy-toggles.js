// The sidebar buttons in the article header (the table of contents on the left, "on this
// page" on the right) do nothing with pydata-sphinx-theme 0.17.1, which sphinx-book-theme
// 1.3.0 pins: both themes attach their click handlers to the *first* .primary-toggle /
// .secondary-toggle on the page, a copy in the top navbar that the book theme never shows
// (pydata-sphinx-theme#2451, sphinx-book-theme#988). Readers on phones could not open the
// chapter list at all. A click on any later copy is passed to the first one, which opens
// the sidebar as a dialog on narrow screens and collapses it on wide ones.
document.addEventListener("DOMContentLoaded", () => {
  for (const kind of ["primary", "secondary"]) {
    const [first, ...others] = document.querySelectorAll(`.${kind}-toggle`);
    if (!first) continue;
    for (const button of others) {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        button.blur(); // dismiss its tooltip
        first.click();
      });
    }
  }
});
