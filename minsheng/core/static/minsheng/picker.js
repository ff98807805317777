/* 民生 pickers: choose an org node or a person by typing a name, a code or pinyin initials ("cgjd" → 城关街道).
 *
 * USAGE
 *   base.html loads this file on every page; any element carrying data-picker becomes a picker on page load and
 *   whenever HTMX swaps content in. The original element keeps the form value (its name and value are what the
 *   form posts); a text box with a dropdown is shown in its place.
 *
 *   1. A plain input (filter bars, hand-written forms): the value is the id, data-picker-label the visible text.
 *        <input type="text" name="community" value="{{ community.pk|default:'' }}" data-picker="nodes"
 *               data-picker-label="{{ community.name|default:'' }}" data-picker-kind="community,village"
 *               data-picker-submit placeholder="全部社区">
 *
 *   2. A Django form field: use the widgets in minsheng/org/forms_territory.py —
 *        from minsheng.org.forms_territory import NodePickerField, UserPickerField, PickerSelectMultiple
 *        node = NodePickerField(user=request.user, kinds=["estate"], label=_("小区"))
 *        worker = UserPickerField(user=request.user, required=False, label=_("网格员"))
 *      They render <select data-picker="nodes"> holding only the chosen <option> (so pages stay small), scoped
 *      through visible_to, and validate like any ModelChoiceField. For several people use
 *      forms.ModelMultipleChoiceField(..., widget=PickerSelectMultiple(picker="users")): chosen ones show as chips.
 *
 *   Attributes
 *     data-picker          "nodes" | "users" (endpoints from <body data-pick-nodes / data-pick-users>) or a URL
 *     data-picker-kind     nodes only: comma-separated kinds (street, community, village, estate, natural_village,
 *                          building, unit)
 *     data-picker-cap      nodes only: "org.change" to offer only nodes the user may change (default org.view)
 *     data-picker-label    <input> only: the text shown for the current value
 *     data-picker-submit   submit the form as soon as a choice is made or cleared (filter bars)
 *     placeholder          shown in the text box
 *
 *   Endpoint contract: GET <url>?q=<text>&kind=<kinds> → {"results": [{"id": 1, "text": "颐和社区",
 *   "detail": "城关街道 颐和社区"}]}. After a choice the original element fires a bubbling "change" event.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 200;

  function text(key, fallback) {
    return (document.body && document.body.getAttribute("data-i18n-" + key)) || fallback;
  }

  function endpointOf(el) {
    var kind = el.getAttribute("data-picker");
    if (kind === "nodes") return document.body.getAttribute("data-pick-nodes");
    if (kind === "users") return document.body.getAttribute("data-pick-users");
    return kind;
  }

  function Picker(el) {
    this.el = el;
    this.url = endpointOf(el);
    this.isSelect = el.tagName === "SELECT";
    this.multiple = this.isSelect && el.multiple;
    this.results = [];
    this.active = -1;
    this.timer = null;
    this.request = null;
    this.build();
  }

  Picker.prototype.build = function () {
    var el = this.el;
    var wrap = document.createElement("div");
    wrap.className = "picker";
    var box = document.createElement("input");
    box.type = "text";
    box.className = "picker-input";
    box.autocomplete = "off";
    box.placeholder = el.getAttribute("placeholder") || text("picker-placeholder", "输入名称或拼音首字母搜索");
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    if (el.id) {
      // The page's <label for> now names the text box people type in.
      box.id = el.id;
      el.id = el.id + "_value";
    }
    var menu = document.createElement("ul");
    menu.className = "picker-menu";
    menu.setAttribute("role", "listbox");
    menu.hidden = true;
    var chips = document.createElement("div");
    chips.className = "picker-chips";

    el.parentNode.insertBefore(wrap, el);
    wrap.appendChild(el);
    if (this.multiple) wrap.appendChild(chips);
    wrap.appendChild(box);
    wrap.appendChild(menu);
    if (this.isSelect) el.hidden = true;
    else el.type = "hidden";
    if (el.required) {
      // A hidden control cannot show the browser's "required" bubble; the visible box asks instead.
      el.required = false;
      box.required = !this.multiple;
    }

    this.box = box;
    this.menu = menu;
    this.chips = chips;
    this.label = this.currentLabel();
    if (this.multiple) this.renderChips();
    else box.value = this.label;

    var self = this;
    box.addEventListener("input", function () { self.schedule(); });
    box.addEventListener("focus", function () { self.schedule(); });
    box.addEventListener("keydown", function (event) { self.onKey(event); });
    box.addEventListener("blur", function () { setTimeout(function () { self.onBlur(); }, 150); });
    menu.addEventListener("mousedown", function (event) {
      var li = event.target.closest("li[data-index]");
      event.preventDefault();
      if (li) self.choose(self.results[Number(li.getAttribute("data-index"))]);
    });
  };

  Picker.prototype.currentLabel = function () {
    if (!this.isSelect) return this.el.value ? this.el.getAttribute("data-picker-label") || this.el.value : "";
    var selected = this.el.querySelector("option:checked");
    return selected && selected.value ? selected.textContent : "";
  };

  Picker.prototype.renderChips = function () {
    var self = this;
    this.chips.textContent = "";
    Array.prototype.forEach.call(this.el.options, function (option) {
      if (!option.selected) return;
      var chip = document.createElement("span");
      chip.className = "picker-chip";
      chip.textContent = option.textContent;
      var remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "×";
      remove.setAttribute("aria-label", text("picker-remove", "移除") + " " + option.textContent);
      remove.addEventListener("click", function () {
        option.remove();
        self.renderChips();
        self.changed();
      });
      chip.appendChild(remove);
      self.chips.appendChild(chip);
    });
  };

  Picker.prototype.schedule = function () {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.search(); }, DEBOUNCE_MS);
  };

  Picker.prototype.search = function () {
    if (!this.url) return;
    var q = this.box.value.trim();
    if (!this.multiple && q === this.label) q = ""; // focusing a filled box lists everything again
    var params = new URLSearchParams({ q: q });
    var kind = this.el.getAttribute("data-picker-kind");
    if (kind) params.set("kind", kind);
    var cap = this.el.getAttribute("data-picker-cap");
    if (cap) params.set("cap", cap);
    if (this.request) this.request.abort();
    this.request = new AbortController();
    var self = this;
    fetch(this.url + (this.url.indexOf("?") < 0 ? "?" : "&") + params.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: this.request.signal,
    })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { self.show(data.results || []); })
      .catch(function () { /* aborted by a newer keystroke, or offline: keep the old list */ });
  };

  Picker.prototype.show = function (results) {
    var self = this;
    this.results = results;
    this.active = results.length ? 0 : -1;
    this.menu.textContent = "";
    if (!results.length) {
      var none = document.createElement("li");
      none.className = "picker-none";
      none.textContent = text("picker-empty", "没有匹配项");
      this.menu.appendChild(none);
    }
    results.forEach(function (item, index) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.setAttribute("data-index", String(index));
      var strong = document.createElement("span");
      strong.textContent = item.text;
      li.appendChild(strong);
      if (item.detail) {
        var small = document.createElement("small");
        small.textContent = item.detail;
        li.appendChild(small);
      }
      self.menu.appendChild(li);
    });
    this.highlight();
    this.open(true);
  };

  Picker.prototype.open = function (on) {
    this.menu.hidden = !on;
    this.box.setAttribute("aria-expanded", String(on));
  };

  Picker.prototype.highlight = function () {
    var active = this.active;
    Array.prototype.forEach.call(this.menu.querySelectorAll("li[data-index]"), function (li, index) {
      li.setAttribute("aria-selected", String(index === active));
      if (index === active) li.scrollIntoView({ block: "nearest" });
    });
  };

  Picker.prototype.onKey = function (event) {
    var n = this.results.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (this.menu.hidden) return this.search();
      if (n) this.active = (this.active + (event.key === "ArrowDown" ? 1 : n - 1)) % n;
      this.highlight();
    } else if (event.key === "Enter") {
      if (!this.menu.hidden && this.active >= 0) {
        event.preventDefault();
        this.choose(this.results[this.active]);
      }
    } else if (event.key === "Escape") {
      this.open(false);
    }
  };

  Picker.prototype.onBlur = function () {
    this.open(false);
    if (this.multiple) {
      this.box.value = "";
    } else if (!this.box.value.trim()) {
      if (this.label) this.clear();
    } else {
      this.box.value = this.label; // typed text that was never chosen does not count
    }
  };

  Picker.prototype.choose = function (item) {
    if (!item) return;
    var id = String(item.id);
    if (this.multiple) {
      var exists = Array.prototype.some.call(this.el.options, function (o) { return o.value === id; });
      if (!exists) this.el.appendChild(new Option(item.text, id, true, true));
      this.renderChips();
      this.box.value = "";
    } else {
      if (this.isSelect) {
        this.el.textContent = "";
        this.el.appendChild(new Option(item.text, id, true, true));
      } else {
        this.el.value = id;
        this.el.setAttribute("data-picker-label", item.text);
      }
      this.label = item.text;
      this.box.value = item.text;
    }
    this.open(false);
    this.changed();
  };

  Picker.prototype.clear = function () {
    if (this.isSelect) this.el.textContent = "";
    else this.el.value = "";
    this.label = "";
    this.changed();
  };

  Picker.prototype.changed = function () {
    this.el.dispatchEvent(new Event("change", { bubbles: true }));
    if (this.el.hasAttribute("data-picker-submit") && this.el.form) this.el.form.submit();
  };

  function scan(root) {
    (root || document).querySelectorAll("[data-picker]").forEach(function (el) {
      if (el.getAttribute("data-picker-ready")) return;
      el.setAttribute("data-picker-ready", "1");
      new Picker(el);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:load", function (event) { scan(event.detail.elt.parentNode || document); });
  window.MinshengPicker = { scan: scan };
})();
