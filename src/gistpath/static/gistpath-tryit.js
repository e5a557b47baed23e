/* gistpath "Try it" panel: decides in the browser from a rule set's compiled tables.
 *
 * The page holds the tables as JSON (written by gistpath.tryit.panel_data from the checked,
 * compiled rule set) in <script type="application/json" id="...">, and one
 * <div class="gistpath-tryit" data-tables="..."> per rule set. This script:
 *   - validates a state with the same words as gistpath.StateError;
 *   - finds each input's cell, ANDs the cells' bit sets (BigInt), and reads the rule, the
 *     broken constraint, the considerations and the derived values off the masks, exactly
 *     as gistpath.RuleSet.evaluate does;
 *   - builds a form with one control per input and shows the pathway, the considerations
 *     and why.
 * It fetches nothing and needs no server. window.gistpath.decide(state[, name]) returns
 * {pathway, considerations, values} or {error} for tests and other scripts.
 */
(function () {
  "use strict";

  // ------------------------------------------------------------------ Python's words

  function isMapping(x) {
    return typeof x === "object" && x !== null && !Array.isArray(x);
  }

  function pyFloat(x) {
    if (Number.isNaN(x)) return "nan";
    if (x === Infinity) return "inf";
    if (x === -Infinity) return "-inf";
    // Shortest round-trip digits, as Python's repr, laid out as Python lays them out.
    var exp = x.toExponential(); // "d.ddde+N"
    var sign = "";
    if (exp[0] === "-") { sign = "-"; exp = exp.slice(1); }
    var parts = exp.split("e");
    var digits = parts[0].replace(".", "");
    var decpt = parseInt(parts[1], 10) + 1; // 0.d1d2... x 10^decpt
    if (decpt <= -4 || decpt > 16) {
      var mant = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
      var e = decpt - 1;
      var es = Math.abs(e) < 10 ? "0" + Math.abs(e) : String(Math.abs(e));
      return sign + mant + "e" + (e < 0 ? "-" : "+") + es;
    }
    var s;
    if (decpt <= 0) s = "0." + "0".repeat(-decpt) + digits;
    else if (decpt >= digits.length) s = digits + "0".repeat(decpt - digits.length) + ".0";
    else s = digits.slice(0, decpt) + "." + digits.slice(decpt);
    return sign + s;
  }

  function pyStr(s) {
    var quote = s.indexOf("'") >= 0 && s.indexOf('"') < 0 ? '"' : "'";
    var out = quote;
    Array.from(s).forEach(function (ch) {
      var code = ch.codePointAt(0);
      if (ch === "\\") out += "\\\\";
      else if (ch === quote) out += "\\" + ch;
      else if (ch === "\n") out += "\\n";
      else if (ch === "\r") out += "\\r";
      else if (ch === "\t") out += "\\t";
      else if (code < 0x20 || code === 0x7f) out += "\\x" + code.toString(16).padStart(2, "0");
      else out += ch;
    });
    return out + quote;
  }

  function pyRepr(v) {
    if (v === null || v === undefined) return "None";
    if (v === true) return "True";
    if (v === false) return "False";
    if (typeof v === "number") return Number.isInteger(v) ? String(v) : pyFloat(v);
    if (typeof v === "string") return pyStr(v);
    if (Array.isArray(v)) return "[" + v.map(pyRepr).join(", ") + "]";
    if (typeof v === "object") {
      return "{" + Object.keys(v).map(function (k) {
        return pyStr(k) + ": " + pyRepr(v[k]);
      }).join(", ") + "}";
    }
    return String(v);
  }

  function pyType(v) {
    if (v === null || v === undefined) return "NoneType";
    if (typeof v === "boolean") return "bool";
    if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
    if (typeof v === "string") return "str";
    if (Array.isArray(v)) return "list";
    return "dict";
  }

  function show(v) {
    var text = Array.from(pyRepr(v));
    var shown = text.length > 80 ? text.slice(0, 77).join("") + "..." : text.join("");
    return shown + " (" + pyType(v) + ")";
  }

  function stateError(field, value, expected, reason) {
    return field + ": " + (reason || "invalid value") + ": got " + show(value) +
      "; expected " + expected;
  }

  // difflib.SequenceMatcher(None, a, b).ratio() and get_close_matches(word, choices, 1)
  function ratio(a, b) {
    a = Array.from(a); b = Array.from(b);
    var b2j = new Map();
    b.forEach(function (ch, j) {
      if (!b2j.has(ch)) b2j.set(ch, []);
      b2j.get(ch).push(j);
    });
    var n = b.length;
    if (n >= 200) { // difflib's autojunk: drop very popular elements
      var ntest = Math.floor(n / 100) + 1;
      Array.from(b2j.keys()).forEach(function (ch) {
        if (b2j.get(ch).length > ntest) b2j.delete(ch);
      });
    }
    function longest(alo, ahi, blo, bhi) {
      var besti = alo, bestj = blo, bestsize = 0;
      var j2len = new Map();
      for (var i = alo; i < ahi; i++) {
        var newj2len = new Map();
        var js = b2j.get(a[i]) || [];
        for (var t = 0; t < js.length; t++) {
          var j = js[t];
          if (j < blo) continue;
          if (j >= bhi) break;
          var k = (j2len.get(j - 1) || 0) + 1;
          newj2len.set(j, k);
          if (k > bestsize) { besti = i - k + 1; bestj = j - k + 1; bestsize = k; }
        }
        j2len = newj2len;
      }
      while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) {
        besti--; bestj--; bestsize++;
      }
      while (besti + bestsize < ahi && bestj + bestsize < bhi &&
             a[besti + bestsize] === b[bestj + bestsize]) {
        bestsize++;
      }
      return [besti, bestj, bestsize];
    }
    var matches = 0;
    var queue = [[0, a.length, 0, b.length]];
    while (queue.length) {
      var q = queue.pop();
      var m = longest(q[0], q[1], q[2], q[3]);
      if (m[2]) {
        matches += m[2];
        if (q[0] < m[0] && q[2] < m[1]) queue.push([q[0], m[0], q[2], m[1]]);
        if (m[0] + m[2] < q[1] && m[1] + m[2] < q[3]) {
          queue.push([m[0] + m[2], q[1], m[1] + m[2], q[3]]);
        }
      }
    }
    var total = a.length + b.length;
    return total ? 2.0 * matches / total : 1.0;
  }

  function suggest(word, choices) {
    var lowered = {};
    choices.forEach(function (c) { lowered[c.toLowerCase()] = c; });
    var key = word.trim().toLowerCase();
    if (Object.prototype.hasOwnProperty.call(lowered, key)) {
      return " (did you mean " + pyStr(lowered[key]) + "?)";
    }
    var best = null;
    choices.forEach(function (c) {
      var score = ratio(c, word);
      if (score >= 0.6 && (best === null || score > best[0] ||
          (score === best[0] && c > best[1]))) {
        best = [score, c];
      }
    });
    return best ? " (did you mean " + pyStr(best[1]) + "?)" : "";
  }

  // ------------------------------------------------------------------ validation

  function Refused(message) { this.message = message; }

  function contains(item, x) {
    if (item.low && (x < item.low[0] || (x === item.low[0] && !item.low[1]))) return false;
    return !(item.high && (x > item.high[0] || (x === item.high[0] && !item.high[1])));
  }

  function validateValue(item, value) {
    var name = item.name, expected = item.expected;
    if (item.kind === "choice") {
      var allowed = item.values.concat(item.unknown ? ["unknown"] : []);
      if (typeof value === "string" && allowed.indexOf(value) >= 0) return value;
      if (typeof value === "string") {
        var names = Array.from(new Set(allowed)).sort();
        throw new Refused(stateError(name, value, expected,
          "not an allowed value" + suggest(value, names)));
      }
      throw new Refused(stateError(name, value, expected, "not a choice name"));
    }
    if (item.kind === "boolean") {
      if (value === true || value === false) return value;
      if (item.unknown && value === "unknown") return "unknown";
      if (typeof value === "string") {
        var word = value.trim().toLowerCase();
        var hint = ["true", "false", "yes", "no"].indexOf(word) >= 0
          ? " (in JSON write true or false without quotes)" : "";
        throw new Refused(stateError(name, value, expected, "a text, not a boolean" + hint));
      }
      throw new Refused(stateError(name, value, expected, "not a boolean"));
    }
    if (typeof value === "number") {
      if (!Number.isInteger(value)) {
        if (item.integer) throw new Refused(stateError(name, value, expected, "not an integer"));
        if (!Number.isFinite(value)) {
          throw new Refused(stateError(name, value, expected,
            "not a finite number (NaN or infinite)"));
        }
      }
      if (!contains(item, value)) throw new Refused(stateError(name, value, expected, "out of range"));
      return value;
    }
    if (typeof value === "string") {
      if (item.unknown && value === "unknown") return "unknown";
      throw new Refused(stateError(name, value, expected, "a text, not a number"));
    }
    if (typeof value === "boolean") {
      throw new Refused(stateError(name, value, expected, "a boolean, not a number"));
    }
    throw new Refused(stateError(name, value, expected, "not a number"));
  }

  /* Every problem of a state, one line each, in the order gistpath.StateError lists them:
     undeclared keys as the state has them, then each declared field, missing or bad. */
  function stateProblems(state, inputs) {
    if (!isMapping(state)) {
      return [stateError("<state>", state, "a mapping of field names to values", "not a mapping")];
    }
    var declared = inputs.map(function (i) { return i.name; });
    var problems = [];
    Object.keys(state).forEach(function (key) {
      if (declared.indexOf(key) < 0) {
        problems.push(stateError(key, state[key],
          declared.length ? "only the declared fields: " + declared.join(", ")
            : "no fields at all (this rule set declares no inputs)",
          "unknown field" + suggest(key, declared)));
      }
    });
    inputs.forEach(function (item) {
      if (!Object.prototype.hasOwnProperty.call(state, item.name)) {
        problems.push(item.name + ": missing field; expected a value for every declared field; " +
          item.expected);
        return;
      }
      try {
        validateValue(item, state[item.name]);
      } catch (e) {
        if (!(e instanceof Refused)) throw e;
        problems.push(e.message);
      }
    });
    return problems;
  }

  // ------------------------------------------------------------------ the tables

  function big(hex) { return BigInt("0x" + hex); }

  function lowBit(x) {
    var i = 0;
    while (((x >> BigInt(i)) & 1n) === 0n) i++;
    return i;
  }

  function bitsOf(x) {
    var out = [], i = 0;
    while (x) {
      if (x & 1n) out.push(i);
      x >>= 1n; i++;
    }
    return out;
  }

  function Engine(data) {
    var t = data.tables;
    this.data = data;
    this.inputs = data.inputs;
    this.cells = t.cells.map(function (d) { return d.map(big); });
    this.all = (1n << BigInt(t.boxes)) - 1n;
    this.ruleMask = big(t.rule_mask);
    this.constraintMask = big(t.constraint_mask);
    this.considerationMask = big(t.consideration_mask);
    this.letMasks = t.let_masks.map(function (p) { return [p[0], big(p[1])]; });
    this.valueMasks = t.value_masks.map(function (p) {
      return [p[0], p[1].map(function (q) { return [q[0], big(q[1])]; })];
    });
    this.considerationIds = Object.keys(data.considerations);
    this.rows = {};
    var self = this;
    Object.keys(data.rows).forEach(function (name) {
      var r = data.rows[name];
      self.rows[name] = {
        all: (1n << BigInt(r.boxes)) - 1n,
        cells: r.cells.map(function (d) { return d.map(big); }),
        rows: r.rows.map(big),
      };
    });
  }

  Engine.prototype.cellOf = function (i, value) {
    var t = this.data.tables;
    if (t.choices[i] !== null) return t.choices[i].indexOf(value);
    if (typeof value === "string") return t.unknown_cells[i];
    var ts = t.thresholds[i], lo = 0, hi = ts.length;
    while (lo < hi) { // bisect_left
      var mid = (lo + hi) >> 1;
      if (ts[mid] < value) lo = mid + 1; else hi = mid;
    }
    return lo < ts.length && ts[lo] === value ? 2 * lo + 1 : 2 * lo;
  };

  Engine.prototype.validate = function (state) {
    var problems = stateProblems(state, this.inputs);
    if (problems.length) throw new Refused(problems.join("\n"));
    var values = {};
    this.inputs.forEach(function (item) { values[item.name] = validateValue(item, state[item.name]); });
    return values;
  };

  /* The full decision: pathway, considerations, values, rule and table rows. */
  Engine.prototype.resolve = function (state) {
    var values = this.validate(state);
    var t = this.data.tables, self = this;
    var cells = this.inputs.map(function (item, i) { return self.cellOf(i, values[item.name]); });
    var acc = this.all;
    cells.forEach(function (cell, d) { acc &= self.cells[d][cell]; });
    var broken = acc & this.constraintMask;
    if (broken) { // every broken constraint, in file order, one line each (as evaluate)
      var seen = {};
      bitsOf(broken).forEach(function (b) { seen[t.constraint_of_box[String(b)]] = true; });
      var indices = Object.keys(seen).map(Number).sort(function (a, b) { return a - b; });
      throw new Refused(indices.map(function (i) {
        var c = self.data.constraints[i];
        return stateError(c.name, values, c.title, "the state breaks this constraint");
      }).join("\n"));
    }
    var fired = acc & this.ruleMask;
    if (!fired) {
      throw new Refused("no rule matches this state; the rule file failed verification");
    }
    var ruleIndex = t.rule_of_box[String(lowBit(fired))];
    var others = bitsOf(fired).filter(function (b) { return t.rule_of_box[String(b)] !== ruleIndex; });
    if (others.length) throw new Refused("several rules match this state; the rule file failed verification");
    var rule = this.data.rules[ruleIndex];
    var considerations = [];
    if (this.considerationMask) {
      var pathwayCell = t.pathway_cells.indexOf(rule.pathway);
      var withPathway = acc & this.considerationMask & this.cells[this.cells.length - 1][pathwayCell];
      var seen = {};
      bitsOf(withPathway).forEach(function (b) { seen[t.consideration_of_box[String(b)]] = true; });
      considerations = Object.keys(seen).map(Number).sort(function (x, y) { return x - y; })
        .map(function (i) { return self.considerationIds[i]; });
    }
    var derived = {};
    this.letMasks.forEach(function (p) { derived[p[0]] = Boolean(acc & p[1]); });
    this.valueMasks.forEach(function (p) {
      var found = null;
      for (var k = 0; k < p[1].length; k++) {
        if (acc & p[1][k][1]) { found = p[1][k][0]; break; }
      }
      derived[p[0]] = found;
    });
    var rows = {};
    Object.keys(this.rows).forEach(function (name) {
      var r = self.rows[name], racc = r.all;
      cells.forEach(function (cell, d) { racc &= r.cells[d][cell]; });
      for (var k = 0; k < r.rows.length; k++) {
        if (racc & r.rows[k]) { rows[name] = k; break; }
      }
    });
    var all = {};
    Object.keys(values).forEach(function (k) { all[k] = values[k]; });
    Object.keys(derived).forEach(function (k) { all[k] = derived[k]; });
    return { pathway: rule.pathway, considerations: considerations, values: all,
             rule: rule, rows: rows, derived: derived };
  };

  Engine.prototype.decide = function (state) {
    try {
      var d = this.resolve(state);
      return { pathway: d.pathway, considerations: d.considerations, values: d.values };
    } catch (e) {
      if (e instanceof Refused) return { error: e.message };
      throw e;
    }
  };

  // ------------------------------------------------------------------ the form

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function valueText(engine, name, value) {
    if (value === true) return "yes";
    if (value === false) return "no";
    if (value === null) return "no value";
    var item = engine.inputs.filter(function (i) { return i.name === name; })[0];
    if (item && item.kind === "choice" && item.words[value]) return item.words[value];
    if (item && item.kind === "numeric" && typeof value === "number") {
      return String(value) + (item.unit ? (item.unit === "%" ? "%" : " " + item.unit) : "");
    }
    return String(value).replace(/_/g, " ");
  }

  function buildPanel(root, engine, key) {
    var data = engine.data;
    var form = el("form", { class: "gistpath-tryit-form", "aria-label": "Try " + data.title });
    var first = data.example || {};
    engine.inputs.forEach(function (item) {
      var id = key + "-" + item.name;
      var label = el("label", { for: id, text: item.title });
      var control, unknown = null;
      if (item.kind === "choice" || item.kind === "boolean") {
        control = el("select", { id: id, name: item.name });
        var options = item.kind === "choice"
          ? item.values.map(function (v) { return [v, item.words[v] || v]; })
          : [["true", "yes"], ["false", "no"]];
        if (item.unknown) options.push(["unknown", "unknown"]);
        options.forEach(function (o) { control.appendChild(el("option", { value: o[0], text: o[1] })); });
        if (first[item.name] !== undefined) control.value = String(first[item.name]);
      } else {
        control = el("input", { id: id, name: item.name, type: "number",
                                step: item.integer ? "1" : "any", inputmode: "decimal" });
        if (item.low) control.setAttribute("min", String(item.low[0]));
        if (item.high) control.setAttribute("max", String(item.high[0]));
        if (first[item.name] !== undefined && first[item.name] !== "unknown") {
          control.value = String(first[item.name]);
        }
        if (item.unknown) {
          unknown = el("input", { type: "checkbox", id: id + "-unknown", name: item.name + "-unknown" });
          if (first[item.name] === "unknown") unknown.checked = true;
        }
      }
      var hint = item.kind === "numeric"
        ? [(item.integer ? "a whole number" : "a number"), item.range, item.unit].filter(Boolean).join(", ")
        : "";
      var row = el("div", { class: "gistpath-tryit-field" }, [
        label,
        el("div", { class: "gistpath-tryit-control" }, [
          control,
          item.kind === "numeric" && item.unit ? el("span", { class: "gistpath-tryit-unit", text: item.unit }) : null,
          unknown ? el("label", { for: id + "-unknown", class: "gistpath-tryit-unknown" }, [unknown, document.createTextNode(" unknown")]) : null,
        ]),
        hint ? el("div", { class: "gistpath-tryit-hint", text: hint }) : null,
      ]);
      form.appendChild(row);
    });
    var result = el("div", { class: "gistpath-tryit-result", "aria-live": "polite" });
    root.appendChild(el("p", { class: "gistpath-tryit-intro",
      text: "Set the inputs; the pathway is decided in your browser from the compiled tables of this rule set. Nothing is sent anywhere." }));
    root.appendChild(form);
    root.appendChild(result);

    function readState() {
      var state = {};
      engine.inputs.forEach(function (item) {
        var control = form.elements[item.name];
        if (item.kind === "choice") state[item.name] = control.value;
        else if (item.kind === "boolean") {
          state[item.name] = control.value === "unknown" ? "unknown" : control.value === "true";
        } else {
          var box = form.elements[item.name + "-unknown"];
          if (box && box.checked) { state[item.name] = "unknown"; return; }
          var text = control.value.trim();
          if (text === "") return; // left out: refused as a missing field
          var number = Number(text);
          state[item.name] = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) && Number.isFinite(number)
            ? number : text;
        }
      });
      return state;
    }

    function render() {
      result.textContent = "";
      var d;
      try {
        d = engine.resolve(readState());
      } catch (e) {
        if (!(e instanceof Refused)) throw e;
        result.appendChild(el("p", { class: "gistpath-tryit-error", role: "alert", text: e.message }));
        return;
      }
      var pathway = data.pathways[d.pathway];
      result.appendChild(el("p", { class: "gistpath-tryit-pathway" }, [
        document.createTextNode("Pathway: "),
        el("a", { href: pathway.href, text: pathway.title }),
      ]));
      result.appendChild(el("p", { class: "gistpath-tryit-summary", text: pathway.summary }));
      if (d.considerations.length) {
        result.appendChild(el("p", { text: "Also consider:" }));
        result.appendChild(el("ul", {}, d.considerations.map(function (cid) {
          var c = data.considerations[cid];
          return el("li", {}, [el("a", { href: c.href, text: c.title })]);
        })));
      }
      result.appendChild(el("p", { text: "Why: all of these hold." }));
      result.appendChild(el("ul", { class: "gistpath-tryit-why" },
        d.rule.why.map(function (w) { return el("li", { text: w }); })));
      var shown = data.derived.filter(function (v) { return v.kind === "table" && d.derived[v.name] !== null; });
      if (shown.length) {
        result.appendChild(el("p", { text: "Values read from the decision tables:" }));
        result.appendChild(el("ul", {}, shown.map(function (v) {
          var index = d.rows[v.name];
          var row = index === undefined ? null : v.rows[index];
          var text = v.title + ": " + valueText(engine, v.name, d.derived[v.name]);
          if (row) {
            text += " (row " + row.number + (row.notes.length ? "; " + row.notes.join("; ") : "") + ")";
          }
          return el("li", {}, [el("a", { href: v.href, text: text })]);
        })));
      }
    }
    form.addEventListener("input", render);
    form.addEventListener("change", render);
    form.addEventListener("submit", function (e) { e.preventDefault(); render(); });
    render();
  }

  // ------------------------------------------------------------------ wiring

  var api = window.gistpath = window.gistpath || {};
  api.rulesets = api.rulesets || {};
  api.decide = function (state, name) {
    var keys = Object.keys(api.rulesets);
    var engine = api.rulesets[name === undefined ? keys[0] : name];
    if (!engine) return { error: "no rule set " + String(name) + " on this page" };
    return engine.decide(state);
  };

  /* The diagram is fitted to the column; a button shows it at full size, and back. */
  function zoomable() {
    var diagrams = document.querySelectorAll("div.gistpath-diagram");
    Array.prototype.forEach.call(diagrams, function (box) {
      if (box.getAttribute("data-zoom")) return;
      box.setAttribute("data-zoom", "1");
      var button = el("button", { type: "button", class: "gistpath-diagram-zoom",
                                  "aria-pressed": "false", text: "Show at full size" });
      button.addEventListener("click", function () {
        var zoomed = box.classList.toggle("gistpath-zoomed");
        button.setAttribute("aria-pressed", zoomed ? "true" : "false");
        button.textContent = zoomed ? "Fit to the page width" : "Show at full size";
      });
      box.parentNode.insertBefore(button, box);
    });
  }

  function start() {
    zoomable();
    var panels = document.querySelectorAll("div.gistpath-tryit");
    Array.prototype.forEach.call(panels, function (root, n) {
      if (root.getAttribute("data-ready")) return;
      var source = document.getElementById(root.getAttribute("data-tables"));
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var engine = new Engine(data);
      if (!api.rulesets[data.name]) api.rulesets[data.name] = engine;
      root.setAttribute("data-ready", "1");
      buildPanel(root, engine, "gistpath-tryit-" + n);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
