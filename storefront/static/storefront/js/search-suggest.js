// 搜索联想: suggestions as you type in the header's search box, 热搜 and recent searches when it is empty.
// Recent searches stay in this browser (localStorage), never on the server. Without this script the search
// form simply submits, and the search page lists 热搜 itself.
(() => {
  const RECENT_KEY = "unionMall.recentSearches";
  const RECENT_MAX = 10;
  const DEBOUNCE_MS = 150;
  const MAX_TYPED = 32;
  const KIND_LABELS = { product: "商品", category: "分类" };

  const readRecent = () => {
    try {
      const stored = JSON.parse(window.localStorage.getItem(RECENT_KEY) || "[]");
      return Array.isArray(stored) ? stored.filter((text) => typeof text === "string" && text).slice(0, RECENT_MAX) : [];
    } catch {
      return [];
    }
  };
  const writeRecent = (list) => {
    try {
      if (list.length) window.localStorage.setItem(RECENT_KEY, JSON.stringify(list));
      else window.localStorage.removeItem(RECENT_KEY);
    } catch {
      // Private browsing or storage turned off: recent searches are simply not kept.
    }
  };
  const remember = (text) => {
    const words = (text || "").trim().slice(0, 100);
    if (words) writeRecent([words, ...readRecent().filter((other) => other !== words)].slice(0, RECENT_MAX));
  };

  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  // The search page remembers the words it shows, whichever way the visitor came (box, link, 热搜).
  const rememberShownSearch = () => {
    const header = document.querySelector("[data-search-query]");
    if (header && header.dataset.searchQuery) remember(header.dataset.searchQuery);
  };

  // The empty search page lists recent searches with a 清除 button.
  const showRecentSection = (searchAction) => {
    const section = document.querySelector("[data-recent-searches]");
    if (!section) return;
    const list = section.querySelector("[data-recent-list]");
    const recent = readRecent();
    list.replaceChildren(
      ...recent.map((text) => {
        const item = element("li");
        const link = element("a", "chip search-recent", text);
        link.href = `${searchAction}?q=${encodeURIComponent(text)}`;
        item.append(link);
        return item;
      }),
    );
    section.hidden = recent.length === 0;
    section.querySelector("[data-recent-clear]").addEventListener("click", () => {
      writeRecent([]);
      section.hidden = true;
    });
  };

  // Facets stay open beside the results on wide screens; on a phone they wait behind 筛选.
  const openFacetsOnWideScreens = () => {
    const facets = document.querySelector("[data-facets]");
    if (facets && window.matchMedia("(min-width: 900px)").matches) {
      facets.open = true;
      facets.classList.add("is-pinned");
    }
  };

  const setUpSuggestions = (form, input) => {
    const endpoint = form.dataset.suggestUrl;
    if (!endpoint || !window.fetch) return;
    const box = element("div", "suggest");
    box.hidden = true;
    const list = element("ul", "suggest__list");
    list.id = "search-suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "搜索建议");
    box.append(list);
    form.append(box);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");

    const answers = new Map();
    let options = [];
    let active = -1;
    let timer = null;
    let inFlight = null;

    const close = () => {
      box.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    };
    const go = (option) => {
      remember(option.remember);
      close();
      window.location.assign(option.url);
    };
    const markActive = () => {
      list.querySelectorAll("[role=option]").forEach((node, index) => {
        node.classList.toggle("is-active", index === active);
        node.setAttribute("aria-selected", index === active ? "true" : "false");
      });
      if (active >= 0) input.setAttribute("aria-activedescendant", `search-suggest-${active}`);
      else input.removeAttribute("aria-activedescendant");
    };
    // sections: [{title, items: [{label, kind, url, remember}], onClear}]
    const render = (sections) => {
      options = [];
      active = -1;
      list.replaceChildren();
      sections
        .filter((section) => section.items.length)
        .forEach((section) => {
          if (section.title) {
            const head = element("li", "suggest__head");
            head.setAttribute("role", "presentation");
            head.append(element("span", "suggest__title", section.title));
            if (section.onClear) {
              const clear = element("button", "suggest__clear", "清除");
              clear.type = "button";
              clear.addEventListener("mousedown", (event) => event.preventDefault());
              clear.addEventListener("click", () => {
                section.onClear();
                showEmptyBox();
                input.focus();
              });
              head.append(clear);
            }
            list.append(head);
          }
          section.items.forEach((item) => {
            const index = options.length;
            const node = element("li", "suggest__option");
            node.id = `search-suggest-${index}`;
            node.setAttribute("role", "option");
            node.setAttribute("aria-selected", "false");
            node.append(element("span", "suggest__text", item.label));
            if (KIND_LABELS[item.kind]) node.append(element("span", "suggest__kind", KIND_LABELS[item.kind]));
            node.addEventListener("mousedown", (event) => event.preventDefault()); // keep the box focused
            node.addEventListener("click", () => go(item));
            list.append(node);
            options.push(item);
          });
        });
      box.hidden = options.length === 0;
      input.setAttribute("aria-expanded", box.hidden ? "false" : "true");
    };
    const searchFor = (text) => `${form.action}?q=${encodeURIComponent(text)}`;
    const fetchAnswer = async (typed) => {
      if (answers.has(typed)) return answers.get(typed);
      if (inFlight) inFlight.abort();
      inFlight = new AbortController();
      const response = await fetch(`${endpoint}?q=${encodeURIComponent(typed)}`, {
        signal: inFlight.signal,
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(`suggest ${response.status}`);
      const answer = await response.json();
      answers.set(typed, answer);
      return answer;
    };
    const showEmptyBox = async () => {
      const recentSection = {
        title: "最近搜索",
        items: readRecent().map((text) => ({ label: text, url: searchFor(text), remember: text })),
        onClear: () => writeRecent([]),
      };
      render([recentSection]);
      try {
        const answer = await fetchAnswer("");
        if (input.value.trim() || document.activeElement !== input) return;
        const hot = (answer.hot || []).map((text) => ({ label: text, url: searchFor(text), remember: text }));
        render([recentSection, { title: "热搜", items: hot }]);
      } catch {
        // No 热搜 this time; recent searches are still shown.
      }
    };
    const showSuggestions = async () => {
      const typed = input.value.trim().slice(0, MAX_TYPED);
      if (!typed) {
        showEmptyBox();
        return;
      }
      try {
        const answer = await fetchAnswer(typed);
        if (input.value.trim().slice(0, MAX_TYPED) !== typed) return; // the visitor typed on meanwhile
        render([
          {
            title: "",
            items: (answer.suggestions || []).map((suggestion) => ({
              label: suggestion.text,
              kind: suggestion.kind,
              url: suggestion.url,
              remember: suggestion.text,
            })),
          },
        ]);
      } catch {
        close(); // aborted by a newer request, or the server is away: the form still submits
      }
    };

    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(showSuggestions, DEBOUNCE_MS);
    };
    // While a Chinese input method composes, the box holds pinyin being typed: wait for the characters.
    input.addEventListener("input", (event) => {
      if (!event.isComposing) schedule();
    });
    input.addEventListener("compositionend", schedule);
    input.addEventListener("focus", () => {
      if (!input.value.trim()) showEmptyBox();
    });
    input.addEventListener("blur", () => setTimeout(close, 100));
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (box.hidden) {
          showSuggestions();
          return;
        }
        event.preventDefault();
        // Down from the last option and up from the first go back to the box (-1), as in a browser's own list.
        if (event.key === "ArrowDown") active = active + 1 >= options.length ? -1 : active + 1;
        else active = active - 1 < -1 ? options.length - 1 : active - 1;
        markActive();
      } else if (event.key === "Enter" && !box.hidden && active >= 0) {
        event.preventDefault();
        go(options[active]);
      } else if (event.key === "Escape" && !box.hidden) {
        event.preventDefault();
        close();
      }
    });
    form.addEventListener("submit", () => remember(input.value));
  };

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.querySelector("form.search");
    rememberShownSearch();
    showRecentSection(form ? form.action : "/search/");
    openFacetsOnWideScreens();
    const input = form && form.querySelector("input[name=q]");
    if (input) setUpSuggestions(form, input);
  });
})();
