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
