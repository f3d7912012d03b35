// What a phone user meets on the page, measured from computed styles; returns lists of problems.
//
// Rules (tests/storefront/test_accessibility.py states why):
// - visible text: an element with a non-blank text node of its own, laid out bigger than 1×1 px (not a
//   visually-hidden label), not transparent, not inside closed <details> (those have no box);
// - text is at least 14 CSS px;
// - contrast of text against what is behind it is at least 4.5:1: the text colour (its alpha times the opacity
//   of its ancestors) over the nearest background; semi-transparent backgrounds are blended down to the first
//   opaque one; a gradient counts with each of its colour stops, and the worst stop is the one reported;
// - every visible link, button, summary, select and input (a checkbox or radio by its <label>) is at least
//   44×44 CSS px, except a link inside running text: a link whose nearest block is a <p> or <li> that has
//   text outside the link (WCAG 2.5.8's inline exception);
// - the document is no wider than the viewport.
(minimums) => {
  const { fontSize: minFontSize, contrast: minContrast, target: minTarget } = minimums;

  const parseColor = (text) => {
    const match = text.match(/rgba?\(([^)]+)\)/);
    if (!match) return null;
    const parts = match[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const over = (top, bottom) => {
    const a = top.a + bottom.a * (1 - top.a);
    if (a === 0) return { r: 0, g: 0, b: 0, a: 0 };
    const mix = (c) => (top[c] * top.a + bottom[c] * bottom.a * (1 - top.a)) / a;
    return { r: mix("r"), g: mix("g"), b: mix("b"), a };
  };
  const luminance = ({ r, g, b }) => {
    const channel = (value) => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const ratio = (one, two) => {
    const [light, dark] = [luminance(one), luminance(two)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  };
  const hex = ({ r, g, b }) => "#" + [r, g, b].map((c) => Math.round(c).toString(16).padStart(2, "0")).join("");
  const describe = (element) => {
    const classes = typeof element.className === "string" && element.className.trim();
    const text = (element.innerText || element.value || element.getAttribute("aria-label") || "").trim();
    return `${element.tagName.toLowerCase()}${classes ? "." + classes.split(/\s+/).join(".") : ""} "${text.slice(0, 30)}"`;
  };

  // "linear-gradient(…), radial-gradient(…)" → one entry per image layer, the top one first.
  const imageLayers = (value) => {
    const layers = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < value.length; i++) {
      if (value[i] === "(") depth++;
      else if (value[i] === ")") depth--;
      else if (value[i] === "," && depth === 0) {
        layers.push(value.slice(start, i));
        start = i + 1;
      }
    }
    layers.push(value.slice(start));
    return layers.map((layer) => (layer.match(/rgba?\([^)]+\)/g) || []).map(parseColor)).filter((stops) => stops.length);
  };

  // The colours that can be behind `element`: each gradient stop blended over what lies below it.
  const backdrops = (element) => {
    const layers = []; // the top layer first
    for (let node = element; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      const own = imageLayers(style.backgroundImage);
      const color = parseColor(style.backgroundColor);
      if (color && color.a > 0) own.push([color]);
      layers.push(...own);
      const bottom = own[own.length - 1];
      if (bottom && bottom.every((stop) => stop.a === 1)) break;
    }
    let below = [{ r: 255, g: 255, b: 255, a: 1 }];
    for (const layer of layers.reverse()) {
      below = below.flatMap((base) => layer.map((stop) => over(stop, base)));
    }
    return below;
  };

  const isShown = (element) => {
    if (!element.checkVisibility({ visibilityProperty: true })) return false; // e.g. inside closed <details>
    const rect = element.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) return false;
    if (rect.right <= 0) return false; // parked off-screen until focused (the skip link)
    const style = getComputedStyle(element);
    return style.visibility !== "hidden" && style.display !== "none";
  };
  const opacity = (element) => {
    let value = 1;
    for (let node = element; node; node = node.parentElement) value *= Number(getComputedStyle(node).opacity);
    return value;
  };

  const problems = { fontSize: [], contrast: [], targets: [], width: null };

  for (const element of document.body.querySelectorAll("*")) {
    if (["SCRIPT", "STYLE", "OPTION", "NOSCRIPT"].includes(element.tagName)) continue;
    const ownText = Array.from(element.childNodes).some((node) => node.nodeType === 3 && node.textContent.trim());
    if (!ownText || !isShown(element)) continue;
    const style = getComputedStyle(element);
    const size = parseFloat(style.fontSize);
    if (size < minFontSize) problems.fontSize.push(`${describe(element)} is ${size}px`);
    const text = parseColor(style.color);
    const worst = Math.min(
      ...backdrops(element).map((behind) => ratio(over({ ...text, a: text.a * opacity(element) }, behind), behind)),
    );
    if (worst < minContrast) {
      problems.contrast.push(`${describe(element)}: ${hex(text)} at ${worst.toFixed(2)}:1`);
    }
  }

  const inRunningText = (link) => {
    const block = link.parentElement && link.parentElement.closest("p, li");
    if (!block) return false;
    const outside = Array.from(block.childNodes)
      .filter((node) => node !== link && !node.contains?.(link))
      .map((node) => node.textContent)
      .join("");
    return outside.trim().length > 0;
  };
  const controls = document.body.querySelectorAll(
    "a[href], button, summary, select, textarea, input:not([type=hidden]), [role=button]",
  );
  for (const control of controls) {
    let target = control;
    if (control.matches("input[type=checkbox], input[type=radio]") && control.closest("label")) {
      target = control.closest("label");
    }
    if (!isShown(target)) continue;
    if (control.matches("a") && inRunningText(control)) continue;
    const { width, height } = target.getBoundingClientRect();
    if (width < minTarget - 0.5 || height < minTarget - 0.5) {
      problems.targets.push(`${describe(control)} is ${Math.round(width)}×${Math.round(height)}`);
    }
  }

  const width = document.documentElement.scrollWidth;
  if (width > window.innerWidth) problems.width = `the page is ${width}px wide on a ${window.innerWidth}px screen`;
  return problems;
};
