// The search page (tim-kiem/): Pagefind's search API behind a plain form.
//
// Without JavaScript the page says so above the form, and the filter menus stay hidden; the form
// is ordinary HTML, so the URL (?q=…&kind=…) describes a search and can be shared. Every query is
// folded as generator/textnorm.py `search_fold` folds text (NFC or NFD in, marks removed,
// đ→d, lower case, a y that is a syllable's only vowel written i): each indexed page carries a
// copy of its words folded the same way, and Pagefind ignores the other marks itself. A citizens'
// phrase from the synonyms file ("so do") is searched as the one word it is indexed as ("sodo");
// its separate words only when that finds nothing ("so" and "do" are on every page).
//
// Order of the results: first the pages whose title holds the query as a phrase (the pairs of its
// adjacent words are indexed words of the title: "khai tu" → "khaitu"), then the other pages with
// its words; within each, Pagefind's ranking. Records no longer in force (filter `current: no`)
// come after all the others.

const ROOT = new URL("../../", import.meta.url); // this file is <root>/assets/javascripts/
const PAGE_SIZE = 10;
const DELAY_MS = 250;
// Procedure pages are long: weigh page length less than Pagefind's default (0.75).
const RANKING = { pageLength: 0.3 };
// Search on the page itself: Pagefind's web worker would add a 41 KB script to the first search
// (benchmarks/search.py), and one query at a time does not need it.
const NO_WORKER = true;
const PROCEDURE = "Thủ tục hành chính";
const CURRENT = "current"; // generator/prepare/search.py CURRENT_FILTER
// A folded syllable whose lone vowel y is also written i (generator/textnorm.py _Y_SYLLABLE).
const Y_SYLLABLE = /\b(h|k|l|m|qu|s|t|v)y\b/g;

/** The folded form of a query: "Đăng  KÝ" -> "dang ki". */
export function foldQuery(text) {
  return text
    .replace(/[đĐ]/g, "d")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .join(" ")
    .replace(Y_SYLLABLE, "$1i");
}

/** The query with each known phrase joined into one word: "cap so do" -> "cap sodo". */
export function joinPhrases(folded, phrases) {
  let text = ` ${folded} `;
  for (const phrase of phrases) {
    text = text.split(` ${phrase} `).join(` ${phrase.replaceAll(" ", "")} `);
  }
  return text.trim();
}

/** Each pair of adjacent words of a folded query, as one word: "dang ki khai tu" -> "dangki kikhai khaitu". */
export function wordPairs(folded) {
  const pairs = [];
  for (const clause of folded.split(/[^\p{L}\p{N}\s]+/u)) {
    const words = clause.split(/\s+/).filter(Boolean);
    for (let i = 1; i < words.length; i += 1) pairs.push(words[i - 1] + words[i]);
  }
  return [...new Set(pairs)];
}

let engine = null;

/** The results of the query with its phrases joined, else of its words; a title's phrase first,
 * records no longer in force last. */
async function findPages(folded, phrases, filters) {
  const module = await pagefind();
  const search = async (terms, only = filters) => (await module.search(terms, { filters: only })).results;
  const joined = joinPhrases(folded, phrases);
  let terms = joined;
  let found = joined !== folded ? await search(joined) : [];
  if (!found.length) {
    terms = folded || null;
    found = await search(terms);
  }
  const pairs = wordPairs(folded);
  if (pairs.length && found.length > 1) {
    const phrase = await search(`${terms} ${pairs.join(" ")}`);
    const first = new Set(phrase.map((hit) => hit.id));
    found = [...phrase, ...found.filter((hit) => !first.has(hit.id))];
  }
  if (found.length > 1 && !filters[CURRENT]) {
    const old = new Set((await search(terms, { ...filters, [CURRENT]: "no" })).map((hit) => hit.id));
    found = [...found.filter((hit) => !old.has(hit.id)), ...found.filter((hit) => old.has(hit.id))];
  }
  return found;
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
  return [meta.kind, code, agency].filter(Boolean).join(" · ");
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
  if (data.meta.status) {
    const status = document.createElement("span");
    status.className = data.meta.current === "no" ? "ck-result-status ck-result-status--old" : "ck-result-status";
    status.textContent = data.meta.status;
    item.append(status);
  }
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
  const folder = document.getElementById("ck-search-filters");
  const chosen = document.getElementById("ck-search-chosen");
  folder.hidden = false; // the menus filter only with this script
  // On a phone, the keyboard would hide the results it was typed for.
  const touch = window.matchMedia("(pointer: coarse)").matches;
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

  function count(filters) {
    const n = Object.keys(filters).length;
    chosen.textContent = n ? `(${n} đang chọn)` : "";
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
    count(filters);
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

  if (Object.keys(chosenFilters()).length) folder.open = true;

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    if (touch) input.blur();
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
