// The search page (tim-kiem/): Pagefind's search API behind a plain form.
//
// Without JavaScript the page says how to browse instead; the form and its filter menus are
// ordinary HTML, so the URL (?q=…&kind=…) describes a search and can be shared. Every query is
// folded as generator/textnorm.fold folds text (NFC or NFD in, marks removed, đ→d, lower case):
// each indexed page carries a folded copy of its đ-words (generator/prepare/search.py), and Pagefind
// ignores the other marks itself. A citizens' phrase from the synonyms file ("so do") is
// searched as the one word it is indexed as ("sodo"); its separate words only when that finds
// nothing ("so" and "do" are on every page).

const ROOT = new URL("../../", import.meta.url); // this file is <root>/assets/javascripts/
const PAGE_SIZE = 10;
const DELAY_MS = 250;
// Procedure pages are long: weigh page length less than Pagefind's default (0.75).
const RANKING = { pageLength: 0.3 };
// Search on the page itself: Pagefind's web worker would add a 41 KB script to the first search
// (benchmarks/search.py), and one query at a time does not need it.
const NO_WORKER = true;
const PROCEDURE = "Thủ tục hành chính";

/** The folded form of a query: "Đăng  KÝ" -> "dang ky". */
export function foldQuery(text) {
  return text
    .replace(/[đĐ]/g, "d")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .join(" ");
}

/** The query with each known phrase joined into one word: "cap so do" -> "cap sodo". */
export function joinPhrases(folded, phrases) {
  let text = ` ${folded} `;
  for (const phrase of phrases) {
    text = text.split(` ${phrase} `).join(` ${phrase.replaceAll(" ", "")} `);
  }
  return text.trim();
}

let engine = null;

/** The results of the query with its phrases joined, else of its words. */
async function findPages(folded, phrases, filters) {
  const module = await pagefind();
  const joined = joinPhrases(folded, phrases);
  if (joined !== folded) {
    const byPhrase = await module.search(joined, { filters });
    if (byPhrase.results.length) return byPhrase.results;
  }
  return (await module.search(folded || null, { filters })).results;
}

async function pagefind() {
  if (!engine) {
    engine = import(new URL("pagefind/pagefind.js", ROOT).href).then(async (module) => {
      await module.options({ baseUrl: ROOT.pathname, ranking: RANKING, noWorker: NO_WORKER });
      return module;
    });
  }
  return engine;
}

function describe(meta) {
  const code = meta.code ? (meta.kind === PROCEDURE ? `Mã ${meta.code}` : meta.code) : "";
  const agency = meta.agency && meta.agency !== meta.title ? meta.agency : "";
  return [meta.kind, code, agency, meta.note].filter(Boolean).join(" · ");
}

function resultItem(data) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.className = "ck-result-title";
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  const meta = document.createElement("span");
  meta.className = "ck-result-meta";
  meta.textContent = describe(data.meta);
  item.append(link, meta);
  return item;
}

function init() {
  const form = document.getElementById("ck-search-form");
  const input = document.getElementById("ck-search-q");
  const status = document.getElementById("ck-search-status");
  const list = document.getElementById("ck-search-results");
  const more = document.getElementById("ck-search-more");
  const selects = Array.from(form.querySelectorAll("select[data-filter]"));
  const phrases = (form.dataset.phrases || "").split("|").filter(Boolean);
  document.getElementById("ck-search-nojs").hidden = true; // the browsing links, for no-JS visitors
  let hits = [];
  let shown = 0;
  let generation = 0;
  let timer = 0;

  function chosenFilters() {
    const filters = {};
    for (const select of selects) {
      if (select.value) filters[select.dataset.filter] = select.value;
    }
    return filters;
  }

  function remember(filters) {
    const params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    for (const [key, value] of Object.entries(filters)) params.set(key, value);
    const query = params.toString();
    history.replaceState(null, "", query ? `?${query}` : location.pathname);
  }

  async function showMore() {
    const batch = hits.slice(shown, shown + PAGE_SIZE);
    const mine = generation;
    const data = await Promise.all(batch.map((hit) => hit.data()));
    if (mine !== generation) return null;
    const items = data.map(resultItem);
    list.append(...items);
    shown += batch.length;
    more.hidden = shown >= hits.length;
    return items[0] || null;
  }

  async function run() {
    const mine = ++generation;
    const typed = input.value.trim();
    const query = foldQuery(typed);
    const filters = chosenFilters();
    remember(filters);
    if (!query && Object.keys(filters).length === 0) {
      hits = [];
      list.replaceChildren();
      more.hidden = true;
      status.textContent = "";
      return;
    }
    status.textContent = "Đang tìm…";
    let found;
    try {
      found = await findPages(query, phrases, filters);
    } catch (error) {
      status.textContent = "Không tải được công cụ tìm kiếm. Hãy tải lại trang.";
      return;
    }
    if (mine !== generation) return;
    hits = found;
    shown = 0;
    list.replaceChildren();
    await showMore();
    if (mine !== generation) return;
    const words = typed ? ` cho “${typed}”` : "";
    status.textContent = hits.length
      ? `Có ${hits.length} kết quả${words}.`
      : `Không tìm thấy kết quả${words}. Hãy thử từ khác hoặc bỏ bớt bộ lọc.`;
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(run, DELAY_MS);
  }

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  for (const select of selects) {
    const wanted = params.get(select.dataset.filter);
    if (wanted && Array.from(select.options).some((option) => option.value === wanted)) {
      select.value = wanted;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  input.addEventListener("input", later);
  for (const select of selects) select.addEventListener("change", () => run());
  more.addEventListener("click", async () => {
    const first = await showMore();
    if (first) first.querySelector("a").focus();
  });

  if (input.value || Object.keys(chosenFilters()).length) {
    run();
  } else {
    input.focus();
  }
}

init();
