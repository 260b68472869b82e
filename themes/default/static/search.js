// digest search: reads the static index in search/ (see generator/search.py), no server needed.
(function () {
  "use strict";
  var form = document.querySelector(".search-form");
  var input = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !input || !status || !list) return;
  var base = new URL(".", document.baseURI);  // the search/ folder holds the index
  var root = new URL("..", base);
  var MAX_RESULTS = 50;
  var meta = null, stopwords = new Set(), shards = {}, chunks = {}, latest = 0;
  // The same split as generator/search.py's terms(): NFKC, lower case, letters, digits, marks and
  // underscore; Chinese and Japanese runs as overlapping character pairs.
  var WORD = /[\p{L}\p{N}\p{M}_]+/gu;
  var CJK_RUN = /([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)/u;

  function fetchJson(name) {
    var url = new URL(name, base);
    if (meta) url.searchParams.set("v", meta.version);
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(name + ": HTTP " + r.status);
      return r.json();
    });
  }
  function loadMeta() {
    return meta ? Promise.resolve(meta) : fetchJson("meta.json").then(function (m) {
      meta = m;
      stopwords = new Set(m.stopwords);
      return m;
    });
  }
  function hex(text) {
    return Array.from(new TextEncoder().encode(text), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  function words(text) {
    var found = new Set();
    (text.normalize("NFKC").toLowerCase().match(WORD) || []).forEach(function (word) {
      word.split(CJK_RUN).forEach(function (part, n) {
        var chars = Array.from(part);
        if (n % 2) {
          for (var i = 0; i < Math.max(1, chars.length - 1); i++) found.add(chars.slice(i, i + 2).join(""));
        } else if (chars.length >= 2 && !stopwords.has(part)) {
          found.add(part);
        }
      });
    });
    return Array.from(found);
  }
  function prefix(word) { return Array.from(word).slice(0, CJK_RUN.test(word.charAt(0)) ? 1 : 2).join(""); }
  function shard(key) {
    if (!meta.shards.includes(key)) return Promise.resolve({});
    if (!shards[key]) shards[key] = fetchJson("t-" + hex(key) + ".json");
    return shards[key];
  }
  function undelta(list) { var n = 0; return list.map(function (d) { n += d; return n; }); }
  // Score of every article matching one query word: terms it starts, with title and tag hits weighing more.
  function scores(word, terms) {
    var result = new Map();
    Object.keys(terms).forEach(function (term) {
      if (!term.startsWith(word)) return;
      var exact = term === word ? 2 : 1;
      undelta(terms[term].b).forEach(function (n) { result.set(n, Math.max(result.get(n) || 0, exact)); });
      undelta(terms[term].h || []).forEach(function (n) { result.set(n, Math.max(result.get(n) || 0, exact * 4)); });
    });
    return result;
  }
  function doc(n) {
    var c = Math.floor(n / meta.chunk);
    if (!chunks[c]) chunks[c] = fetchJson("d-" + c + ".json");
    return chunks[c].then(function (docs) { return docs[n - c * meta.chunk]; });
  }
  function item(d) {
    var li = document.createElement("li"), article = document.createElement("article");
    var h = document.createElement("h2"), a = document.createElement("a");
    h.className = "headline";
    a.href = new URL(d[0], root).href;
    a.textContent = d[1];
    h.appendChild(a);
    article.appendChild(h);
    var line = [d[2], d[3]].filter(Boolean).join(" · ");
    if (line) { var p = document.createElement("p"); p.className = "meta"; p.textContent = line; article.appendChild(p); }
    if (d[4]) { var s = document.createElement("p"); s.className = "summary"; s.textContent = d[4]; article.appendChild(s); }
    li.appendChild(article);
    return li;
  }
  function search(query) {
    var ticket = ++latest, wanted = [];
    list.replaceChildren();
    if (!query.trim()) { status.textContent = ""; return; }
    status.textContent = "Searching…";
    loadMeta().then(function () {
      wanted = words(query);
      return Promise.all(wanted.map(function (w) { return shard(prefix(w)).then(function (t) { return scores(w, t); }); }));
    }).then(function (perWord) {
      if (!perWord.length) return [0, []];
      var total = new Map();
      perWord[0].forEach(function (score, n) {
        if (perWord.every(function (m) { return m.has(n); })) {
          total.set(n, perWord.reduce(function (sum, m) { return sum + m.get(n); }, 0));
        }
      });
      var ranked = Array.from(total.keys()).sort(function (a, b) { return total.get(b) - total.get(a) || a - b; });
      return Promise.all(ranked.slice(0, MAX_RESULTS).map(doc)).then(function (docs) { return [ranked.length, docs]; });
    }).then(function (found) {
      if (ticket !== latest) return;
      var count = found[0];
      status.textContent = !wanted.length ? "Type at least two letters or a longer word." : count === 0 ? "No articles match." :
        count + (count === 1 ? " article matches." : " articles match.") + (count > MAX_RESULTS ? " Showing the best " + MAX_RESULTS + "." : "");
      found[1].forEach(function (d) { list.appendChild(item(d)); });
    }).catch(function (error) {
      if (ticket === latest) status.textContent = "Search is unavailable: " + error.message;
    });
  }
  var timer = 0;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { search(input.value); }, 150); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    search(input.value);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; search(initial); }
}());
