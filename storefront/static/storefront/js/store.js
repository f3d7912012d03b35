// Gallery thumbnails scroll the picture stage without moving the page; the page works without this.
document.addEventListener("DOMContentLoaded", () => {
  const stage = document.querySelector("[data-gallery]");
  if (!stage) return;
  const thumbs = Array.from(document.querySelectorAll("[data-gallery-thumb]"));
  const markCurrent = (index) => thumbs.forEach((thumb, i) => thumb.classList.toggle("is-current", i === index));
  thumbs.forEach((thumb) => {
    thumb.addEventListener("click", (event) => {
      event.preventDefault();
      const index = Number(thumb.dataset.galleryThumb);
      stage.scrollTo({ left: index * stage.clientWidth });
      markCurrent(index);
    });
  });
  let pending = null;
  stage.addEventListener("scroll", () => {
    clearTimeout(pending);
    pending = setTimeout(() => markCurrent(Math.round(stage.scrollLeft / stage.clientWidth)), 80);
  });
});

// The product page's variant picker: the chosen variant's price and stock replace the product's in the panel
// above. Without this script the form still works: each variant shows its own price and stock beside it.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("[data-variant-picker]");
  const panel = document.querySelector("[data-price-panel]");
  const stock = document.querySelector("[data-testid=stock-state]");
  if (!form || !panel) return;
  const show = (radio) => {
    const template = document.querySelector(`template[data-variant-panel="${radio.value}"]`);
    if (template) panel.replaceChildren(template.content.cloneNode(true));
    if (stock) {
      stock.textContent = radio.dataset.stockLabel;
      stock.className = `stock stock--${radio.dataset.stockCode}`;
    }
  };
  form.querySelectorAll("input[name=variant]").forEach((radio) => {
    radio.addEventListener("change", () => show(radio));
    if (radio.checked) show(radio);
  });
});
